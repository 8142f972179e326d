#include "kiln/boot/boot.h"

#include "kiln/boot/security_counter.h"

namespace kiln::boot {

namespace {

struct Candidate {
  bool usable;
  TrailerState trailer;
  uint32_t sequence;
  PairInfo pair;
};

// True when a should be tried before b: newer sequence, then confirmed, then A.
bool before(const Candidate& a, uint32_t sa, const Candidate& b, uint32_t sb) {
  if (a.sequence != b.sequence) return a.sequence > b.sequence;
  if (a.trailer.confirmed != b.trailer.confirmed) return a.trailer.confirmed;
  return sa < sb;
}

}  // namespace

Status boot_select(const BootConfig& cfg, BootDecision* out, Diag* diag) {
  if (cfg.layout->mode == UpgradeMode::kSwap) return boot_select_swap(cfg, out, diag);
  if (cfg.keys.count == 0) return diag->fail(Status::kInvalidArgument, "boot: no trusted keys");
  uint32_t counter = 0;
  KILN_TRY(read_security_counter(cfg.layout->counter, &counter, diag));
  if (cfg.max_attempts == 0 || cfg.max_attempts > kMaxAttempts) {
    return diag->fail(Status::kInvalidArgument, "boot: max_attempts must be 1..%lu", static_cast<unsigned long>(kMaxAttempts));
  }
  Candidate c[kSlotCount];
  Diag why;  // reasons a slot was passed over; the last one is reported
  for (uint32_t s = 0; s < kSlotCount; ++s) {
    const FlashArea& manifest = cfg.layout->area(s, Part::kManifest);
    KILN_TRY(read_trailer(manifest, &c[s].trailer, diag));
    c[s].usable = c[s].trailer.magic && !c[s].trailer.rejected;
    c[s].sequence = 0;
    if (!c[s].usable) continue;
    if (verify_pair(cfg, s, counter, &c[s].pair, &why) != Status::kOk) {
      // Never boot it again: the bytes are bad or the pair is a downgrade.
      KILN_TRY(set_trailer_flag(manifest, TrailerFlag::kRejected, diag));
      c[s].usable = false;
      continue;
    }
    c[s].sequence = c[s].pair.manifest.sequence;
  }
  uint32_t order[kSlotCount] = {0, 1};
  if (before(c[1], 1, c[0], 0)) {
    order[0] = 1;
    order[1] = 0;
  }
  for (uint32_t k = 0; k < kSlotCount; ++k) {
    const uint32_t s = order[k];
    if (!c[s].usable) continue;
    const FlashArea& manifest = cfg.layout->area(s, Part::kManifest);
    if (!c[s].trailer.confirmed) {
      if (c[s].trailer.attempts >= cfg.max_attempts) {
        // The trial ran out of boots without a passing health check: revert.
        KILN_TRY(set_trailer_flag(manifest, TrailerFlag::kRejected, diag));
        continue;
      }
      KILN_TRY(consume_attempt(manifest, diag));
    }
    out->pair = c[s].pair;
    if (c[s].trailer.confirmed) {
      const uint32_t image_counter = out->pair.manifest_image.security_counter;
      KILN_TRY(raise_security_counter(cfg.layout->counter, image_counter, diag));
      if (image_counter > counter) counter = image_counter;
    }
    out->slot = s;
    out->mode = c[s].trailer.confirmed ? BootMode::kConfirmed : BootMode::kTrial;
    out->security_counter = counter;
    return Status::kOk;
  }
  return diag->fail(Status::kRejected, "boot: no pair slot holds a verified firmware+model pair%s%s",
                    why.message()[0] ? ": " : "", why.message());
}

Status boot_confirm(const BootConfig& cfg, uint32_t slot, Diag* diag) {
  if (slot >= kSlotCount) return diag->fail(Status::kInvalidArgument, "boot: no slot %lu", static_cast<unsigned long>(slot));
  const FlashArea& manifest = cfg.layout->area(slot, Part::kManifest);
  KILN_TRY(set_trailer_flag(manifest, TrailerFlag::kImageOk, diag));
  ImageInfo image;
  Manifest m;
  KILN_TRY(verify_manifest(cfg, manifest, 0, &image, &m, diag));
  return raise_security_counter(cfg.layout->counter, image.security_counter, diag);
}

}  // namespace kiln::boot
