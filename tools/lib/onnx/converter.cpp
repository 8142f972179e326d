#include "converter.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kiln/host/error.h"
#include "window.h"

namespace kiln::onnx {

using model::Activation;
using model::BuiltinOp;

namespace {

std::string shape_text(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
  return t + "]";
}

bool is_alias_op(const std::string& type) { return type == "Identity" || type == "Dropout"; }

// Operators whose fused_activation_function TFLite's converter fills in.
bool fuses_activation(BuiltinOp code) {
  return code == BuiltinOp::kConv2d || code == BuiltinOp::kDepthwiseConv2d ||
         code == BuiltinOp::kFullyConnected || code == BuiltinOp::kAdd || code == BuiltinOp::kMul;
}

ConstTensor float_const(std::string name, std::vector<int64_t> shape, std::vector<float> values) {
  ConstTensor c;
  c.name = std::move(name);
  c.shape = std::move(shape);
  c.f = std::move(values);
  return c;
}

ConstTensor int_const(std::string name, std::vector<int64_t> shape, std::vector<int32_t> values) {
  ConstTensor c;
  c.name = std::move(name);
  c.shape = std::move(shape);
  c.is_int32 = true;
  c.i32 = std::move(values);
  return c;
}

Value plain(std::vector<int64_t> shape) {
  Value a;
  a.shape = std::move(shape);
  return a;
}

Value nchw(std::vector<int64_t> shape) {
  Value a;
  a.shape = std::move(shape);
  a.nchw = true;
  return a;
}

std::vector<int32_t> to_i32(const std::vector<int64_t>& v) {
  return std::vector<int32_t>(v.begin(), v.end());
}

}  // namespace

[[noreturn]] void Converter::fail(const Node& n, const std::string& why) const { host::fail(n.where + ": " + why); }

std::string Converter::resolve(const std::string& name) const {
  std::string r = name;
  for (auto it = alias_.find(r); it != alias_.end(); it = alias_.find(r)) r = it->second;
  return r;
}

void Converter::add_input(const std::string& name, const std::vector<int64_t>& shape) {
  g_.activations[name] = shape.size() == 4 ? nchw(shape) : plain(shape);
  g_.inputs.push_back(name);
}

void Converter::count_uses(const ::onnx::GraphProto& graph) {
  for (const auto& node : graph.node()) {
    if (is_alias_op(node.op_type()) && node.input_size() >= 1 && node.output_size() >= 1) {
      alias_[node.output(0)] = resolve(node.input(0));
    }
  }
  for (const auto& node : graph.node()) {
    if (is_alias_op(node.op_type())) continue;
    for (const auto& in : node.input()) {
      if (!in.empty()) ++uses_[resolve(in)];
    }
  }
  for (const auto& out : graph.output()) {
    ++uses_[resolve(out.name())];
    graph_outputs_.insert(resolve(out.name()));
  }
}

const Value& Converter::activation(const Node& n, int k) const {
  const std::string name = n.in(k);
  if (name.empty()) fail(n, "input " + std::to_string(k) + " is missing");
  const auto it = g_.activations.find(name);
  if (it != g_.activations.end()) return it->second;
  if (is_const(name)) fail(n, "input '" + name + "' is a constant; kiln needs it to be computed (no constant folding)");
  fail(n, "input '" + name + "' is not produced by any earlier node or graph input");
}

const OnnxConst& Converter::constant(const Node& n, int k) const {
  const std::string name = n.in(k);
  if (name.empty()) fail(n, "input " + std::to_string(k) + " is missing");
  const auto it = consts_.find(name);
  if (it == consts_.end()) fail(n, "input '" + name + "' must be a constant (initializer or Constant node)");
  return it->second;
}

Op* Converter::sole_producer(const std::string& name) {
  if (graph_outputs_.count(name) || uses_[name] != 1) return nullptr;
  const auto it = g_.producer.find(name);
  return it == g_.producer.end() ? nullptr : &g_.ops[it->second];
}

void Converter::rename_output(Op& op, const std::string& from, const std::string& to) {
  const Value a = g_.activations.at(from);
  g_.activations.erase(from);
  g_.activations[to] = a;
  const size_t index = g_.producer.at(from);
  g_.producer.erase(from);
  g_.producer[to] = index;
  op.output = to;
}

void Converter::convert(const ::onnx::NodeProto& proto, size_t index) {
  const std::string where = describe_node(proto, index);
  Node n{proto, where, Attributes(proto, where), {}};
  for (const auto& in : proto.input()) n.ins.push_back(in.empty() ? in : resolve(in));
  const std::string& t = proto.op_type();
  if (!proto.domain().empty() && proto.domain() != "ai.onnx") {
    fail(n, "operator domain '" + proto.domain() + "' is not supported");
  }
  if (t != "Constant" && !is_alias_op(t)) {
    for (const auto& out : proto.output()) {
      if (g_.activations.count(out) || is_const(out)) fail(n, "output '" + out + "' is defined twice");
    }
  }
  if (is_alias_op(t)) {
    if (t == "Dropout" && proto.output_size() > 1 && !proto.output(1).empty() && uses_[proto.output(1)] > 0) {
      fail(n, "the dropout mask output is used; kiln removes Dropout at inference");
    }
    ++report_.removed_nodes;
  } else if (t == "Conv") {
    conv(n);
  } else if (t == "Gemm") {
    gemm(n, false);
  } else if (t == "MatMul") {
    gemm(n, true);
  } else if (t == "BatchNormalization") {
    batch_norm(n);
  } else if (t == "Relu") {
    activation_node(n, model::Activation::kRelu);
  } else if (t == "Clip") {
    clip(n);
  } else if (t == "MaxPool") {
    pool(n, false);
  } else if (t == "AveragePool") {
    pool(n, true);
  } else if (t == "GlobalAveragePool") {
    global_average_pool(n);
  } else if (t == "Flatten") {
    flatten(n);
  } else if (t == "Reshape") {
    reshape(n);
  } else if (t == "Add") {
    binary(n, BuiltinOp::kAdd);
  } else if (t == "Mul") {
    binary(n, BuiltinOp::kMul);
  } else if (t == "Softmax") {
    softmax(n);
  } else if (t == "Constant") {
    constant_node(n);
  } else {
    fail(n, "unsupported operator " + t +
                " (kiln imports Conv, Gemm, MatMul, Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, Flatten, "
                "Reshape, Add, Mul, Softmax, BatchNormalization, Identity, Dropout, Constant)");
  }
}

void Converter::set_outputs(const ::onnx::GraphProto& graph) {
  for (const auto& out : graph.output()) {
    const std::string name = resolve(out.name());
    if (!g_.activations.count(name)) {
      host::fail("graph output '" + out.name() + "' is " +
                 (is_const(name) ? "a constant" : "not produced by any node") + "; kiln needs computed outputs");
    }
    g_.outputs.push_back(name);
  }
}

void Converter::constant_node(const Node& n) {
  n.attrs.only({"value", "value_float", "value_floats", "value_int", "value_ints"});
  OnnxConst c;
  if (const auto* t = n.attrs.tensor("value")) {
    c = read_tensor(*t, n.where + " value");
  } else if (n.attrs.has("value_float")) {
    c.f = {n.attrs.f("value_float", 0.0f)};
  } else if (n.attrs.has("value_int")) {
    c.is_int = true;
    c.i = {n.attrs.i("value_int", 0)};
  } else if (n.attrs.has("value_ints")) {
    c.is_int = true;
    c.i = n.attrs.ints("value_ints", {});
    c.dims = {static_cast<int64_t>(c.i.size())};
  } else {
    fail(n, "needs a 'value' attribute (tensor, float or int)");
  }
  consts_[n.out()] = std::move(c);
}

void Converter::conv(const Node& n) {
  n.attrs.only({"group", "pads", "strides", "dilations", "kernel_shape", "auto_pad"});
  const Value x = activation(n, 0);
  if (!x.nchw) fail(n, "input must be a 4-D NCHW tensor, got " + shape_text(x.shape));
  const OnnxConst& w = constant(n, 1);
  if (w.is_int || w.dims.size() != 4) fail(n, "weights must be a 4-D float constant [O, I/group, kH, kW]");
  const int64_t out_ch = w.dims[0], in_per_group = w.dims[1], kh = w.dims[2], kw = w.dims[3];
  const int64_t channels = x.shape[1];
  const int64_t group = n.attrs.i("group", 1);
  const bool depthwise = group > 1 && group == channels && in_per_group == 1 && out_ch % channels == 0;
  if (group != 1 && !depthwise) {
    fail(n, "grouped convolution with group " + std::to_string(group) + " on " + std::to_string(channels) +
                " channels is not supported (only group 1 and depthwise, group == channels)");
  }
  if (group == 1 && in_per_group != channels) {
    fail(n, "weights expect " + std::to_string(in_per_group) + " input channels, the input has " +
                std::to_string(channels));
  }
  const auto kernel = n.attrs.ints("kernel_shape", {kh, kw});
  if (kernel != std::vector<int64_t>{kh, kw}) fail(n, "kernel_shape does not match the weights");
  std::vector<float> bias(static_cast<size_t>(out_ch), 0.0f);
  std::string bias_name = n.out() + "/bias";
  if (!n.in(2).empty()) {
    const OnnxConst& b = constant(n, 2);
    if (b.is_int || b.f.size() != bias.size()) fail(n, "bias must hold " + std::to_string(out_ch) + " floats");
    bias = b.f;
    bias_name = n.in(2);
  }
  const auto strides = n.attrs.ints("strides", {1, 1});
  const auto dilations = n.attrs.ints("dilations", {1, 1});
  const auto pads = n.attrs.ints("pads", {0, 0, 0, 0});
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4) fail(n, "only 2-D convolutions are supported");
  const std::string auto_pad = n.attrs.s("auto_pad", "NOTSET");
  const WindowPlan ph = plan_window({x.shape[2], kh, strides[0], dilations[0], pads[0], pads[2]}, auto_pad, false, n.where);
  const WindowPlan pw = plan_window({x.shape[3], kw, strides[1], dilations[1], pads[1], pads[3]}, auto_pad, false, n.where);

