// p50/p99 over the last kWindow inference latencies: exact within the window,
// fixed memory, O(kWindow log) only when health is encoded.
#pragma once
#include <stdint.h>

namespace kiln::telemetry {

class LatencyWindow {
 public:
  static constexpr uint32_t kWindow = 128;
  void add(uint32_t us) {
    samples_[next_] = us;
    next_ = (next_ + 1) % kWindow;
    if (count_ < kWindow) ++count_;
  }
  uint32_t count() const { return count_; }
  // Nearest-rank percentile (1..100); 0 when empty.
  uint32_t percentile(uint32_t pct) const;

 private:
  uint32_t samples_[kWindow] = {};
  uint32_t next_ = 0;
  uint32_t count_ = 0;
};

}  // namespace kiln::telemetry
