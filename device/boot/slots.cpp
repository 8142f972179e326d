#include "kiln/boot/slots.h"

#include "kiln/boot/manifest.h"
#include "kiln/boot/swap.h"
#include "kiln/boot/trailer.h"

namespace kiln::boot {

namespace {

struct Named {
  const char* name;
  Partition p;
};

unsigned long ul(uint32_t v) { return static_cast<unsigned long>(v); }

Status check_partition(const FlashGeometry& g, const Named& n, Diag* diag) {
  if (n.p.size == 0) return diag->fail(Status::kInvalidArgument, "layout: %s partition is empty", n.name);
  if (n.p.offset > g.size || n.p.size > g.size - n.p.offset) {
    return diag->fail(Status::kOutOfRange, "layout: %s partition 0x%lx+0x%lx lies outside the 0x%lx-byte flash", n.name,
                      ul(n.p.offset), ul(n.p.size), ul(g.size));
  }
  if (n.p.offset % g.erase_size != 0 || n.p.size % g.erase_size != 0) {
    return diag->fail(Status::kInvalidArgument, "layout: %s partition 0x%lx+0x%lx is not aligned to the 0x%lx-byte erase block",
                      n.name, ul(n.p.offset), ul(n.p.size), ul(g.erase_size));
  }
  return Status::kOk;
}

void to_area(Flash* flash, const Partition& p, FlashArea* a) {
  a->flash = flash;
  a->offset = p.offset;
  a->size = p.size;
}

}  // namespace

const char* upgrade_mode_name(UpgradeMode mode) { return mode == UpgradeMode::kSwap ? "swap-scratch" : "direct-xip"; }

Status make_layout(Flash* flash, const PartitionTable& t, SlotLayout* out, Diag* diag) {
  const FlashGeometry& g = flash->geometry();
  if (g.erase_size == 0 || (g.erase_size & (g.erase_size - 1)) != 0 || g.write_size == 0 ||
      (g.write_size & (g.write_size - 1)) != 0 || g.write_size > g.erase_size) {
    return diag->fail(Status::kInvalidArgument, "layout: flash erase size 0x%lx / write size %lu must be powers of two",
                      ul(g.erase_size), ul(g.write_size));
  }
  const bool swap = t.mode == UpgradeMode::kSwap;
  if (t.mode != UpgradeMode::kDirect && !swap) return diag->fail(Status::kInvalidArgument, "layout: unknown upgrade mode");
  Named all[9] = {{"firmware A", t.firmware[0]}, {"firmware B", t.firmware[1]}, {"model A", t.model[0]},
                  {"model B", t.model[1]},       {"manifest A", t.manifest[0]}, {"manifest B", t.manifest[1]},
                  {"security counter", t.counter}, {"scratch", t.scratch},    {"swap status", t.swap_status}};
  const uint32_t count = swap ? 9 : 7;
  if (!swap && (t.scratch.size != 0 || t.swap_status.size != 0)) {
    return diag->fail(Status::kInvalidArgument, "layout: scratch/swap-status partitions given for a direct-xip layout");
  }
  for (uint32_t i = 0; i < count; ++i) KILN_TRY(check_partition(g, all[i], diag));
  for (uint32_t i = 0; i < count; ++i) {
    for (uint32_t j = i + 1; j < count; ++j) {
      const Partition& a = all[i].p;
      const Partition& b = all[j].p;
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) {
        return diag->fail(Status::kInvalidArgument, "layout: %s (0x%lx+0x%lx) overlaps %s (0x%lx+0x%lx)", all[i].name,
                          ul(a.offset), ul(a.size), all[j].name, ul(b.offset), ul(b.size));
      }
    }
  }
  const Partition* pairs[kPartCount] = {t.firmware, t.model, t.manifest};
  const char* names[kPartCount] = {"firmware", "model", "manifest"};
  for (uint32_t p = 0; p < kPartCount; ++p) {
    if (pairs[p][0].size != pairs[p][1].size) {
      return diag->fail(Status::kInvalidArgument, "layout: %s slots differ in size (A 0x%lx, B 0x%lx)", names[p],
                        ul(pairs[p][0].size), ul(pairs[p][1].size));
    }
    for (uint32_t s = 0; s < kSlotCount; ++s) to_area(flash, pairs[p][s], &out->parts[s][p]);
  }
  to_area(flash, t.counter, &out->counter);
  out->mode = t.mode;
  out->scratch = FlashArea{};
  out->swap_status = FlashArea{};
  // The smallest manifest image: header, payload and the two TLV area headers.
  const uint32_t min_manifest = kImageHeaderSize + kManifestSize + 2 * kTlvInfoSize;
  if (out->parts[0][2].size < trailer_size(out->parts[0][2]) + min_manifest) {
    return diag->fail(Status::kInvalidArgument, "layout: manifest partitions of 0x%lx bytes cannot hold a manifest and its trailer",
                      ul(t.manifest[0].size));
  }
  if (swap) {
    to_area(flash, t.scratch, &out->scratch);
    to_area(flash, t.swap_status, &out->swap_status);
    const uint32_t need = swap_status_bytes(*out);
    if (t.swap_status.size / 2 % g.erase_size != 0 || t.swap_status.size / 2 < need) {
      return diag->fail(Status::kInvalidArgument,
                        "layout: swap status needs two erase-aligned halves of at least 0x%lx bytes each (has 0x%lx)",
                        ul(need), ul(t.swap_status.size));
    }
  }
  return Status::kOk;
}

PartitionTable contiguous_partitions(const FlashGeometry& g, uint32_t base, const SlotSizes& sizes) {
  const uint32_t erase = g.erase_size == 0 ? 1 : g.erase_size;
  uint64_t at = base;
  auto place = [&](uint32_t size) {
    const uint64_t rounded = (uint64_t{size} + erase - 1) / erase * erase;
    const Partition p{static_cast<uint32_t>(at), static_cast<uint32_t>(rounded)};
    at += rounded;
    return p;
  };
  PartitionTable t{};
  for (uint32_t s = 0; s < kSlotCount; ++s) {
    t.firmware[s] = place(sizes.firmware);
    t.model[s] = place(sizes.model);
    t.manifest[s] = place(sizes.manifest);
  }
  t.counter = place(sizes.counter);
  t.mode = UpgradeMode::kDirect;
  return t;
}

Status make_layout(Flash* flash, uint32_t base, const SlotSizes& sizes, SlotLayout* out, Diag* diag) {
  if (flash->geometry().erase_size == 0 || base % flash->geometry().erase_size != 0) {
    return diag->fail(Status::kInvalidArgument, "layout: base is not erase-aligned");
  }
  return make_layout(flash, contiguous_partitions(flash->geometry(), base, sizes), out, diag);
}

}  // namespace kiln::boot
