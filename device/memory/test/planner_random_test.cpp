// Randomized properties of the planner, against TFLite Micro's greedy
// planner (reimplemented in plan_reference.h) and, for tiny inputs, the exact
// optimum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "kiln/memory/planner.h"
#include "plan_harness.h"
#include "plan_reference.h"

namespace kiln::memory {
namespace {

using testref::run_plan;

// Buffers with random sizes and random lifetimes over `ops` ops.
std::vector<BufferRequest> random_intervals(std::mt19937& rng, uint32_t count, uint16_t ops) {
  std::uniform_int_distribution<int> shape(0, 3);
  std::vector<BufferRequest> reqs;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t size = 0;
    switch (shape(rng)) {
      case 0: size = std::uniform_int_distribution<uint32_t>(0, 64)(rng); break;
      case 1: size = std::uniform_int_distribution<uint32_t>(1, 4096)(rng); break;
      case 2: size = 16u << std::uniform_int_distribution<int>(0, 10)(rng); break;
      default: size = 16u * std::uniform_int_distribution<uint32_t>(1, 300)(rng); break;
    }
    const uint16_t first = std::uniform_int_distribution<uint16_t>(0, ops - 1)(rng);
    const uint16_t span = std::uniform_int_distribution<uint16_t>(0, ops - 1 - first)(rng);
    // Most real buffers are short-lived; shorten two spans out of three.
    const uint16_t last = first + (shape(rng) == 0 ? span : span / 4);
    reqs.push_back({size, first, last});
  }
  return reqs;
}

// Few ops, long lifetimes, sizes of similar magnitude: where greedy
// orders go wrong most often.
std::vector<BufferRequest> random_crowded(std::mt19937& rng, uint32_t count, uint16_t ops) {
  std::vector<BufferRequest> reqs;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t size = 16u * std::uniform_int_distribution<uint32_t>(1, 12)(rng);
    const uint16_t first = std::uniform_int_distribution<uint16_t>(0, ops - 1)(rng);
    const uint16_t last = std::uniform_int_distribution<uint16_t>(first, ops - 1)(rng);
    reqs.push_back({size, first, last});
  }
  return reqs;
}

// Buffers as an interpreter would list them for a random layered graph:
// every op writes one tensor read by 1-3 later ops, and some ops ask for
// scratch living only during themselves.
std::vector<BufferRequest> random_graph(std::mt19937& rng, uint16_t ops) {
  std::vector<BufferRequest> reqs;
  std::uniform_int_distribution<uint32_t> act(1, 96 * 96);
  std::uniform_int_distribution<int> coin(0, 3);
  reqs.push_back({act(rng), 0, 0});  // graph input, read by op 0
  for (uint16_t op = 0; op < ops; ++op) {
    uint16_t last = op;
    const int readers = 1 + coin(rng) % 3;
    for (int k = 0; k < readers; ++k) {
      const uint16_t reach = static_cast<uint16_t>(std::uniform_int_distribution<int>(1, 4)(rng));
      last = std::max<uint16_t>(last, std::min<uint16_t>(ops - 1, op + reach));
    }
    reqs.push_back({act(rng), op, last});
    if (coin(rng) == 0) reqs.push_back({act(rng) / 4, op, op});
  }
  return reqs;
}

// The properties every plan must have.
void check_plan(const std::vector<BufferRequest>& reqs, uint32_t align, uint32_t* peak_out) {
  const auto r = run_plan(reqs, align);
  ASSERT_EQ(r.status, Status::kOk);
  Diag diag;
  ASSERT_EQ(verify_plan(reqs.data(), static_cast<uint32_t>(reqs.size()), align, r.offsets.data(),
                        r.total, &diag),
            Status::kOk)
      << diag.message();
  const uint32_t bound = lower_bound_bytes(reqs.data(), static_cast<uint32_t>(reqs.size()), align);
  EXPECT_EQ(r.stats.lower_bound_bytes, bound);
  EXPECT_GE(r.stats.passes, 1u);
  EXPECT_LE(r.stats.passes, kPlannerMaxPasses);
  EXPECT_STRNE(r.stats.strategy, "none");
  EXPECT_GE(r.total, bound);
  EXPECT_LE(r.total, testref::tflm_greedy_peak(reqs, align));
  // The peak is reached by some buffer: it is no larger than needed.
  uint64_t top = 0;
  for (size_t i = 0; i < reqs.size(); ++i) {
    top = std::max<uint64_t>(top, r.offsets[i] + testref::align_up(reqs[i].size, align));
  }
  EXPECT_EQ(top, r.total);
  *peak_out = r.total;
}

// A straightforward per-op sum, to check lower_bound_bytes independently.
uint64_t per_op_bound(const std::vector<BufferRequest>& reqs, uint32_t align) {
  uint64_t best = 0;
  for (uint32_t op = 0; op <= UINT16_MAX; ++op) {
    uint64_t live = 0;
    bool any = false;
    for (const auto& r : reqs) {
      if (r.first_use <= op && op <= r.last_use) {
        live += testref::align_up(r.size, align);
        any = true;
      }
    }
    best = std::max(best, live);
    if (!any && op > 64) break;  // generators keep all ops below 64
  }
  return best;
}