  std::string input = n.in(0);
  model::Padding padding = model::Padding::kValid;
  if (ph.fit == WindowFit::kExplicit || pw.fit == WindowFit::kExplicit || ph.fit != pw.fit) {
    // PAD then VALID: TFLite's SAME cannot express these pads.
    const auto amount = [](const WindowPlan& p, int64_t in, int64_t k, int64_t s, int64_t d) {
      if (p.fit == WindowFit::kExplicit) return std::make_pair(p.pad_begin, p.pad_end);
      if (p.fit == WindowFit::kValid) return std::make_pair(int64_t{0}, int64_t{0});
      const int64_t total = std::max<int64_t>((p.out - 1) * s + (k - 1) * d + 1 - in, 0);
      return std::make_pair(total / 2, total - total / 2);
    };
    const auto h = amount(ph, x.shape[2], kh, strides[0], dilations[0]);
    const auto wd = amount(pw, x.shape[3], kw, strides[1], dilations[1]);
    const int32_t paddings = g_.add_const(int_const(
        n.out() + "/paddings", {4, 2},
        {0, 0, static_cast<int32_t>(h.first), static_cast<int32_t>(h.second), static_cast<int32_t>(wd.first),
         static_cast<int32_t>(wd.second), 0, 0}));
    Op pad;
    pad.code = BuiltinOp::kPad;
    pad.inputs = {Graph::act(input), Graph::constant(paddings)};
    pad.output = n.out() + "/padded";
    pad.onnx_node = n.where;
    g_.emit(pad, nchw({x.shape[0], channels, x.shape[2] + h.first + h.second, x.shape[3] + wd.first + wd.second}));
    input = pad.output;
  } else if (ph.fit == WindowFit::kSame) {
    padding = model::Padding::kSame;
  }

