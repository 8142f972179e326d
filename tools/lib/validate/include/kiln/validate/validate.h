// kiln validate: FP32 on the host (stage 1), INT8 on the host (stage 2) and
// INT8 on the target (stage 3), compared sample by sample, with a gate that
// sets the exit code for CI.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiln/dataset/dataset.h"
#include "kiln/quant/quantize.h"
#include "kiln/validate/layer_drift.h"
#include "kiln/validate/metrics.h"

namespace kiln::validate {

// Raw tensor bytes: batch[sample][input or output].
using Batch = std::vector<std::vector<std::vector<uint8_t>>>;
using Progress = std::function<void(const std::string& stage, size_t done, size_t total)>;

// Where stage 3 runs: a board reached through the target protocol
// (target_stage.h opens one), or a stand-in in tests.
class Int8Target {
 public:
  virtual ~Int8Target() = default;
  virtual std::string describe() const = 0;
  virtual void load(const std::vector<uint8_t>& model) = 0;
  virtual Batch run(const Batch& inputs, const std::function<void(size_t, size_t)>& progress) = 0;
  // Of the last inference: retired instructions and cycles (0 when unknown).
  virtual uint64_t instructions() = 0;
  virtual uint64_t cycles() = 0;
};

struct ValidateOptions {
  std::string float_model;
  std::string int8_model;      // empty: quantize the float model first
  std::string int8_out;        // where the quantized model is written (empty: a temp file)
  const dataset::Dataset* calibration = nullptr;  // null: the first calibration_samples of the data
  size_t calibration_samples = 500;
  quant::Calibration calibration_method = quant::Calibration::kMinMax;
  size_t layer_samples = 100;  // samples for per-layer SQNR
  // false: outputs are not class scores (regression, autoencoder): no top-1
  // agreement or accuracy; the gate checks stage 3 against stage 2 only.
  bool classification = true;
  double max_drift = 0.05;     // top-1 disagreement with FP32, as a fraction
  double max_accuracy_drop = 1.0;  // percentage points below FP32
  Int8Target* target = nullptr;    // stage 3 when set
  std::string board;               // for the report
  Progress progress;
};

struct StageReport {
  std::string name;   // "fp32-host", "int8-host", "int8-target"
  std::string title;  // "Stage 1: FP32 on host"
  std::string where;  // "host" or the board
  size_t samples = 0;
  double seconds = 0.0;
  std::optional<double> accuracy;   // percent, with labels
  std::optional<double> agreement;  // percent of samples whose top-1 equals stage 1's
  DriftStats drift;                 // dequantized outputs vs stage 1
  bool compared_bytes = false;      // stage 3 vs stage 2
  size_t mismatched_samples = 0;
  size_t mismatched_bytes = 0;
  int64_t first_mismatch = -1;      // sample index
  uint64_t instructions = 0;        // per inference, on the target
  uint64_t cycles = 0;
};

struct GateResult {
  bool passed = true;
  std::vector<std::string> reasons;  // why it failed, one line each
  std::vector<std::string> notes;    // checks that could not be made, and why
};

struct ValidationReport {
  std::string float_model, int8_model;
  bool quantized_here = false;
  std::string calibration;  // which data calibrated it
  std::string data;         // the data set's description
  size_t samples = 0;
  bool has_labels = false;
  size_t classes = 0;       // elements of output 0 (top-1 over them); 0 when not a classifier
  std::string board;        // empty: host only
  std::string target;       // how the board was reached (QEMU command line, serial port)
  std::vector<StageReport> stages;
  LayerDriftReport layers;
  std::string confusion_stage;  // stage name the matrix is for
  ConfusionMatrix confusion;
  std::string histogram_stage;
  Histogram histogram;          // |fp32 - int8| of every output value
  double max_drift = 0.05, max_accuracy_drop = 1.0;
  GateResult gate;
  std::vector<std::string> model_facts;  // "int8 model: 12 ops, 23.4 KB, arena 18,232 B"
};

// Runs the stages. Throws kiln::host::ToolError for bad input (shape or label
// mismatch, unreadable model) and for failures on the target.
ValidationReport run_validation(const dataset::Dataset& data, const ValidateOptions& options);

}  // namespace kiln::validate