struct Tally {
  int cases = 0;
  int better_than_greedy = 0;
  int at_bound = 0;
  int greedy_at_bound = 0;
  uint64_t ours_total = 0;
  uint64_t greedy_total = 0;
  uint64_t bound_total = 0;

  void add(const std::vector<BufferRequest>& reqs, uint32_t align, uint32_t ours) {
    const uint64_t greedy = testref::tflm_greedy_peak(reqs, align);
    const uint32_t bound = lower_bound_bytes(reqs.data(), static_cast<uint32_t>(reqs.size()), align);
    ++cases;
    better_than_greedy += ours < greedy;
    at_bound += ours == bound;
    greedy_at_bound += greedy == bound;
    ours_total += ours;
    greedy_total += greedy;
    bound_total += bound;
  }
  void print(const char* name) const {
    std::printf("[%s] %d cases: ours at bound %d, greedy at bound %d, ours < greedy %d; "
                "sum peaks ours %llu greedy %llu bound %llu\n",
                name, cases, at_bound, greedy_at_bound, better_than_greedy,
                static_cast<unsigned long long>(ours_total),
                static_cast<unsigned long long>(greedy_total),
                static_cast<unsigned long long>(bound_total));
  }
};

TEST(PlannerRandom, RandomLifetimesGiveValidPlansNoWorseThanGreedy) {
  std::mt19937 rng(20240611);
  Tally tally;
  for (int iter = 0; iter < 3000; ++iter) {
    const uint32_t count = std::uniform_int_distribution<uint32_t>(1, 48)(rng);
    const uint16_t ops = static_cast<uint16_t>(std::uniform_int_distribution<int>(1, 40)(rng));
    const uint32_t align = 1u << std::uniform_int_distribution<int>(0, 6)(rng);
    const auto reqs = random_intervals(rng, count, ops);
    uint32_t peak = 0;
    check_plan(reqs, align, &peak);
    if (HasFatalFailure()) return;
    EXPECT_EQ(lower_bound_bytes(reqs.data(), count, align), per_op_bound(reqs, align));
    tally.add(reqs, align, peak);
  }
  tally.print("intervals");
  EXPECT_GT(tally.better_than_greedy, 0);
  EXPECT_GE(tally.at_bound, tally.greedy_at_bound);
}

TEST(PlannerRandom, RandomGraphsGiveValidPlansNoWorseThanGreedy) {
  std::mt19937 rng(7);
  Tally tally;
  for (int iter = 0; iter < 1000; ++iter) {
    const uint16_t ops = static_cast<uint16_t>(std::uniform_int_distribution<int>(1, 60)(rng));
    const auto reqs = random_graph(rng, ops);
    uint32_t peak = 0;
    check_plan(reqs, 16, &peak);
    if (HasFatalFailure()) return;
    tally.add(reqs, 16, peak);
  }
  tally.print("graphs");
  EXPECT_GT(tally.better_than_greedy, 0);
  EXPECT_LT(tally.ours_total, tally.greedy_total);
}

TEST(PlannerRandom, TinyCasesAgainstTheExactOptimum) {
  std::mt19937 rng(99);
  int ours_optimal = 0;
  int greedy_optimal = 0;
  const int kCases = 400;
  for (int iter = 0; iter < kCases; ++iter) {
    const uint32_t count = std::uniform_int_distribution<uint32_t>(3, 7)(rng);
    const uint16_t ops = static_cast<uint16_t>(std::uniform_int_distribution<int>(3, 8)(rng));
    const auto reqs = random_crowded(rng, count, ops);
    uint32_t peak = 0;
    check_plan(reqs, 16, &peak);
    if (HasFatalFailure()) return;
    const uint64_t optimum = testref::exact_optimal_peak(reqs, 16);
    ASSERT_GE(peak, optimum);
    ours_optimal += peak == optimum;
    greedy_optimal += testref::tflm_greedy_peak(reqs, 16) == optimum;
  }
  std::printf("[tiny] %d cases: ours optimal %d, greedy optimal %d\n", kCases, ours_optimal,
              greedy_optimal);
  EXPECT_GT(ours_optimal, greedy_optimal);
  EXPECT_GE(ours_optimal, kCases * 95 / 100);  // quality floor (399 when written)
}

TEST(PlannerRandom, LargeInputStaysValid) {
  // Many buffers: exercises the sort and the offset-ordered list at depth.
  std::mt19937 rng(31337);
  const auto reqs = random_intervals(rng, 2000, 400);
  uint32_t peak = 0;
  check_plan(reqs, 16, &peak);
}

}  // namespace
}  // namespace kiln::memory
