// plan_arena(): several greedy passes, keeping the tightest plan.
//
// A pass takes the buffers in some order and puts each at a free offset
// among the already-placed buffers whose lifetimes overlap it. The first
// pass (size descending, lowest offset) is exactly TFLite Micro's
// GreedyMemoryPlanner, so no plan we return is worse than it. The other
// orders and the best-fit rule each cost one sort and one O(n^2) sweep and
// often close part of the gap to the lower bound; a few random swaps of the
// winning order then polish it. Any pass that reaches the bound stops the
// search: nothing can beat it.
#include <string.h>

#include "kiln/memory/planner.h"
#include "plan_internal.h"

namespace kiln::memory {
namespace {

using detail::Fit;
using detail::Order;
using detail::Problem;
using detail::Scratch;

struct Strategy {
  Order order;
  Fit fit;
  const char* name;
};

// TFLite Micro's equivalent must stay first: later passes replace the plan
// only when strictly smaller.
constexpr Strategy kStrategies[] = {
    {Order::kSize, Fit::kLowest, "size/first-fit"},
    {Order::kSize, Fit::kTightestGap, "size/best-fit"},
    {Order::kPressure, Fit::kLowest, "pressure/first-fit"},
    {Order::kPressure, Fit::kTightestGap, "pressure/best-fit"},
    {Order::kConflict, Fit::kLowest, "conflict/first-fit"},
    {Order::kConflict, Fit::kTightestGap, "conflict/best-fit"},
    {Order::kArea, Fit::kLowest, "area/first-fit"},
    {Order::kArea, Fit::kTightestGap, "area/best-fit"},
    {Order::kLifetime, Fit::kLowest, "lifetime/first-fit"},
    {Order::kLifetime, Fit::kTightestGap, "lifetime/best-fit"},
    {Order::kFirstUse, Fit::kLowest, "first-use/first-fit"},
    {Order::kFirstUse, Fit::kTightestGap, "first-use/best-fit"},
    {Order::kLastUse, Fit::kLowest, "last-use/first-fit"},
    {Order::kLastUse, Fit::kTightestGap, "last-use/best-fit"},
};
constexpr uint32_t kStrategyCount = sizeof(kStrategies) / sizeof(kStrategies[0]);
static_assert(kStrategyCount == kPlannerFixedPasses,
              "keep the documented pass count in planner.h in step");

// The best plan so far; its offsets live in the caller's `offsets`.
struct Search {
  const Problem& p;
  const Scratch& s;
  uint32_t* offsets;
  uint64_t bound;
  bool have_plan = false;
  uint32_t peak = 0;
  uint32_t winner = 0;  // index into kStrategies
  bool refined = false;
  uint32_t passes = 0;

  bool optimal() const { return have_plan && peak == bound; }

  // Places s.order; adopts the result when strictly smaller. Returns true
  // when the pass fit in 32 bits and was no larger than the best.
  bool run_pass(Fit fit, uint32_t strategy, bool is_refinement) {
    uint32_t pass_peak = 0;
    ++passes;
    if (!detail::place_buffers(p, fit, s, &pass_peak)) return false;
    if (have_plan && pass_peak > peak) return false;
    if (!have_plan || pass_peak < peak) {
      have_plan = true;
      peak = pass_peak;
      winner = strategy;
      refined = is_refinement;
      memcpy(offsets, s.trial, p.count * sizeof(uint32_t));
    }
    return true;
  }

  // Strategies come in pairs sharing an order: sort once, place twice.
  void try_strategies(uint32_t max_passes) {
    for (uint32_t i = 0; i < kStrategyCount && passes < max_passes && !optimal(); ++i) {
      if (i == 0 || kStrategies[i].order != kStrategies[i - 1].order) {
        detail::sort_buffers(p, kStrategies[i].order, s);
      }
      run_pass(kStrategies[i].fit, i, false);
    }
  }

  // Local search around the winning order: swap a few neighbours, keep the
  // new order if its plan is no larger (equal plans let the search drift).
  // s.aux holds the current order between rounds.
  void refine(uint32_t max_passes) {
    if (!have_plan || optimal() || passes >= max_passes) return;
    const uint32_t base = winner;
    detail::sort_buffers(p, kStrategies[base].order, s);
    memcpy(s.aux, s.order, p.count * sizeof(uint32_t));
    uint32_t rng = 0x9E3779B9u;  // fixed seed: plans are reproducible
    while (passes < max_passes && !optimal()) {
      memcpy(s.order, s.aux, p.count * sizeof(uint32_t));
      detail::perturb_order(s.order, p.count, &rng);
      if (run_pass(kStrategies[base].fit, base, true)) {
        memcpy(s.aux, s.order, p.count * sizeof(uint32_t));
      }
    }
  }
};

Status carve_workspace(PlannerWorkspace ws, uint32_t count, Scratch* out) {
  if (ws.data == nullptr || reinterpret_cast<uintptr_t>(ws.data) % 4 != 0 ||
      ws.bytes / kPlannerBytesPerBuffer < count) {
    return Status::kInvalidArgument;
  }
  uint32_t* words = static_cast<uint32_t*>(ws.data);
  const size_t n = count;
  *out = Scratch{words, words + n, words + 2 * n, words + 3 * n};
  return Status::kOk;
}

}  // namespace

Status plan_arena(const BufferRequest* requests, uint32_t count, uint32_t align,
                  PlannerWorkspace workspace, uint32_t* offsets, uint32_t* total_bytes,
                  PlanStats* stats, uint32_t max_passes) {
  if (total_bytes == nullptr || (count > 0 && offsets == nullptr)) {
    return Status::kInvalidArgument;
  }
  *total_bytes = 0;
  KILN_TRY(detail::validate_requests(requests, count, align));
  const uint64_t bound = detail::live_peak64(requests, count, align);
  if (stats) *stats = PlanStats{bound > UINT32_MAX ? UINT32_MAX : uint32_t(bound), 0, "none", false};
  if (bound > UINT32_MAX) return Status::kInvalidArgument;  // no plan fits 32 bits
  if (count == 0) return Status::kOk;
  Scratch s{};
  KILN_TRY(carve_workspace(workspace, count, &s));

  const Problem p{requests, count, align};
  Search search{p, s, offsets, bound};
  const uint32_t pass_budget = max_passes == 0 ? 1 : max_passes;
  search.try_strategies(pass_budget);
  search.refine(pass_budget);
  if (stats) {
    stats->passes = search.passes;
    if (search.have_plan) {
      const Strategy& w = kStrategies[search.winner];
      stats->strategy = w.name;
      stats->refined = search.refined;
    }
  }
  if (!search.have_plan) return Status::kInvalidArgument;  // every plan passed 4 GiB
  *total_bytes = search.peak;
  return Status::kOk;
}

}  // namespace kiln::memory
