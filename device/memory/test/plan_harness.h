// Calls kiln's planner with vectors and exact-size working memory.
#pragma once
#include <cstdint>
#include <vector>

#include "kiln/memory/planner.h"

namespace kiln::memory::testref {

struct PlanResult {
  Status status = Status::kInternal;
  std::vector<uint32_t> offsets;
  uint32_t total = 0;
  PlanStats stats{};
};

// The workspace is exactly planner_workspace_bytes(n), so any write past it
// shows up under ASan.
inline PlanResult run_plan(const std::vector<BufferRequest>& reqs,
                           uint32_t align = kDefaultAlignment) {
  const uint32_t n = static_cast<uint32_t>(reqs.size());
  std::vector<uint32_t> words(planner_workspace_bytes(n) / sizeof(uint32_t));
  PlanResult r;
  r.offsets.assign(n, 0xDEADBEEFu);
  r.status = plan_arena(reqs.data(), n, align,
                        PlannerWorkspace{words.data(), words.size() * sizeof(uint32_t)},
                        r.offsets.data(), &r.total, &r.stats);
  return r;
}

inline Status verify(const std::vector<BufferRequest>& reqs, const PlanResult& r,
                     uint32_t align = kDefaultAlignment) {
  return verify_plan(reqs.data(), static_cast<uint32_t>(reqs.size()), align, r.offsets.data(),
                     r.total);
}

}  // namespace kiln::memory::testref