  Op op;
  op.onnx_node = n.where;
  op.output = n.out();
  op.conv.padding = padding;
  op.conv.stride_h = static_cast<int32_t>(strides[0]);
  op.conv.stride_w = static_cast<int32_t>(strides[1]);
  op.conv.dilation_h = static_cast<int32_t>(dilations[0]);
  op.conv.dilation_w = static_cast<int32_t>(dilations[1]);
  std::vector<float> filter(w.f.size());
  std::vector<int64_t> filter_shape;
  if (depthwise) {
    // [O,1,kH,kW] → [1,kH,kW,O]; output channel o reads input channel o / multiplier in both.
    op.code = BuiltinOp::kDepthwiseConv2d;
    op.depth_multiplier = static_cast<int32_t>(out_ch / channels);
    for (int64_t o = 0; o < out_ch; ++o)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t xx = 0; xx < kw; ++xx) filter[static_cast<size_t>((y * kw + xx) * out_ch + o)] = w.f[static_cast<size_t>((o * kh + y) * kw + xx)];
    filter_shape = {1, kh, kw, out_ch};
  } else {
    // OIHW → OHWI.
    op.code = BuiltinOp::kConv2d;
    const int64_t ci = in_per_group;
    for (int64_t o = 0; o < out_ch; ++o)
      for (int64_t i = 0; i < ci; ++i)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t xx = 0; xx < kw; ++xx)
            filter[static_cast<size_t>(((o * kh + y) * kw + xx) * ci + i)] = w.f[static_cast<size_t>(((o * ci + i) * kh + y) * kw + xx)];
    filter_shape = {out_ch, kh, kw, ci};
  }
  const int32_t fi = g_.add_const(float_const(n.in(1), filter_shape, std::move(filter)));
  const int32_t bi = g_.add_const(float_const(bias_name, {out_ch}, std::move(bias)));
  op.inputs = {Graph::act(input), Graph::constant(fi), Graph::constant(bi)};
  g_.emit(op, nchw({x.shape[0], out_ch, ph.out, pw.out}));
}

