// The importer's intermediate form: float32 TFLite operators over named
// activations and owned constants, kept editable so later ONNX nodes can be
// folded (BatchNormalization) or fused (ReLU) into earlier operators.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kiln/model/schema.h"
#include "kiln/tflite/builtin_options.h"

namespace kiln::onnx {

// An activation: its ONNX (logical) shape and how TFLite stores it.
struct Value {
  std::vector<int64_t> shape;  // ONNX shape
  // Rank 4 ONNX NCHW, stored NHWC.
  bool nchw = false;
  // Rank 2 [N, C*H*W] flattened from NCHW: stored in H,W,C order.
  bool hwc_flat = false;
  int64_t flat_c = 0, flat_h = 0, flat_w = 0;

  std::vector<int64_t> tflite_shape() const {
    if (!nchw) return shape;
    return {shape[0], shape[2], shape[3], shape[1]};
  }
  // Stored element order equals ONNX's row-major order.
  bool plain_order() const {
    if (nchw) return shape[1] == 1 || shape[2] * shape[3] == 1;
    if (hwc_flat) return flat_c == 1 || flat_h * flat_w == 1;
    return true;
  }
};

struct ConstTensor {
  std::string name;
  std::vector<int64_t> shape;  // TFLite shape
  bool is_int32 = false;
  std::vector<float> f;
  std::vector<int32_t> i32;
};

// One TFLite operator. Inputs are activation names or constants (index into
// Graph::consts, as "#k").
struct Operand {
  std::string activation;  // empty for a constant
  int32_t constant = -1;
};

struct Op {
  model::BuiltinOp code = model::BuiltinOp::kAdd;
  std::vector<Operand> inputs;
  std::string output;
  std::string onnx_node;  // for messages
  model::Activation act = model::Activation::kNone;
  tflite::ConvParams conv;       // CONV_2D, DEPTHWISE_CONV_2D
  int32_t depth_multiplier = 1;  // DEPTHWISE_CONV_2D
  int32_t filter_h = 0, filter_w = 0;  // pools
  float beta = 1.0f;                   // SOFTMAX
  bool keep_dims = false;              // MEAN
  std::vector<int32_t> new_shape;      // RESHAPE
};

struct Graph {
  std::map<std::string, Value> activations;
  std::vector<ConstTensor> consts;
  std::vector<Op> ops;
  std::map<std::string, size_t> producer;  // activation → op index
  std::vector<std::string> inputs, outputs;

  int32_t add_const(ConstTensor c) {
    consts.push_back(std::move(c));
    return static_cast<int32_t>(consts.size() - 1);
  }
  static Operand act(const std::string& name) { return Operand{name, -1}; }
  static Operand constant(int32_t index) { return Operand{"", index}; }
  // Appends an op producing `output` with the given activation info.
  Op& emit(Op op, const Value& out) {
    activations[op.output] = out;
    producer[op.output] = ops.size();
    ops.push_back(std::move(op));
    return ops.back();
  }
};

// Serializes the graph with kiln::tflite::ModelBuilder.
std::vector<uint8_t> write_tflite(const Graph& g, size_t* weight_bytes);

}  // namespace kiln::onnx
