// The boot decision for swap layouts: only slot A ever runs.
//  1. A swap the log shows interrupted is finished first (power loss).
//  2. A pair staged in B (trailer magic, not confirmed, not rejected) is
//     verified and swapped into A; A's old pair (confirmed) lands in B.
//  3. A is verified and booted: confirmed, or on trial (one attempt unit
//     per boot). When the trial runs out, or A fails verification right
//     after an upgrade, the swap is undone and B (the failed pair) rejected.
#include "kiln/boot/boot.h"
#include "kiln/boot/security_counter.h"
#include "kiln/boot/swap.h"

namespace kiln::boot {

namespace {

bool staged(const TrailerState& t) { return t.magic && !t.confirmed && !t.rejected; }

// Verifies the pair in B before it may replace A: signatures, counter, and
// newer than what A holds (when A verifies at all).
Status check_staged(const BootConfig& cfg, uint32_t counter, Diag* diag) {
  PairInfo incoming, current;
  KILN_TRY(verify_pair(cfg, 1, counter, &incoming, diag));
  Diag ignored;
  if (verify_pair(cfg, 0, counter, &current, &ignored) == Status::kOk &&
      incoming.manifest.sequence <= current.manifest.sequence) {
    return diag->fail(Status::kRejected, "boot: staged pair sequence %lu is not newer than %lu",
                      static_cast<unsigned long>(incoming.manifest.sequence),
                      static_cast<unsigned long>(current.manifest.sequence));
  }
  return Status::kOk;
}

}  // namespace

Status boot_select_swap(const BootConfig& cfg, BootDecision* out, Diag* diag) {
  if (cfg.keys.count == 0) return diag->fail(Status::kInvalidArgument, "boot: no trusted keys");
  if (cfg.max_attempts == 0 || cfg.max_attempts > kMaxAttempts) {
    return diag->fail(Status::kInvalidArgument, "boot: max_attempts must be 1..%lu",
                      static_cast<unsigned long>(kMaxAttempts));
  }
  const SlotLayout& l = *cfg.layout;
  const FlashArea& a_manifest = l.area(0, Part::kManifest);
  const FlashArea& b_manifest = l.area(1, Part::kManifest);
  uint32_t counter = 0;
  KILN_TRY(read_security_counter(l.counter, &counter, diag));
  SwapLog log;
  KILN_TRY(read_swap_log(l, &log, diag));
  KILN_TRY(swap_resume(l, &log, diag));

  TrailerState a, b;
  KILN_TRY(read_trailer(a_manifest, &a, diag));
  KILN_TRY(read_trailer(b_manifest, &b, diag));
  if (staged(b) && !staged(a)) {
    Diag refused;  // a bad staged pair is only recorded, not an error of this boot
    if (check_staged(cfg, counter, &refused) != Status::kOk) {
      KILN_TRY(set_trailer_flag(b_manifest, TrailerFlag::kRejected, diag));
    } else {
      KILN_TRY(swap_upgrade(l, &log, diag));
      KILN_TRY(read_trailer(a_manifest, &a, diag));
    }
  }

  Diag why;
  Status verified = verify_pair(cfg, 0, counter, &out->pair, &why);
  const bool trial_over = verified == Status::kOk && !a.confirmed && a.attempts >= cfg.max_attempts;
  if ((verified != Status::kOk || trial_over) && log.upgrade_complete(swap_chunk_count(l)) && !log.revert_begun) {
    // The new pair failed: put the previous (confirmed) one back.
    KILN_TRY(swap_revert(l, &log, diag));
    KILN_TRY(read_trailer(a_manifest, &a, diag));
    verified = verify_pair(cfg, 0, counter, &out->pair, &why);
  }
  if (verified != Status::kOk) {
    return diag->fail(Status::kRejected, "boot: slot A holds no verified firmware+model pair: %s", why.message());
  }
  if (!a.confirmed) {
    if (a.attempts >= cfg.max_attempts) {
      return diag->fail(Status::kRejected, "boot: the pair in slot A ran out of trial boots and there is none to revert to");
    }
    KILN_TRY(consume_attempt(a_manifest, diag));
  } else {
    const uint32_t image_counter = out->pair.manifest_image.security_counter;
    KILN_TRY(raise_security_counter(l.counter, image_counter, diag));
    if (image_counter > counter) counter = image_counter;
  }
  out->slot = 0;
  out->mode = a.confirmed ? BootMode::kConfirmed : BootMode::kTrial;
  out->security_counter = counter;
  return Status::kOk;
}

}  // namespace kiln::boot