void Converter::gemm(const Node& n, bool matmul) {
  if (matmul) {
    n.attrs.only({});
  } else {
    n.attrs.only({"alpha", "beta", "transA", "transB"});
  }
  const Value a = activation(n, 0);
  if (a.shape.size() != 2) fail(n, "input A must be 2-D [batch, features], got " + shape_text(a.shape));
  if (n.attrs.i("transA", 0) != 0) fail(n, "transA = 1 is not supported");
  const OnnxConst& b = constant(n, 1);
  if (b.is_int || b.dims.size() != 2) fail(n, "input B must be a 2-D float constant");
  const bool trans_b = n.attrs.i("transB", 0) != 0;
  const int64_t k = a.shape[1];
  const int64_t units = trans_b ? b.dims[0] : b.dims[1];
  if ((trans_b ? b.dims[1] : b.dims[0]) != k) {
    fail(n, "B " + shape_text(b.dims) + " does not fit A " + shape_text(a.shape) + (trans_b ? " (transB = 1)" : ""));
  }
  const float alpha = n.attrs.f("alpha", 1.0f);
  const float beta = n.attrs.f("beta", 1.0f);
  // TFLite weights are [units, k]. Columns follow the stored order of A:
  // H,W,C after flattening an NCHW tensor, where ONNX has C,H,W.
  std::vector<float> weights(static_cast<size_t>(units * k));
  for (int64_t u = 0; u < units; ++u) {
    for (int64_t j = 0; j < k; ++j) {
      int64_t col = j;
      if (a.hwc_flat) {
        const int64_t c = j % a.flat_c, hw = j / a.flat_c;
        col = c * a.flat_h * a.flat_w + hw;
      }
      const float v = trans_b ? b.f[static_cast<size_t>(u * k + col)] : b.f[static_cast<size_t>(col * units + u)];
      weights[static_cast<size_t>(u * k + j)] = alpha * v;
    }
  }
  std::vector<float> bias(static_cast<size_t>(units), 0.0f);
  std::string bias_name = n.out() + "/bias";
  if (!matmul && !n.in(2).empty()) {
    const OnnxConst& c = constant(n, 2);
    const size_t count = c.f.size();
    if (c.is_int || (count != 1 && count != static_cast<size_t>(units)) ||
        (c.dims.size() == 2 && c.dims[0] != 1)) {
      fail(n, "bias C " + shape_text(c.dims) + " must be a float constant of " + std::to_string(units) + " values");
    }
    for (size_t u = 0; u < bias.size(); ++u) bias[u] = beta * c.f[count == 1 ? 0 : u];
    bias_name = n.in(2);
  }
  Op op;
  op.code = BuiltinOp::kFullyConnected;
  op.onnx_node = n.where;
  op.output = n.out();
  const int32_t wi = g_.add_const(float_const(n.in(1), {units, k}, std::move(weights)));
  const int32_t bi = g_.add_const(float_const(bias_name, {units}, std::move(bias)));
  op.inputs = {Graph::act(n.in(0)), Graph::constant(wi), Graph::constant(bi)};
  g_.emit(op, plain({a.shape[0], units}));
}

