// The planner's building blocks: its first pass is TFLite Micro's greedy
// planner offset for offset, its orders are sorted, its perturbation keeps
// every buffer.
#include "../plan_internal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "plan_reference.h"

namespace kiln::memory::detail {
namespace {

struct Workspace {
  explicit Workspace(uint32_t n) : words(4 * n) {
    s = Scratch{words.data(), words.data() + n, words.data() + 2 * n, words.data() + 3 * n};
  }
  std::vector<uint32_t> words;
  Scratch s{};
};

std::vector<BufferRequest> random_requests(std::mt19937& rng, uint32_t count, uint16_t ops) {
  std::vector<BufferRequest> reqs;
  for (uint32_t i = 0; i < count; ++i) {
    // Few distinct sizes so that ties (broken by index) are common.
    const uint32_t size = 16u * std::uniform_int_distribution<uint32_t>(0, 6)(rng);
    const uint16_t first = std::uniform_int_distribution<uint16_t>(0, ops - 1)(rng);
    const uint16_t last = std::uniform_int_distribution<uint16_t>(first, ops - 1)(rng);
    reqs.push_back({size, first, last});
  }
  return reqs;
}

TEST(PlanPasses, SizeOrderWithLowestFitIsTflmGreedyExactly) {
  std::mt19937 rng(4242);
  for (int iter = 0; iter < 1000; ++iter) {
    const uint32_t n = std::uniform_int_distribution<uint32_t>(1, 30)(rng);
    const auto reqs = random_requests(rng, n, 12);
    Workspace ws(n);
    const Problem p{reqs.data(), n, 16};
    sort_buffers(p, Order::kSize, ws.s);
    uint32_t peak = 0;
    ASSERT_TRUE(place_buffers(p, Fit::kLowest, ws.s, &peak));
    std::vector<uint64_t> tflm;
    EXPECT_EQ(peak, testref::tflm_greedy_peak(reqs, 16, &tflm));
    for (uint32_t i = 0; i < n; ++i) {
      if (reqs[i].size == 0) continue;  // TFLM also puts these at 0, but files them
      EXPECT_EQ(ws.s.trial[i], tflm[i]) << "buffer " << i << " case " << iter;
    }
  }
}

TEST(PlanPasses, EveryOrderIsASortedPermutation) {
  std::mt19937 rng(77);
  const auto reqs = random_requests(rng, 40, 10);
  const Problem p{reqs.data(), 40, 16};
  Workspace ws(40);
  for (Order order : {Order::kSize, Order::kArea, Order::kLifetime, Order::kPressure,
                      Order::kConflict, Order::kFirstUse, Order::kLastUse}) {
    sort_buffers(p, order, ws.s);
    std::vector<uint32_t> ids(ws.s.order, ws.s.order + 40);
    std::vector<uint32_t> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    for (uint32_t i = 0; i < 40; ++i) ASSERT_EQ(sorted[i], i);
    // Spot-check the primary keys of the simple orders.
    for (uint32_t k = 1; k < 40; ++k) {
      const BufferRequest& a = reqs[ids[k - 1]];
      const BufferRequest& b = reqs[ids[k]];
      switch (order) {
        case Order::kSize: EXPECT_GE(a.size, b.size); break;
        case Order::kLifetime:
          EXPECT_GE(a.last_use - a.first_use, b.last_use - b.first_use);
          break;
        case Order::kFirstUse: EXPECT_LE(a.first_use, b.first_use); break;
        case Order::kLastUse: EXPECT_GE(a.last_use, b.last_use); break;
        default: break;
      }
    }
  }
}

TEST(PlanPasses, PressureOrderStartsWithTheBusiestOp) {
  // Op 1 holds 64 + 48 + 16 bytes; buffers alive there come first, larger
  // first; the op-3 buffer (32 bytes, quieter op) comes last.
  const std::vector<BufferRequest> reqs = {
      {32, 3, 3}, {16, 0, 1}, {64, 1, 1}, {48, 1, 2}, {16, 2, 2}};
  const Problem p{reqs.data(), 5, 16};
  Workspace ws(5);
  sort_buffers(p, Order::kPressure, ws.s);
  const std::vector<uint32_t> ids(ws.s.order, ws.s.order + 5);
  EXPECT_EQ(ids, (std::vector<uint32_t>{2, 3, 1, 4, 0}));
}

TEST(PlanPasses, PerturbationKeepsAPermutationAndIsRepeatable) {
  std::vector<uint32_t> a(50), b(50);
  for (uint32_t i = 0; i < 50; ++i) a[i] = b[i] = i;
  uint32_t sa = 0x9E3779B9u, sb = 0x9E3779B9u;
  for (int round = 0; round < 20; ++round) {
    perturb_order(a.data(), 50, &sa);
    perturb_order(b.data(), 50, &sb);
  }
  EXPECT_EQ(a, b);
  std::vector<uint32_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t i = 0; i < 50; ++i) EXPECT_EQ(sorted[i], i);
  std::vector<uint32_t> identity(50);
  for (uint32_t i = 0; i < 50; ++i) identity[i] = i;
  EXPECT_NE(a, identity);
  uint32_t one = 7, state = 1;
  perturb_order(&one, 1, &state);  // nothing to swap
  EXPECT_EQ(one, 7u);
}

}  // namespace
}  // namespace kiln::memory::detail
