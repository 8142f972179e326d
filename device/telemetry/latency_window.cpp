#include "kiln/telemetry/latency_window.h"

namespace kiln::telemetry {

uint32_t LatencyWindow::percentile(uint32_t pct) const {
  if (count_ == 0) return 0;
  uint32_t sorted[kWindow];
  for (uint32_t i = 0; i < count_; ++i) {  // insertion sort: at most 128 values
    uint32_t v = samples_[i], j = i;
    for (; j > 0 && sorted[j - 1] > v; --j) sorted[j] = sorted[j - 1];
    sorted[j] = v;
  }
  if (pct > 100) pct = 100;
  uint32_t rank = (pct * count_ + 99) / 100;  // ceil(pct/100 * n)
  if (rank == 0) rank = 1;
  return sorted[rank - 1];
}

}  // namespace kiln::telemetry
