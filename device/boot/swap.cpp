#include "kiln/boot/swap.h"

#include <string.h>

#include "kiln/boot/bytes.h"
#include "kiln/boot/trailer.h"

namespace kiln::boot {

namespace {

constexpr uint32_t kSwapLogMagic = 0x50415753u;  // "SWAP"
constexpr uint32_t kHeaderBytes = 16;
constexpr uint32_t kMaxUnit = 32;
constexpr uint32_t kCopyPiece = 256;  // stack buffer for copies; a multiple of any write size

uint32_t unit(const SlotLayout& l) { return trailer_unit(l.swap_status); }
uint32_t header_region(const SlotLayout& l) { return (kHeaderBytes + unit(l) - 1) / unit(l) * unit(l); }
uint32_t half_size(const SlotLayout& l) { return l.swap_status.size / 2; }

FlashArea half_area(const SlotLayout& l, uint32_t half) {
  FlashArea a = l.swap_status;
  a.offset += half * half_size(l);
  a.size = half_size(l);
  return a;
}

// Unit offsets inside a log.
uint32_t upgrade_unit(const SlotLayout& l, uint32_t i) { return header_region(l) + i * unit(l); }
uint32_t revert_begun_unit(const SlotLayout& l) { return upgrade_unit(l, kSwapSteps * swap_chunk_count(l)); }
uint32_t revert_unit(const SlotLayout& l, uint32_t i) { return revert_begun_unit(l) + (1 + i) * unit(l); }
uint32_t revert_done_unit(const SlotLayout& l) { return revert_unit(l, kSwapSteps * swap_chunk_count(l)); }

Status unit_set(const FlashArea& log, uint32_t off, uint32_t u, bool* set, Diag* diag) {
  bool erased = false;
  KILN_TRY(log.is_erased(off, u, &erased, diag));
  *set = !erased;
  return Status::kOk;
}

Status mark(const SlotLayout& l, const SwapLog& log, uint32_t off, Diag* diag) {
  uint8_t buf[kMaxUnit];
  memset(buf, 0x01, sizeof(buf));
  return half_area(l, log.half).program(off, buf, unit(l), diag);
}

// Steps done: the index after the last unit that is set (or torn).
Status count_steps(const FlashArea& log, uint32_t first, uint32_t u, uint32_t n, uint32_t* done, Diag* diag) {
  *done = 0;
  for (uint32_t i = 0; i < n; ++i) {
    bool set = false;
    KILN_TRY(unit_set(log, first + i * u, u, &set, diag));
    if (set) *done = i + 1;
  }
  return Status::kOk;
}

struct Chunk {
  Part part;
  uint32_t offset;
  uint32_t size;
};

Chunk chunk_at(const SlotLayout& l, uint32_t index) {
  const uint32_t step = l.scratch.size;
  for (uint32_t p = 0; p < kPartCount; ++p) {
    const uint32_t size = l.parts[0][p].size;
    const uint32_t n = (size + step - 1) / step;
    if (index < n) {
      const uint32_t off = index * step;
      return {static_cast<Part>(p), off, size - off < step ? size - off : step};
    }
    index -= n;
  }
  return {Part::kFirmware, 0, 0};
}

// Erases dst[dst_off, +len) and copies src[src_off, +len) into it, skipping
// pieces that are erased in the source (nothing to program).
Status erase_and_copy(const FlashArea& src, uint32_t src_off, const FlashArea& dst, uint32_t dst_off, uint32_t len,
                      Diag* diag) {
  KILN_TRY(dst.erase(dst_off, len, diag));
  uint8_t buf[kCopyPiece];
  for (uint32_t at = 0; at < len; at += kCopyPiece) {
    const uint32_t n = len - at < kCopyPiece ? len - at : kCopyPiece;
    KILN_TRY(src.read(src_off + at, buf, n, diag));
    bool erased = true;
    for (uint32_t i = 0; i < n && erased; ++i) erased = buf[i] == src.erased_value();
    if (!erased) KILN_TRY(dst.program(dst_off + at, buf, n, diag));
  }
  return Status::kOk;
}

Status do_step(const SlotLayout& l, uint32_t step, Diag* diag) {
  const Chunk c = chunk_at(l, step / kSwapSteps);
  const FlashArea& a = l.area(0, c.part);
  const FlashArea& b = l.area(1, c.part);
  switch (step % kSwapSteps) {
    case 0: return erase_and_copy(b, c.offset, l.scratch, 0, c.size, diag);
    case 1: return erase_and_copy(a, c.offset, b, c.offset, c.size, diag);
    default: return erase_and_copy(l.scratch, 0, a, c.offset, c.size, diag);
  }
}

// Runs the steps from `*done` to the end, recording each.
Status run_steps(const SlotLayout& l, const SwapLog& log, bool revert, uint32_t* done, Diag* diag) {
  const uint32_t total = kSwapSteps * swap_chunk_count(l);
  for (; *done < total; ++*done) {
    KILN_TRY(do_step(l, *done, diag));
    KILN_TRY(mark(l, log, revert ? revert_unit(l, *done) : upgrade_unit(l, *done), diag));
  }
  return Status::kOk;
}

Status finish_revert(const SlotLayout& l, SwapLog* log, Diag* diag) {
  // B now holds the pair that failed its trial: never swap it in again.
  KILN_TRY(set_trailer_flag(l.area(1, Part::kManifest), TrailerFlag::kRejected, diag));
  KILN_TRY(mark(l, *log, revert_done_unit(l), diag));
  log->revert_done = true;
  return Status::kOk;
}

}  // namespace

uint32_t swap_chunk_count(const SlotLayout& l) {
  if (l.scratch.size == 0) return 0;
  uint32_t n = 0;
  for (uint32_t p = 0; p < kPartCount; ++p) n += (l.parts[0][p].size + l.scratch.size - 1) / l.scratch.size;
  return n;
}

uint32_t swap_status_bytes(const SlotLayout& l) {
  return header_region(l) + (2 * kSwapSteps * swap_chunk_count(l) + 2) * unit(l);
}

Status read_swap_log(const SlotLayout& l, SwapLog* log, Diag* diag) {
  memset(log, 0, sizeof(*log));
  const uint32_t chunks = swap_chunk_count(l);
  for (uint32_t h = 0; h < 2; ++h) {
    uint8_t b[kHeaderBytes];
    KILN_TRY(half_area(l, h).read(0, b, kHeaderBytes, diag));
    const uint32_t epoch = load_le32(b + 4);
    const bool ok = load_le32(b) == kSwapLogMagic && (epoch ^ load_le32(b + 8)) == 0xffffffffu &&
                    load_le32(b + 12) == chunks;
    if (ok && (!log->valid || epoch > log->epoch)) {
      log->valid = true;
      log->half = h;
      log->epoch = epoch;
    }
  }
  if (!log->valid) return Status::kOk;
  const FlashArea a = half_area(l, log->half);
  const uint32_t u = unit(l), total = kSwapSteps * chunks;
  KILN_TRY(count_steps(a, upgrade_unit(l, 0), u, total, &log->upgrade_steps, diag));
  KILN_TRY(unit_set(a, revert_begun_unit(l), u, &log->revert_begun, diag));
  KILN_TRY(count_steps(a, revert_unit(l, 0), u, total, &log->revert_steps, diag));
  KILN_TRY(unit_set(a, revert_done_unit(l), u, &log->revert_done, diag));
  return Status::kOk;
}

Status swap_upgrade(const SlotLayout& l, SwapLog* log, Diag* diag) {
  if (l.mode != UpgradeMode::kSwap || swap_chunk_count(l) == 0) {
    return diag->fail(Status::kInvalidArgument, "swap: the layout has no scratch area");
  }
  SwapLog next{};
  next.valid = true;
  next.half = log->valid ? 1 - log->half : 0;
  next.epoch = log->valid ? log->epoch + 1 : 1;
  const FlashArea a = half_area(l, next.half);
  KILN_TRY(a.erase_all(diag));
  uint8_t header[kMaxUnit];
  memset(header, a.erased_value(), sizeof(header));
  store_le32(header, kSwapLogMagic);
  store_le32(header + 4, next.epoch);
  store_le32(header + 8, ~next.epoch);
  store_le32(header + 12, swap_chunk_count(l));
  KILN_TRY(a.program(0, header, header_region(l), diag));
  *log = next;
  return run_steps(l, *log, false, &log->upgrade_steps, diag);
}

Status swap_resume(const SlotLayout& l, SwapLog* log, Diag* diag) {
  if (!log->valid) return Status::kOk;
  const uint32_t chunks = swap_chunk_count(l);
  if (!log->upgrade_complete(chunks)) return run_steps(l, *log, false, &log->upgrade_steps, diag);
  if (log->revert_begun && !log->revert_done) {
    KILN_TRY(run_steps(l, *log, true, &log->revert_steps, diag));
    return finish_revert(l, log, diag);
  }
  return Status::kOk;
}

Status swap_revert(const SlotLayout& l, SwapLog* log, Diag* diag) {
  if (!log->upgrade_complete(swap_chunk_count(l)) || log->revert_begun) {
    return diag->fail(Status::kInvalidArgument, "swap: no completed upgrade to revert");
  }
  KILN_TRY(mark(l, *log, revert_begun_unit(l), diag));
  log->revert_begun = true;
  KILN_TRY(run_steps(l, *log, true, &log->revert_steps, diag));
  return finish_revert(l, log, diag);
}

}  // namespace kiln::boot
