// Internal: a float model read into plain host structures the quantizer can
// rewrite. Hybrid weights (int8 + scale) and constant DEQUANTIZE ops are
// folded to float constants, so every weight is float here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/model/model.h"
#include "kiln/tflite/model_builder.h"

namespace kiln::quant::detail {

struct GraphTensor {
  std::string name;
  model::TensorType type = model::TensorType::kFloat32;
  std::vector<int32_t> shape;
  bool constant = false;
  std::vector<float> values;         // constants, as float
  std::vector<uint8_t> raw;          // constants of non-float types (int32 shapes...)
  size_t elements() const;
};

// One field of a builtin options table, copied as raw little-endian bytes.
struct OptionField {
  int index = 0;
  int size = 0;                   // 1, 4 (scalars) or 0 for an int32 vector
  std::vector<uint8_t> bytes;     // scalar bytes, or the vector's int32s
};

struct GraphOp {
  int32_t code = 0;
  std::string name;               // "CONV_2D"
  std::vector<int32_t> inputs;    // -1 = omitted optional input
  std::vector<int32_t> outputs;
  model::OptionsType options_type = model::OptionsType::kNone;
  std::vector<OptionField> options;
  bool options_known = true;      // false: an options table kiln cannot copy
  // Fused activation from the options (kNone when the op has none).
  model::Activation activation() const;
  // Options writer for ModelBuilder reproducing `options` (minus `drop`).
  tflite::OptionsWriter writer(std::vector<int> drop = {}) const;
};

struct Graph {
  std::vector<GraphTensor> tensors;
  std::vector<GraphOp> ops;
  std::vector<int32_t> inputs, outputs;
};

// Reads subgraph 0. Ops whose options kiln cannot copy are marked (the
// quantizer reports them as unsupported, with every other such op).
Graph read_graph(const model::Model& m);

}  // namespace kiln::quant::detail
