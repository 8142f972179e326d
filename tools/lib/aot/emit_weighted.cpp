// CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV: geometry,
// requantization (per-channel multipliers in flash) and the kernel call.
#include "emit_ops.h"
#include "kiln/kernels/conv.h"
#include "kiln/kernels/requant.h"
#include "kiln/runtime/op_data/conv_2d.h"
#include "kiln/runtime/op_data/depthwise_conv_2d.h"
#include "kiln/runtime/op_data/fully_connected.h"
#include "kiln/runtime/op_data/transpose_conv.h"

namespace kiln::aot {

using model::TensorType;
using runtime::ops::WeightedKind;

std::string emit_requant(Emitter& e, const kernels::RequantParams& q, int32_t channels) {
  if (q.multipliers == nullptr || q.shifts == nullptr) e.unsupported("its requantization was not prepared");
  const size_t n = q.channel_mask == 0 ? 1 : static_cast<size_t>(channels);
  const std::string m = e.flash("multipliers", TensorType::kInt32, q.multipliers, n * sizeof(int32_t));
  const std::string s = e.flash("shifts", TensorType::kInt8, q.shifts, n);
  StructText t("kiln::kernels::RequantParams");
  t.set("input_offset", q.input_offset).set("output_offset", q.output_offset);
  t.set_expr("multipliers", m).set_expr("shifts", s);
  t.set_expr("channel_mask", q.channel_mask == 0 ? "0u" : "0xFFFFFFFFu");
  t.set("act_min", q.act_min).set("act_max", q.act_max);
  return e.param(t, "requant", n == 1 ? "per-tensor requantization" : "per-channel requantization");
}

std::string emit_float_act(Emitter& e, const kernels::FloatActivation& a) {
  StructText t("kiln::kernels::FloatActivation");
  t.set("min", a.min).set("max", a.max);
  return e.param(t, "act", "fused activation clamp");
}

namespace {

std::string geometry(Emitter& e, const kernels::ConvGeometry& g) {
  StructText t("kiln::kernels::ConvGeometry");
  t.set("batches", g.batches).set("in_h", g.in_h).set("in_w", g.in_w).set("in_ch", g.in_ch);
  t.set("filter_h", g.filter_h).set("filter_w", g.filter_w);
  t.set("out_h", g.out_h).set("out_w", g.out_w).set("out_ch", g.out_ch);
  t.set("stride_h", g.stride_h).set("stride_w", g.stride_w);
  t.set("dilation_h", g.dilation_h).set("dilation_w", g.dilation_w);
  t.set("pad_h", g.pad_h).set("pad_w", g.pad_w);
  return e.param(t, "geometry", "shapes, strides and padding");
}

// Hybrid ops run the float kernel on weights dequantized at prepare: they go to flash.
std::string float_weights(Emitter& e, const float* dequantized, uint32_t weights_input) {
  if (dequantized == nullptr) return e.input(weights_input);
  const runtime::Tensor* w = e.input_tensor(weights_input);
  return e.flash("dequantized_weights", TensorType::kFloat32, dequantized, w->elements() * sizeof(float));
}

std::string args(std::initializer_list<std::string> list) {
  std::string out;
  for (const std::string& a : list) out += (out.empty() ? "" : ", ") + a;
  return out;
}

}  // namespace

void emit_conv_2d(Emitter& e) {
  const auto& d = e.data<runtime::ops::ConvData>();
  const std::string g = geometry(e, d.geometry);
  const std::string fic = std::to_string(d.filter_in_ch);
  switch (d.kind) {
    case WeightedKind::kInt8:
    case WeightedKind::k16x8: {
      const std::string rq = emit_requant(e, d.requant, d.geometry.out_ch);
      const std::string fn = d.kind == WeightedKind::kInt8 ? "conv_int8" : "conv_16x8";
      e.call("kiln::kernels::" + fn + "(" + args({g, fic, rq, e.input(0), e.input(1), e.input(2), e.output(0)}) + ");", fn);
      break;
    }
    case WeightedKind::kFloat:
    case WeightedKind::kHybrid: {
      const std::string act = emit_float_act(e, d.act);
      e.call("kiln::kernels::conv_float(" +
                 args({g, fic, act, e.input(0), float_weights(e, d.float_filter, 1), e.input(2), e.output(0)}) + ");",
             "conv_float");
      break;
    }
  }
}

void emit_depthwise_conv_2d(Emitter& e) {
  const auto& d = e.data<runtime::ops::DepthwiseData>();
  const std::string g = geometry(e, d.geometry);
  const std::string dm = std::to_string(d.depth_multiplier);
  switch (d.kind) {
    case WeightedKind::kInt8:
    case WeightedKind::k16x8: {
      const std::string rq = emit_requant(e, d.requant, d.geometry.out_ch);
      const std::string fn = d.kind == WeightedKind::kInt8 ? "depthwise_conv_int8" : "depthwise_conv_16x8";
      e.call("kiln::kernels::" + fn + "(" + args({g, dm, rq, e.input(0), e.input(1), e.input(2), e.output(0)}) + ");", fn);
      break;
    }
    case WeightedKind::kFloat:
    case WeightedKind::kHybrid: {
      const std::string act = emit_float_act(e, d.act);
      e.call("kiln::kernels::depthwise_conv_float(" +
                 args({g, dm, act, e.input(0), float_weights(e, d.float_filter, 1), e.input(2), e.output(0)}) + ");",
             "depthwise_conv_float");
      break;
    }
  }
}

void emit_fully_connected(Emitter& e) {
  const auto& d = e.data<runtime::ops::FcData>();
  StructText t("kiln::kernels::FullyConnectedShape");
  t.set("batches", d.shape.batches).set("accum_depth", d.shape.accum_depth).set("units", d.shape.units);
  const std::string shape = e.param(t, "shape", "batches x depth -> units");
  switch (d.kind) {
    case WeightedKind::kInt8:
    case WeightedKind::k16x8: {
      const std::string rq = emit_requant(e, d.requant, d.shape.units);
      const std::string fn = d.kind == WeightedKind::kInt8 ? "fully_connected_int8" : "fully_connected_16x8";
      e.call("kiln::kernels::" + fn + "(" + args({shape, rq, e.input(0), e.input(1), e.input(2), e.output(0)}) + ");", fn);
      break;
    }
    case WeightedKind::kFloat:
    case WeightedKind::kHybrid: {
      const std::string act = emit_float_act(e, d.act);
      e.call("kiln::kernels::fully_connected_float(" +
                 args({shape, act, e.input(0), float_weights(e, d.float_weights, 1), e.input(2), e.output(0)}) + ");",
             "fully_connected_float");
      break;
    }
  }
}

void emit_transpose_conv(Emitter& e) {
  // Inputs: output_shape, weights, input, bias (TFLite order).
  const auto& d = e.data<runtime::ops::TransposeConvData>();
  const std::string g = geometry(e, d.geometry);
  using runtime::ops::TcKind;
  switch (d.kind) {
    case TcKind::kInt8:
    case TcKind::k16x8: {
      const std::string rq = emit_requant(e, d.requant, d.geometry.out_ch);
      const bool i8 = d.kind == TcKind::kInt8;
      const std::string fn = i8 ? "transpose_conv_int8" : "transpose_conv_16x8";
      e.call("kiln::kernels::" + fn + "(" +
                 args({g, rq, e.input(2), e.input(1), e.input(3), e.scratch(i8 ? "int32_t" : "int64_t"), e.output(0)}) + ");",
             fn);
      break;
    }
    case TcKind::kFloat: {
      const std::string act = emit_float_act(e, d.act);
      e.call("kiln::kernels::transpose_conv_float(" + args({g, act, e.input(2), e.input(1), e.input(3), e.output(0)}) + ");",
             "transpose_conv_float");
      break;
    }
  }
}

}  // namespace kiln::aot