void Converter::batch_norm(const Node& n) {
  n.attrs.only({"epsilon", "momentum", "training_mode", "spatial"});
  if (n.attrs.i("training_mode", 0) != 0) fail(n, "training_mode = 1 is not supported (export in eval mode)");
  for (int k = 1; k < n.proto.output_size(); ++k) {
    if (!n.out(k).empty() && uses_[n.out(k)] > 0) fail(n, "running statistics outputs are not supported");
  }
  const Value x = activation(n, 0);
  if (x.shape.size() < 2 || (x.shape.size() != 2 && !x.nchw) || (x.hwc_flat && !x.plain_order())) {
    fail(n, "input must be [N, C] or NCHW, got " + shape_text(x.shape));
  }
  const int64_t channels = x.shape[1];
  const double eps = n.attrs.f("epsilon", 1e-5f);
  std::vector<double> scale(static_cast<size_t>(channels)), shift(scale.size());
  const OnnxConst* p[4];
  for (int k = 0; k < 4; ++k) {
    p[k] = &constant(n, k + 1);
    if (p[k]->is_int || p[k]->f.size() != scale.size()) {
      fail(n, "scale, B, mean and var must each hold " + std::to_string(channels) + " floats");
    }
  }
  for (size_t c = 0; c < scale.size(); ++c) {
    const double var = p[3]->f[c];
    if (!(var + eps > 0.0)) fail(n, "variance + epsilon must be positive (channel " + std::to_string(c) + ")");
    scale[c] = p[0]->f[c] / std::sqrt(var + eps);
    shift[c] = p[1]->f[c] - p[2]->f[c] * scale[c];
  }
  Op* prev = sole_producer(n.in(0));
  if (prev && prev->act == model::Activation::kNone &&
      (prev->code == BuiltinOp::kConv2d || prev->code == BuiltinOp::kDepthwiseConv2d ||
       prev->code == BuiltinOp::kFullyConnected)) {
    // Fold: W'[o] = W[o] * s[o], b'[o] = b[o] * s[o] + t[o].
    ConstTensor& w = g_.consts[static_cast<size_t>(prev->inputs[1].constant)];
    ConstTensor& b = g_.consts[static_cast<size_t>(prev->inputs[2].constant)];
    const bool last_axis = prev->code == BuiltinOp::kDepthwiseConv2d;
    const size_t per = w.f.size() / scale.size();
    for (size_t i = 0; i < w.f.size(); ++i) {
      const size_t o = last_axis ? i % scale.size() : i / per;
      w.f[i] = static_cast<float>(w.f[i] * scale[o]);
    }
    for (size_t o = 0; o < scale.size(); ++o) b.f[o] = static_cast<float>(b.f[o] * scale[o] + shift[o]);
    w.name += "/bn_folded";
    b.name += "/bn_folded";
    rename_output(*prev, n.in(0), n.out());
    ++report_.folded_batch_norms;
    return;
  }
  // Nothing to fold into: MUL by the scale, ADD the shift, per channel
  // (the last axis in NHWC and in [N, C]).
  const std::vector<float> s(scale.begin(), scale.end()), t(shift.begin(), shift.end());
  const int32_t si = g_.add_const(float_const(n.out() + "/bn_scale", {channels}, s));
  const int32_t ti = g_.add_const(float_const(n.out() + "/bn_shift", {channels}, t));
  Op mul;
  mul.code = BuiltinOp::kMul;
  mul.onnx_node = n.where;
  mul.output = n.out() + "/bn_scaled";
  mul.inputs = {Graph::act(n.in(0)), Graph::constant(si)};
  g_.emit(mul, x);
  Op add;
  add.code = BuiltinOp::kAdd;
  add.onnx_node = n.where;
  add.output = n.out();
  add.inputs = {Graph::act(mul.output), Graph::constant(ti)};
  g_.emit(add, x);
}

void Converter::activation_node(const Node& n, model::Activation act) {
  const Value x = activation(n, 0);
  Op* prev = sole_producer(n.in(0));
  if (prev && prev->act == model::Activation::kNone && fuses_activation(prev->code)) {
    prev->act = act;
    rename_output(*prev, n.in(0), n.out());
    ++report_.fused_activations;
    return;
  }
  Op op;
  op.code = act == model::Activation::kRelu ? BuiltinOp::kRelu : BuiltinOp::kRelu6;
  op.onnx_node = n.where;
  op.output = n.out();
  op.inputs = {Graph::act(n.in(0))};
  g_.emit(op, x);
}

