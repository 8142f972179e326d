// One placement pass: buffers in a given order, each at a free offset among
// the already-placed buffers whose lifetimes overlap it.
#include <string.h>

#include "plan_internal.h"

namespace kiln::memory::detail {
namespace {

// Walks the placed buffers alive together with `id` in offset order; the
// free gaps are the stretches between `cursor` (the highest end seen so far)
// and the next start. kLowest takes the first gap that fits, kTightestGap
// the smallest (lowest on ties). With no fitting gap the buffer goes on top
// of everything it conflicts with. Result + size may pass 32 bits; the
// caller checks.
uint32_t find_offset(const Problem& p, Fit fit, const Scratch& s, uint32_t placed, uint32_t id,
                     uint32_t size) {
  const BufferRequest& want = p.requests[id];
  uint32_t cursor = 0;
  bool found = false;
  uint32_t best = 0;
  uint32_t best_gap = 0;
  for (uint32_t k = 0; k < placed; ++k) {
    const uint32_t other = s.by_offset[k];
    if (!lifetimes_overlap(want, p.requests[other])) continue;
    const uint32_t start = s.trial[other];
    if (start >= cursor && start - cursor >= size) {
      const uint32_t gap = start - cursor;
      if (fit == Fit::kLowest || gap == size) return cursor;
      if (!found || gap < best_gap) {
        found = true;
        best = cursor;
        best_gap = gap;
      }
    }
    const uint32_t end = start + aligned_size(p.requests[other].size, p.align);
    if (end > cursor) cursor = end;
  }
  return found ? best : cursor;
}

// Keeps by_offset sorted; a new buffer goes after others at the same offset.
void insert_by_offset(const Scratch& s, uint32_t placed, uint32_t id) {
  const uint32_t offset = s.trial[id];
  uint32_t lo = 0;
  uint32_t hi = placed;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (s.trial[s.by_offset[mid]] <= offset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  memmove(&s.by_offset[lo + 1], &s.by_offset[lo], (placed - lo) * sizeof(uint32_t));
  s.by_offset[lo] = id;
}

}  // namespace

bool place_buffers(const Problem& p, Fit fit, const Scratch& s, uint32_t* peak) {
  uint32_t placed = 0;
  uint32_t top = 0;
  for (uint32_t k = 0; k < p.count; ++k) {
    const uint32_t id = s.order[k];
    const uint32_t size = aligned_size(p.requests[id].size, p.align);
    if (size == 0) {
      s.trial[id] = 0;  // occupies nothing, so it never blocks anyone
      continue;
    }
    const uint32_t offset = find_offset(p, fit, s, placed, id, size);
    if (offset > UINT32_MAX - size) return false;
    s.trial[id] = offset;
    insert_by_offset(s, placed, id);
    ++placed;
    if (offset + size > top) top = offset + size;
  }
  *peak = top;
  return true;
}

}  // namespace kiln::memory::detail
