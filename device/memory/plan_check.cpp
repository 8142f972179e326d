// What a plan must satisfy, and the bound no plan can beat.
#include "kiln/common/status.h"
#include "kiln/memory/planner.h"
#include "plan_internal.h"

namespace kiln::memory {
namespace detail {

Status validate_requests(const BufferRequest* requests, uint32_t count, uint32_t align) {
  if (!is_valid_alignment(align) || (count > 0 && requests == nullptr)) {
    return Status::kInvalidArgument;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const BufferRequest& r = requests[i];
    if (r.first_use > r.last_use || aligned_size64(r.size, align) > UINT32_MAX) {
      return Status::kInvalidArgument;
    }
  }
  return Status::kOk;
}

uint64_t live_bytes_at(const BufferRequest* requests, uint32_t count, uint32_t align,
                       uint32_t op) {
  uint64_t live = 0;
  for (uint32_t j = 0; j < count; ++j) {
    if (alive_at(requests[j], op)) live += aligned_size64(requests[j].size, align);
  }
  return live;
}

uint64_t live_peak64(const BufferRequest* requests, uint32_t count, uint32_t align) {
  // The live sum only rises where a buffer starts, so the peak is at some
  // buffer's first_use; checking those ops needs no per-op table.
  uint64_t peak = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (requests[i].size == 0 || requests[i].first_use > requests[i].last_use) continue;
    const uint64_t live = live_bytes_at(requests, count, align, requests[i].first_use);
    if (live > peak) peak = live;
  }
  return peak;
}

}  // namespace detail

uint32_t lower_bound_bytes(const BufferRequest* requests, uint32_t count, uint32_t align) {
  if (!detail::is_valid_alignment(align) || requests == nullptr) return 0;
  const uint64_t peak = detail::live_peak64(requests, count, align);
  return peak > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(peak);
}

namespace {

// One buffer on its own: aligned and inside [0, total_bytes).
Status check_placement(const BufferRequest& r, uint32_t index, uint32_t offset,
                       uint32_t align, uint32_t total_bytes, Diag* diag) {
  const uint32_t size = detail::aligned_size(r.size, align);
  if (offset % align != 0) {
    if (!diag) return Status::kInternal;
    return diag->fail(Status::kInternal, "buffer %u: offset %u is not %u-aligned",
                      unsigned(index), unsigned(offset), unsigned(align));
  }
  if (offset > total_bytes || size > total_bytes - offset) {
    if (!diag) return Status::kInternal;
    return diag->fail(Status::kInternal, "buffer %u: [%u, +%u) ends past the plan's %u bytes",
                      unsigned(index), unsigned(offset), unsigned(size), unsigned(total_bytes));
  }
  return Status::kOk;
}

// Two buffers: fine unless both are non-empty, alive at a common op, and
// their byte ranges intersect. Both ranges are known to end within 32 bits.
Status check_pair(const BufferRequest* requests, const uint32_t* offsets, uint32_t align,
                  uint32_t a, uint32_t b, Diag* diag) {
  const BufferRequest& ra = requests[a];
  const BufferRequest& rb = requests[b];
  if (ra.size == 0 || rb.size == 0 || !detail::lifetimes_overlap(ra, rb)) return Status::kOk;
  const uint32_t a_end = offsets[a] + detail::aligned_size(ra.size, align);
  const uint32_t b_end = offsets[b] + detail::aligned_size(rb.size, align);
  if (offsets[a] < b_end && offsets[b] < a_end) {
    if (!diag) return Status::kInternal;
    return diag->fail(Status::kInternal,
                      "buffers %u [%u,%u) ops %u-%u and %u [%u,%u) ops %u-%u overlap",
                      unsigned(a), unsigned(offsets[a]), unsigned(a_end),
                      unsigned(ra.first_use), unsigned(ra.last_use), unsigned(b),
                      unsigned(offsets[b]), unsigned(b_end), unsigned(rb.first_use),
                      unsigned(rb.last_use));
  }
  return Status::kOk;
}

}  // namespace

Status verify_plan(const BufferRequest* requests, uint32_t count, uint32_t align,
                   const uint32_t* offsets, uint32_t total_bytes, Diag* diag) {
  if (detail::validate_requests(requests, count, align) != Status::kOk ||
      (count > 0 && offsets == nullptr)) {
    if (!diag) return Status::kInvalidArgument;
    return diag->fail(Status::kInvalidArgument, "verify_plan: unusable requests or alignment");
  }
  for (uint32_t i = 0; i < count; ++i) {
    KILN_TRY(check_placement(requests[i], i, offsets[i], align, total_bytes, diag));
  }
  for (uint32_t a = 0; a < count; ++a) {
    for (uint32_t b = a + 1; b < count; ++b) {
      KILN_TRY(check_pair(requests, offsets, align, a, b, diag));
    }
  }
  return Status::kOk;
}

}  // namespace kiln::memory
