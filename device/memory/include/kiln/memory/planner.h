// Arena memory planner: decides where, inside one shared block of bytes, each
// activation tensor and per-op scratch buffer lives, so that two buffers that
// are alive during the same op never share a byte.
//
// Offline-style: the interpreter lists every buffer with its size and
// lifetime once (at init), calls plan_arena(), and then owns a table of
// offsets. Heap-free and freestanding: the caller provides all working memory
// (see PlannerWorkspace); there is no recursion. Deterministic: the same
// requests give the same plan on every host and target.
//
// Typical use:
//   BufferRequest reqs[n] = ...;                 // one per buffer
//   PlannerStorage<64> storage;                  // or a slice of free arena
//   uint32_t offsets[n], total = 0;
//   KILN_TRY(plan_arena(reqs, n, kDefaultAlignment, storage.workspace(),
//                       offsets, &total));
//   // buffer i lives at arena + offsets[i]; the plan needs `total` bytes.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"

namespace kiln::memory {

// Every offset is a multiple of the alignment and every buffer occupies its
// size rounded up to the alignment. 16 suits int8/int16/int32/float data and
// 128-bit vector loads.
constexpr uint32_t kDefaultAlignment = 16;

// One buffer to place. Lifetimes are inclusive op-index ranges: first_use 2,
// last_use 4 means alive during ops 2, 3 and 4. Two buffers may share memory
// only if their ranges have no op in common. Conventions for the interpreter:
//   - output of op k read last by op m:  {bytes, k, m}
//   - graph input read by ops up to m:   {bytes, 0, m}
//   - graph output produced by op k:     {bytes, k, last op}
//   - scratch requested by op k:         {bytes, k, k}
// Zero-size buffers are allowed: they occupy nothing and get offset 0.
struct BufferRequest {
  uint32_t size;       // bytes, before alignment
  uint16_t first_use;  // first op index that touches the buffer
  uint16_t last_use;   // last op index that touches it (inclusive)
};

// Working memory of plan_arena(): exactly 16 bytes (four 32-bit words) per
// buffer, 4-byte aligned. Nothing else is used besides a few locals; the
// memory is free again when plan_arena() returns.
constexpr size_t kPlannerBytesPerBuffer = 16;
constexpr size_t planner_workspace_bytes(uint32_t buffer_count) {
  return kPlannerBytesPerBuffer * static_cast<size_t>(buffer_count);
}

struct PlannerWorkspace {
  void* data;    // 4-byte aligned; may be nullptr when there are no buffers
  size_t bytes;  // >= planner_workspace_bytes(buffer_count)
};

// Static working memory for up to kMaxBuffers buffers (firmware globals,
// tests). A heap-free alternative is a slice of the arena's free space.
template <uint32_t kMaxBuffers>
struct PlannerStorage {
  static_assert(kMaxBuffers > 0, "PlannerStorage needs room for at least one buffer");
  uint32_t words[kPlannerBytesPerBuffer / 4 * kMaxBuffers];
  PlannerWorkspace workspace() { return PlannerWorkspace{words, sizeof(words)}; }
};

// Effort. The planner runs up to `max_passes` placement passes and keeps
// the smallest plan; each pass is O(n^2) in the worst case (n = buffer
// count), plus O(n^2) sort-key sweeps. Pass 1 is TFLite Micro's greedy plan;
// passes 2..14 try other fixed orders and placement rules; later passes swap
// random neighbours in the best order so far (fixed seed, so still
// deterministic). The search stops early at a plan that meets
// lower_bound_bytes(), which for chain-like networks is usually pass 1.
// Measured on rv32imac (QEMU, -O2), graph-like requests: 100 buffers, 1 pass
// 0.2 M instructions, all 22 passes 3.2 M; 400 buffers, 1 pass 2.5 M, 9
// passes (then at the bound) 20 M. See device/memory/README.md.
constexpr uint32_t kPlannerFixedPasses = 14;
constexpr uint32_t kPlannerMaxPasses = 22;  // the default: 8 swap rounds

// What plan_arena() found, for logs and reports (optional output).
struct PlanStats {
  uint32_t lower_bound_bytes;  // lower_bound_bytes() of the same requests
  uint32_t passes;             // placement passes run (<= max_passes)
  const char* strategy;        // the order/fit that won, e.g. "size/first-fit"
  bool refined;                // the winner was improved by neighbour swaps
};

// Plans offsets for `count` buffers.
//   align:       power of two >= 1 (kDefaultAlignment unless you know better)
//   workspace:   >= planner_workspace_bytes(count) bytes, 4-byte aligned
//   offsets:     out, `count` entries; offsets[i] is buffer i's byte offset
//   total_bytes: out, bytes the plan needs (its peak): max of offset + aligned
//                size over all buffers; 0 when there are no buffers
//   stats:       optional out, see PlanStats
//   max_passes:  effort cap (see above); 1 (or 0) gives exactly TFLite
//                Micro's greedy plan at its cost, any value is accepted
// Guarantees: every offset is a multiple of `align`; buffers whose lifetimes
// share an op never overlap; total_bytes is never larger than what TFLite
// Micro's GreedyMemoryPlanner gives for the same (aligned) requests, and never
// smaller than lower_bound_bytes(). Errors (outputs unspecified, *total_bytes
// set to 0):
//   kInvalidArgument: null pointers, align not a power of two, workspace too
//     small or misaligned, a request with first_use > last_use, a size that
//     overflows 32 bits when aligned, or a plan that would exceed 4 GiB
//     (within the passes tried).
Status plan_arena(const BufferRequest* requests, uint32_t count, uint32_t align,
                  PlannerWorkspace workspace, uint32_t* offsets, uint32_t* total_bytes,
                  PlanStats* stats = nullptr, uint32_t max_passes = kPlannerMaxPasses);

// The largest sum of aligned sizes of buffers alive at one op: no plan can
// need fewer bytes. Saturates at UINT32_MAX. Requests with first_use >
// last_use count as alive nowhere; returns 0 for a bad `align`. O(count^2).
uint32_t lower_bound_bytes(const BufferRequest* requests, uint32_t count,
                           uint32_t align = kDefaultAlignment);

// Checks a plan (ours or anyone's): every offset is a multiple of `align`,
// every buffer (aligned size) lies inside [0, total_bytes), and no two
// buffers alive at a common op overlap. Returns kOk, kInvalidArgument for
// unusable inputs (as plan_arena), or kInternal for a broken plan, with the
// offending buffers described in `diag` when given. O(count^2).
Status verify_plan(const BufferRequest* requests, uint32_t count, uint32_t align,
                   const uint32_t* offsets, uint32_t total_bytes, Diag* diag = nullptr);

}  // namespace kiln::memory
