// Pieces of the arena planner shared by its source files. Private to
// device/memory: the public API is kiln/memory/planner.h.
#pragma once
#include <stdint.h>

#include "kiln/memory/planner.h"

namespace kiln::memory::detail {

inline bool is_valid_alignment(uint32_t align) {
  return align != 0 && (align & (align - 1)) == 0;
}

// Size rounded up to `align` (a power of two), computed in 64 bits so that
// it cannot wrap; callers decide what a result above UINT32_MAX means.
inline uint64_t aligned_size64(uint32_t size, uint32_t align) {
  const uint64_t mask = static_cast<uint64_t>(align) - 1;
  return (static_cast<uint64_t>(size) + mask) & ~mask;
}

// Only after validate_requests() succeeded: the aligned size fits 32 bits.
inline uint32_t aligned_size(uint32_t size, uint32_t align) {
  return static_cast<uint32_t>(aligned_size64(size, align));
}

// True when the two inclusive op ranges have an op in common.
inline bool lifetimes_overlap(const BufferRequest& a, const BufferRequest& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

inline bool alive_at(const BufferRequest& r, uint32_t op) {
  return r.first_use <= op && op <= r.last_use;
}

// kOk when every request is well formed and its aligned size fits 32 bits.
Status validate_requests(const BufferRequest* requests, uint32_t count, uint32_t align);

// Sum of aligned sizes alive at `op`, unsaturated.
uint64_t live_bytes_at(const BufferRequest* requests, uint32_t count, uint32_t align, uint32_t op);

// Largest live_bytes_at() over all ops, unsaturated.
uint64_t live_peak64(const BufferRequest* requests, uint32_t count, uint32_t align);

// ---- Planning passes (validated requests only) -----------------------------

struct Problem {
  const BufferRequest* requests;
  uint32_t count;
  uint32_t align;
};

// The caller's workspace: four arrays of `count` words (see
// kPlannerBytesPerBuffer).
struct Scratch {
  uint32_t* order;      // buffer ids in placement order
  uint32_t* by_offset;  // placed non-empty ids, ascending offset
  uint32_t* trial;      // offsets of the pass in progress
  uint32_t* aux;        // per-buffer sort keys, later the best order so far
};

// Placement orders. Every one breaks ties by larger aligned size, then by
// lower request index, so each is total and repeatable.
enum class Order : uint8_t {
  kSize,      // larger first (TFLite Micro's order)
  kArea,      // larger size x lifetime first
  kLifetime,  // longer-lived first
  kPressure,  // first those alive during the busiest op (the bound's op)
  kConflict,  // first those sharing ops with the most bytes
  kFirstUse,  // earlier-born first
  kLastUse,   // later-dying first
};

// Where a buffer goes among the live ones already placed.
enum class Fit : uint8_t {
  kLowest,       // the lowest offset that fits (TFLite Micro's rule)
  kTightestGap,  // the smallest free gap that fits, else on top
};

// Fills s.order with all ids in `order`; uses s.aux (and s.trial for the
// pressure order) as temporary key storage.
void sort_buffers(const Problem& p, Order order, const Scratch& s);

// Swaps a few random neighbours in `ids` (xorshift32; *state must be != 0).
void perturb_order(uint32_t* ids, uint32_t count, uint32_t* state);

// Places the buffers in s.order; offsets land in s.trial. Returns false when
// the plan would pass 4 GiB, else true with the plan's size in *peak.
bool place_buffers(const Problem& p, Fit fit, const Scratch& s, uint32_t* peak);

}  // namespace kiln::memory::detail
