// Post-training quantization of a float .tflite model to TFLite's int8
// scheme, calibrated on a data set:
//   weights      int8, symmetric, narrow range [-127,127], per channel
//                (CONV_2D axis 0, DEPTHWISE_CONV_2D axis 3, FULLY_CONNECTED axis 0)
//   bias         int32, scale = input_scale * weight_scale[c], zero point 0
//   activations  int8, per tensor, asymmetric, range widened to include 0
//                with the zero point nudged to an integer, as TFLite does
//   fixed params SOFTMAX / LOGISTIC out 1/256 zp -128, TANH 1/128 zp 0
//   shared       RESHAPE, MAX_POOL_2D, AVERAGE_POOL_2D, CONCATENATION... output
//                takes its input's params, as the converter does
// Float I/O (the default) adds QUANTIZE after each float input and DEQUANTIZE
// before each float output; int8_io makes the model's inputs/outputs int8.
// Tensor names are kept from the float model (per-layer comparison matches
// int8 tensors to float ones by name). With float I/O the model's float
// input/output tensors keep their names and their int8 twins at the
// QUANTIZE/DEQUANTIZE boundary are named "<name>_int8". Host only; throws kiln::host::ToolError.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kiln/dataset/dataset.h"

namespace kiln::quant {

enum class Calibration { kMinMax, kPercentile, kMse };

struct QuantizeOptions {
  Calibration calibration = Calibration::kMinMax;
  float percentile = 99.99f;  // kPercentile: keep this share of |values| inside the range
  bool int8_io = false;  // false: float inputs/outputs with QUANTIZE/DEQUANTIZE at the boundary
  size_t max_samples = 0;  // 0 = every calibration sample
  // FULLY_CONNECTED weights per output channel (axis 0). Off by default: the
  // TFLite converter's shipped models (MLPerf Tiny) use per-tensor FC weights.
  bool per_channel_fc = false;
  // Called after each calibration sample (done, total), e.g. for progress.
  std::function<void(size_t, size_t)> progress;
};

// What was chosen for one tensor of the output model.
struct TensorQuantReport {
  std::string name;           // same name as in the float model
  std::string role;           // "activation", "weight", "bias", "input", "output"
  float observed_min = 0.0f;  // activations: over the calibration set
  float observed_max = 0.0f;
  float range_min = 0.0f;     // range after calibration (and after including 0)
  float range_max = 0.0f;
  std::vector<float> scale;   // one per tensor or per channel
  std::vector<int64_t> zero_point;
  int32_t axis = 0;
};

struct QuantizeReport {
  Calibration calibration = Calibration::kMinMax;
  size_t samples_used = 0;
  size_t ops_quantized = 0;  // float ops turned into int8 ops
  size_t ops_total = 0;      // ops in the output model (incl. QUANTIZE/DEQUANTIZE)
  std::vector<std::string> op_names;  // output model's ops, in order
  std::vector<TensorQuantReport> tensors;
};

// The int8 model bytes. Throws ToolError for an unsupported operator (named),
// an empty calibration set, a sample whose size does not match the model's
// input, or a model that is not a float model.
std::vector<uint8_t> quantize(const std::vector<uint8_t>& float_model,
                              const dataset::Dataset& calibration,
                              const QuantizeOptions& options, QuantizeReport* report = nullptr);

// "minmax" | "percentile" | "mse" <-> Calibration; parse throws on other names.
Calibration parse_calibration(const std::string& name);
const char* calibration_name(Calibration calibration);

}  // namespace kiln::quant
