// Host-only reference planners the tests measure kiln's planner against.
//
// - tflm_greedy_peak: the behaviour of TensorFlow Lite Micro's
//   GreedyMemoryPlanner (buffers by size descending, ties in request order;
//   each goes to the lowest gap among already-placed buffers whose lifetimes
//   overlap it, scanning them in offset order). Written from its description,
//   sizes pre-aligned as TFLM's allocator does before AddBuffer.
// - exact_optimal_peak: true optimum for tiny inputs. Any optimal plan is
//   reproduced by lowest-offset placement in the order of its offsets, so the
//   minimum over all orders of lowest-offset placement is the optimum.
#pragma once
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "kiln/memory/planner.h"

namespace kiln::memory::testref {

inline uint64_t align_up(uint64_t v, uint32_t align) { return (v + align - 1) / align * align; }

inline bool live_together(const BufferRequest& a, const BufferRequest& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

// Lowest-offset placement in the given order; returns the peak.
inline uint64_t lowest_fit_peak(const std::vector<BufferRequest>& reqs, uint32_t align,
                                const std::vector<int>& order,
                                std::vector<uint64_t>* offsets_out = nullptr) {
  std::vector<uint64_t> offset(reqs.size(), 0);
  std::vector<int> placed;  // kept sorted by offset, equal offsets in placement order
  uint64_t peak = 0;
  for (int id : order) {
    const uint64_t size = align_up(reqs[id].size, align);
    int64_t candidate = 0;
    for (int other : placed) {
      if (!live_together(reqs[id], reqs[other])) continue;
      const int64_t gap = static_cast<int64_t>(offset[other]) - candidate;
      if (gap >= static_cast<int64_t>(size)) break;
      const int64_t end = static_cast<int64_t>(offset[other] + align_up(reqs[other].size, align));
      candidate = std::max(candidate, end);
    }
    offset[id] = static_cast<uint64_t>(candidate);
    auto at = std::upper_bound(placed.begin(), placed.end(), offset[id],
                               [&](uint64_t o, int p) { return o < offset[p]; });
    placed.insert(at, id);
    peak = std::max(peak, offset[id] + size);
  }
  if (offsets_out) *offsets_out = offset;
  return peak;
}

inline uint64_t tflm_greedy_peak(const std::vector<BufferRequest>& reqs, uint32_t align,
                                 std::vector<uint64_t>* offsets_out = nullptr) {
  std::vector<int> order(reqs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return align_up(reqs[a].size, align) > align_up(reqs[b].size, align);
  });
  return lowest_fit_peak(reqs, align, order, offsets_out);
}

inline uint64_t exact_optimal_peak(const std::vector<BufferRequest>& reqs, uint32_t align) {
  std::vector<int> order(reqs.size());
  std::iota(order.begin(), order.end(), 0);
  uint64_t best = UINT64_MAX;
  do {
    best = std::min(best, lowest_fit_peak(reqs, align, order));
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

}  // namespace kiln::memory::testref