void Converter::clip(const Node& n) {
  n.attrs.only({"min", "max"});
  const float inf = std::numeric_limits<float>::infinity();
  float lo = n.attrs.f("min", -inf), hi = n.attrs.f("max", inf);
  for (int k = 1; k <= 2; ++k) {
    if (n.in(k).empty()) continue;
    const OnnxConst& c = constant(n, k);
    if (c.is_int || c.f.size() != 1) fail(n, "min and max must be float scalars");
    (k == 1 ? lo : hi) = c.f[0];
  }
  if (lo == 0.0f && hi == 6.0f) return activation_node(n, model::Activation::kRelu6);
  if (lo == 0.0f && hi >= std::numeric_limits<float>::max()) return activation_node(n, model::Activation::kRelu);
  fail(n, "Clip(" + std::to_string(lo) + ", " + std::to_string(hi) +
              ") is not supported: only Clip(0, 6) (ReLU6) and Clip(0, inf) (ReLU)");
}

void Converter::pool(const Node& n, bool average) {
  n.attrs.only({"kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "count_include_pad", "dilations",
                "storage_order"});
  const Value x = activation(n, 0);
  if (!x.nchw) fail(n, "input must be a 4-D NCHW tensor, got " + shape_text(x.shape));
  const auto kernel = n.attrs.ints("kernel_shape", {});
  if (kernel.size() != 2) fail(n, "kernel_shape must give 2 spatial sizes");
  const auto strides = n.attrs.ints("strides", {1, 1});
  const auto pads = n.attrs.ints("pads", {0, 0, 0, 0});
  const auto dilations = n.attrs.ints("dilations", {1, 1});
  if (strides.size() != 2 || pads.size() != 4) fail(n, "strides/pads must be 2-D");
  if (dilations != std::vector<int64_t>{1, 1}) fail(n, "dilated pooling is not supported");
  if (n.attrs.i("storage_order", 0) != 0) fail(n, "storage_order = 1 is not supported");
  const bool ceil_mode = n.attrs.i("ceil_mode", 0) != 0;
  const bool include_pad = n.attrs.i("count_include_pad", 0) != 0;
  const std::string auto_pad = n.attrs.s("auto_pad", "NOTSET");
  const WindowPlan ph = plan_window({x.shape[2], kernel[0], strides[0], 1, pads[0], pads[2]}, auto_pad, ceil_mode, n.where);
  const WindowPlan pw = plan_window({x.shape[3], kernel[1], strides[1], 1, pads[1], pads[3]}, auto_pad, ceil_mode, n.where);
  const bool padded = ph.fit == WindowFit::kSame || pw.fit == WindowFit::kSame;
  // TFLite's SAME pooling ignores padded cells, as ONNX max pooling and
  // average pooling without count_include_pad do.
  if (ph.fit == WindowFit::kExplicit || pw.fit == WindowFit::kExplicit || (ph.fit != pw.fit) ||
      (padded && average && include_pad)) {
    fail(n, "pads " + shape_text(pads) + (ceil_mode ? " with ceil_mode" : "") +
                (include_pad ? " with count_include_pad" : "") +
                " cannot be expressed as TFLite SAME or VALID pooling");
  }
  Op op;
  op.code = average ? BuiltinOp::kAveragePool2d : BuiltinOp::kMaxPool2d;
  op.onnx_node = n.where;
  op.output = n.out();
  op.inputs = {Graph::act(n.in(0))};
  op.conv.padding = padded ? model::Padding::kSame : model::Padding::kValid;
  op.conv.stride_h = static_cast<int32_t>(strides[0]);
  op.conv.stride_w = static_cast<int32_t>(strides[1]);
  op.filter_h = static_cast<int32_t>(kernel[0]);
  op.filter_w = static_cast<int32_t>(kernel[1]);
  g_.emit(op, nchw({x.shape[0], x.shape[1], ph.out, pw.out}));
}

void Converter::global_average_pool(const Node& n) {
  const Value x = activation(n, 0);
  if (!x.nchw) fail(n, "input must be a 4-D NCHW tensor, got " + shape_text(x.shape));
  // MEAN over H and W (NHWC axes 1, 2), as TensorFlow Lite's converter emits.
  const int32_t axes = g_.add_const(int_const(n.out() + "/axes", {2}, {1, 2}));
  Op op;
  op.code = BuiltinOp::kMean;
  op.onnx_node = n.where;
  op.output = n.out();
  op.keep_dims = true;
  op.inputs = {Graph::act(n.in(0)), Graph::constant(axes)};
  g_.emit(op, nchw({x.shape[0], x.shape[1], 1, 1}));
}

