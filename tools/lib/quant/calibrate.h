// Internal: runs the float model on the calibration samples with the device
// interpreter and records, for every float activation tensor, its min/max
// and (for percentile / MSE) a histogram over that range.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "kiln/dataset/dataset.h"

namespace kiln::quant::detail {

struct TensorStats {
  bool seen = false;
  float min = 0.0f;
  float max = 0.0f;
  std::vector<uint64_t> histogram;  // bins over [min, max], empty for min/max only
  uint64_t count() const;
};

constexpr size_t kHistogramBins = 2048;

// One entry per model tensor. `histograms`: a second pass fills them.
// Throws ToolError on an empty set, a sample of the wrong size, a non-float
// model input or a model the interpreter cannot run.
std::vector<TensorStats> calibrate(const std::vector<uint8_t>& model_bytes, const dataset::Dataset& data,
                                   size_t max_samples, bool histograms,
                                   const std::function<void(size_t, size_t)>& progress);

}  // namespace kiln::quant::detail
