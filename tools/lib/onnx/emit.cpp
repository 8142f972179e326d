// Graph → .tflite bytes with kiln::tflite::ModelBuilder.
#include <cstdint>
#include <set>

#include "ir.h"
#include "kiln/host/error.h"
#include "kiln/tflite/model_builder.h"

namespace kiln::onnx {

namespace {

std::vector<int32_t> dims32(const std::vector<int64_t>& shape, const std::string& name) {
  std::vector<int32_t> d;
  for (int64_t v : shape) {
    if (v < 0 || v > INT32_MAX) host::fail("tensor '" + name + "': dimension " + std::to_string(v) + " does not fit TFLite");
    d.push_back(static_cast<int32_t>(v));
  }
  return d;
}

tflite::OpOptions options_of(const Op& op) {
  using model::BuiltinOp;
  switch (op.code) {
    case BuiltinOp::kConv2d: {
      tflite::ConvParams p = op.conv;
      p.act = op.act;
      return tflite::conv2d_options(p);
    }
    case BuiltinOp::kDepthwiseConv2d: {
      tflite::ConvParams p = op.conv;
      p.act = op.act;
      return tflite::depthwise_conv2d_options(p, op.depth_multiplier);
    }
    case BuiltinOp::kMaxPool2d:
    case BuiltinOp::kAveragePool2d:
      return tflite::pool2d_options(op.conv.padding, op.conv.stride_h, op.conv.stride_w, op.filter_h, op.filter_w, op.act);
    case BuiltinOp::kFullyConnected: return tflite::fully_connected_options(op.act);
    case BuiltinOp::kSoftmax: return tflite::softmax_options(op.beta);
    case BuiltinOp::kAdd: return tflite::add_options(op.act);
    case BuiltinOp::kMul: return tflite::mul_options(op.act);
    case BuiltinOp::kReshape: return tflite::reshape_options(op.new_shape);
    case BuiltinOp::kMean: return tflite::reducer_options(op.keep_dims);
    case BuiltinOp::kPad: return tflite::pad_options();
    default: return {};
  }
}

}  // namespace

std::vector<uint8_t> write_tflite(const Graph& g, size_t* weight_bytes) {
  tflite::ModelBuilder b;
  b.set_description("kiln import (ONNX)");
  std::map<std::string, int32_t> act_index;
  std::map<int32_t, int32_t> const_index;
  std::set<std::string> names;
  *weight_bytes = 0;
  const auto activation = [&](const std::string& name) {
    const auto it = act_index.find(name);
    if (it != act_index.end()) return it->second;
    const Value& a = g.activations.at(name);
    const int32_t t = b.add_tensor(model::TensorType::kFloat32, dims32(a.tflite_shape(), name), name);
    names.insert(name);
    return act_index[name] = t;
  };
  const auto constant = [&](int32_t k) {
    const auto it = const_index.find(k);
    if (it != const_index.end()) return it->second;
    const ConstTensor& c = g.consts.at(static_cast<size_t>(k));
    const uint32_t buffer = c.is_int32 ? b.add_buffer_of(c.i32) : b.add_buffer_of(c.f);
    *weight_bytes += c.is_int32 ? c.i32.size() * 4 : c.f.size() * 4;
    // Tensor names stay unique: a constant reused under one ONNX name gets a suffix.
    std::string name = c.name;
    for (int n = 1; names.count(name); ++n) name = c.name + "_" + std::to_string(n);
    names.insert(name);
    const auto type = c.is_int32 ? model::TensorType::kInt32 : model::TensorType::kFloat32;
    return const_index[k] = b.add_tensor(type, dims32(c.shape, name), name, buffer);
  };
  std::vector<int32_t> inputs, outputs;
  for (const auto& name : g.inputs) inputs.push_back(activation(name));
  for (const Op& op : g.ops) {
    std::vector<int32_t> in;
    for (const Operand& o : op.inputs) in.push_back(o.activation.empty() ? constant(o.constant) : activation(o.activation));
    const int32_t out = activation(op.output);
    const tflite::OpOptions options = options_of(op);
    b.add_op(op.code, in, {out}, options.type, options.writer);
  }
  for (const auto& name : g.outputs) outputs.push_back(activation(name));
  b.set_inputs(inputs);
  b.set_outputs(outputs);
  return b.finish();
}

}  // namespace kiln::onnx