void Converter::emit_reshape(const Node& n, const std::string& in, const Value& out) {
  const auto shape = to_i32(out.tflite_shape());
  const int32_t si = g_.add_const(int_const(n.out() + "/shape", {static_cast<int64_t>(shape.size())}, shape));
  Op op;
  op.code = BuiltinOp::kReshape;
  op.onnx_node = n.where;
  op.output = n.out();
  op.new_shape = shape;
  op.inputs = {Graph::act(in), Graph::constant(si)};
  g_.emit(op, out);
}

// Layout rules shared by Flatten and Reshape: the stored (NHWC) order must
// stay what the ONNX consumer expects; kiln has no TRANSPOSE to fix it.
void Converter::flatten(const Node& n) {
  n.attrs.only({"axis"});
  const Value x = activation(n, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  int64_t axis = n.attrs.i("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) fail(n, "axis out of range for " + shape_text(x.shape));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i) (i < axis ? outer : inner) *= x.shape[static_cast<size_t>(i)];
  Value out = plain({outer, inner});
  if (x.nchw && !x.plain_order()) {
    if (outer != x.shape[0]) fail(n, "flattening NCHW " + shape_text(x.shape) + " at axis " + std::to_string(axis) + " is not supported (only axis 1)");
    out.hwc_flat = true;
    out.flat_c = x.shape[1];
    out.flat_h = x.shape[2];
    out.flat_w = x.shape[3];
  } else if (x.hwc_flat && !x.plain_order()) {
    if (out.shape != x.shape) fail(n, "re-flattening a flattened NCHW tensor is not supported");
    out = x;
  }
  emit_reshape(n, n.in(0), out);
}

void Converter::reshape(const Node& n) {
  n.attrs.only({"allowzero"});
  const Value x = activation(n, 0);
  const OnnxConst& s = constant(n, 1);
  if (!s.is_int || s.dims.size() != 1) fail(n, "shape must be a 1-D int64 constant");
  std::vector<int64_t> shape = s.i;
  const bool allow_zero = n.attrs.i("allowzero", 0) != 0;
  const int64_t total = element_count(x.shape, n.where);
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allow_zero) {
      if (i >= x.shape.size()) fail(n, "shape copies dimension " + std::to_string(i) + " that the input lacks");
      shape[i] = x.shape[i];
    }
    if (shape[i] == -1) {
      if (infer >= 0) fail(n, "shape has more than one -1");
      infer = static_cast<int64_t>(i);
    } else if (shape[i] < 0) {
      fail(n, "negative dimension in shape " + shape_text(s.i));
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || total % known != 0) fail(n, "cannot infer -1 in " + shape_text(s.i) + " for " + shape_text(x.shape));
    shape[static_cast<size_t>(infer)] = total / known;
  }
  if (element_count(shape, n.where) != total) {
    fail(n, "shape " + shape_text(shape) + " does not hold the " + std::to_string(total) + " elements of " + shape_text(x.shape));
  }
  Value out = shape.size() == 4 ? nchw(shape) : plain(shape);
  const bool reorders = !x.plain_order() || !out.plain_order();
  if (reorders) {
    const bool flatten_nchw = x.nchw && shape.size() == 2 && shape[0] == x.shape[0];
    const bool unflatten = x.hwc_flat && out.nchw && shape[0] == x.shape[0] && shape[1] == x.flat_c &&
                           shape[2] == x.flat_h && shape[3] == x.flat_w;
    const bool same = x.shape == shape && x.nchw == out.nchw && x.hwc_flat == out.hwc_flat;
    if (flatten_nchw) {
      out.hwc_flat = true;
      out.flat_c = x.shape[1];
      out.flat_h = x.shape[2];
      out.flat_w = x.shape[3];
    } else if (x.hwc_flat && shape == x.shape) {
      out = x;
    } else if (!unflatten && !same) {
      fail(n, "reshaping " + shape_text(x.shape) + " to " + shape_text(shape) +
                  " changes the element order between NCHW and NHWC; kiln has no TRANSPOSE to import it");
    }
  }
  emit_reshape(n, n.in(0), out);
}

int32_t Converter::broadcast_const(const Node& n, const OnnxConst& c, const Value& like, const std::string& name) {
  if (c.is_int) fail(n, "constant '" + name + "' must be float");
  std::vector<int64_t> dims = c.dims;
  if (dims.size() > like.shape.size()) fail(n, "constant " + shape_text(dims) + " has a higher rank than the input");
  if (like.hwc_flat && !like.plain_order() && c.f.size() != 1) {
    fail(n, "only a scalar can be combined with a flattened NCHW tensor");
  }
  if (!like.nchw) return g_.add_const(float_const(name, dims.empty() ? std::vector<int64_t>{1} : dims, c.f));
  while (dims.size() < 4) dims.insert(dims.begin(), 1);
  // NCHW → NHWC copy of the constant.
  const int64_t N = dims[0], C = dims[1], H = dims[2], W = dims[3];
  std::vector<float> v(c.f.size());
  for (int64_t a = 0; a < N; ++a)
    for (int64_t ch = 0; ch < C; ++ch)
      for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x)
          v[static_cast<size_t>(((a * H + y) * W + x) * C + ch)] = c.f[static_cast<size_t>(((a * C + ch) * H + y) * W + x)];
  return g_.add_const(float_const(name, {N, H, W, C}, std::move(v)));
}

void Converter::binary(const Node& n, BuiltinOp code) {
  n.attrs.only({});
  const bool c0 = is_const(n.in(0)), c1 = is_const(n.in(1));
  if (c0 && c1) fail(n, "both inputs are constants (no constant folding)");
  Op op;
  op.code = code;
  op.onnx_node = n.where;
  op.output = n.out();
  Value out;
  if (c0 || c1) {
    const int ai = c0 ? 1 : 0;
    const Value a = activation(n, ai);
    const OnnxConst& c = constant(n, 1 - ai);
    const int32_t ci = broadcast_const(n, c, a, n.in(1 - ai));
    op.inputs = {Graph::act(n.in(ai)), Graph::constant(ci)};
    if (c0) std::swap(op.inputs[0], op.inputs[1]);
    out = a;
    std::vector<int64_t> cd = c.dims;
    while (cd.size() < a.shape.size()) cd.insert(cd.begin(), 1);
    for (size_t i = 0; i < cd.size(); ++i) {
      if (cd[i] != 1 && cd[i] != a.shape[i]) fail(n, "constant " + shape_text(c.dims) + " does not broadcast to " + shape_text(a.shape));
    }
  } else {
    const Value a = activation(n, 0), b = activation(n, 1);
    if (a.nchw != b.nchw || a.hwc_flat != b.hwc_flat || a.shape.size() != b.shape.size() ||
        (a.hwc_flat && (a.flat_c != b.flat_c || a.flat_h != b.flat_h))) {
      fail(n, "inputs " + shape_text(a.shape) + " and " + shape_text(b.shape) + " must have the same rank and layout");
    }
    out = a;
    for (size_t i = 0; i < a.shape.size(); ++i) {
      if (a.shape[i] != b.shape[i] && a.shape[i] != 1 && b.shape[i] != 1) {
        fail(n, "inputs " + shape_text(a.shape) + " and " + shape_text(b.shape) + " do not broadcast");
      }
      out.shape[i] = std::max(a.shape[i], b.shape[i]);
    }
    op.inputs = {Graph::act(n.in(0)), Graph::act(n.in(1))};
  }
  g_.emit(op, out);
}

void Converter::softmax(const Node& n) {
  n.attrs.only({"axis"});
  const Value x = activation(n, 0);
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  int64_t axis = n.attrs.i("axis", opset_ >= 13 ? -1 : 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) fail(n, "axis out of range for " + shape_text(x.shape));
  // Before opset 13 Softmax normalizes over all dimensions from axis on.
  bool trailing_ones = true;
  for (int64_t i = axis + 1; i < rank; ++i) trailing_ones = trailing_ones && x.shape[static_cast<size_t>(i)] == 1;
  const int64_t stored_axis = x.nchw ? (axis == 1 ? 3 : axis == 0 ? 0 : axis - 1) : axis;
  const auto stored = x.tflite_shape();
  bool stored_last = true;
  for (int64_t i = stored_axis + 1; i < rank; ++i) stored_last = stored_last && stored[static_cast<size_t>(i)] == 1;
  const bool whole_row = x.hwc_flat && rank == 2 && axis == 1;
  if (!whole_row && (!stored_last || (opset_ < 13 && !trailing_ones))) {
    fail(n, "softmax over axis " + std::to_string(axis) + " of " + shape_text(x.shape) +
                " is not the innermost stored axis; kiln's SOFTMAX works on the last axis");
  }
  Op op;
  op.code = BuiltinOp::kSoftmax;
  op.onnx_node = n.where;
  op.output = n.out();
  op.beta = 1.0f;
  op.inputs = {Graph::act(n.in(0))};
  g_.emit(op, x);
}

}  // namespace kiln::onnx
