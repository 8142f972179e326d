// Pooling, element-wise, softmax and the data-movement operators.
#include "emit_ops.h"
#include "kiln/kernels/strided_slice.h"
#include "kiln/runtime/op_data/add_sub.h"
#include "kiln/runtime/op_data/concatenation.h"
#include "kiln/runtime/op_data/dequantize.h"
#include "kiln/runtime/op_data/mean.h"
#include "kiln/runtime/op_data/mul.h"
#include "kiln/runtime/op_data/pad.h"
#include "kiln/runtime/op_data/pool_2d.h"
#include "kiln/runtime/op_data/quantize.h"
#include "kiln/runtime/op_data/softmax.h"
#include "kiln/runtime/op_data/svdf.h"

namespace kiln::aot {

using model::TensorType;

namespace {

std::string n_of(const runtime::Tensor* t) { return std::to_string(t->elements()) + "u"; }

// "int8", "int16" or "float" kernel suffix from a tensor's type.
std::string suffix(Emitter& e, TensorType t) {
  if (t == TensorType::kInt8) return "int8";
  if (t == TensorType::kInt16) return "int16";
  if (t == TensorType::kFloat32) return "float";
  e.unsupported(std::string("tensor type ") + model::tensor_type_name(t) + " has no kernel");
}

std::string broadcast(Emitter& e, const kernels::BroadcastPlan& p) {
  StructText t("kiln::kernels::BroadcastPlan");
  t.set("rank", p.rank).set_array("extent", p.extent, p.rank);
  t.set_array("stride1", p.stride1, p.rank).set_array("stride2", p.stride2, p.rank);
  t.set("elements", p.elements);
  return e.param(t, "broadcast", "element-wise broadcast plan");
}

std::string float_range(Emitter& e, const kernels::FloatRange& r) {
  StructText t("kiln::kernels::FloatRange");
  t.set("min", r.min).set("max", r.max);
  return e.param(t, "act", "fused activation clamp");
}

}  // namespace

void emit_pool_2d(Emitter& e) {
  const auto& d = e.data<runtime::ops::PoolData>();
  const kernels::PoolGeometry& g = d.g;
  StructText t("kiln::kernels::PoolGeometry");
  t.set("batches", g.batches).set("in_h", g.in_h).set("in_w", g.in_w).set("depth", g.depth);
  t.set("out_h", g.out_h).set("out_w", g.out_w).set("filter_h", g.filter_h).set("filter_w", g.filter_w);
  t.set("stride_h", g.stride_h).set("stride_w", g.stride_w).set("pad_h", g.pad_h).set("pad_w", g.pad_w);
  const std::string geo = e.param(t, "geometry", "window, strides and padding");
  const std::string type = suffix(e, e.input_tensor(0)->type);
  const std::string fn = std::string(d.average ? "average_pool_" : "max_pool_") + type;
  const std::string act = type == "float" ? float_literal(d.act_min_f) + ", " + float_literal(d.act_max_f)
                                          : std::to_string(d.act_min) + ", " + std::to_string(d.act_max);
  e.call("kiln::kernels::" + fn + "(" + geo + ", " + act + ", " + e.input(0) + ", " + e.output(0) + ");", fn);
}

void emit_add_sub(Emitter& e) {
  const auto& d = e.data<runtime::ops::AddSubData>();
  const std::string plan = broadcast(e, d.plan);
  const std::string type = suffix(e, e.output_tensor(0).type);
  const std::string fn = std::string(d.subtract ? "sub_" : "add_") + type;
  std::string p;
  if (type == "float") {
    p = float_range(e, d.act);
  } else {
    const kernels::AddSubParams& q = d.q;
    StructText t("kiln::kernels::AddSubParams");
    t.set("input1_offset", q.input1_offset).set("input2_offset", q.input2_offset);
    t.set("output_offset", q.output_offset).set("left_shift", q.left_shift);
    t.set("input1_multiplier", q.input1_multiplier).set("input1_shift", q.input1_shift);
    t.set("input2_multiplier", q.input2_multiplier).set("input2_shift", q.input2_shift);
    t.set("output_multiplier", q.output_multiplier).set("output_shift", q.output_shift);
    t.set("act_min", q.act_min).set("act_max", q.act_max);
    p = e.param(t, "quant", "input rescaling and output requantization");
  }
  e.call("kiln::kernels::" + fn + "(" + plan + ", " + p + ", " + e.input(0) + ", " + e.input(1) + ", " + e.output(0) + ");", fn);
}

void emit_mul(Emitter& e) {
  const auto& d = e.data<runtime::ops::MulData>();
  const std::string plan = broadcast(e, d.plan);
  const std::string type = suffix(e, e.output_tensor(0).type);
  std::string p;
  if (type == "float") {
    p = float_range(e, d.act);
  } else {
    StructText t("kiln::kernels::MulParams");
    t.set("input1_offset", d.q.input1_offset).set("input2_offset", d.q.input2_offset);
    t.set("output_offset", d.q.output_offset).set("multiplier", d.q.multiplier).set("shift", d.q.shift);
    t.set("act_min", d.q.act_min).set("act_max", d.q.act_max);
    p = e.param(t, "quant", "product requantization");
  }
  e.call("kiln::kernels::mul_" + type + "(" + plan + ", " + p + ", " + e.input(0) + ", " + e.input(1) + ", " + e.output(0) + ");",
         "mul_" + type);
}

void emit_softmax(Emitter& e) {
  const auto& d = e.data<runtime::ops::SoftmaxData>();
  const std::string shape = std::to_string(d.outer) + "u, " + std::to_string(d.depth) + "u";
  using runtime::ops::SoftmaxKind;
  if (d.kind == SoftmaxKind::kFloat) {
    e.call("kiln::kernels::softmax_f32(" + e.input(0) + ", " + e.output(0) + ", " + shape + ", " + float_literal(d.beta) + ");",
           "softmax_f32");
    return;
  }
  StructText t("kiln::kernels::SoftmaxQuantParams");
  t.set("input_multiplier", d.quant.input_multiplier).set("input_left_shift", d.quant.input_left_shift);
  t.set("diff_min", d.quant.diff_min);
  const std::string q = e.param(t, "quant", "input scaling (beta folded in)");
  const std::string fn = d.kind == SoftmaxKind::kInt8 ? "softmax_s8" : "softmax_s8_s16";
  e.call("kiln::kernels::" + fn + "(" + e.input(0) + ", " + e.output(0) + ", " + shape + ", " + q + ");", fn);
}

void emit_reshape(Emitter& e) {
  const std::string in = e.input(0);
  const std::string out = e.output(0);
  const runtime::Tensor& o = e.output_tensor(0);
  if (o.bytes == 0 || e.input_tensor(0)->data == o.data) {
    e.call("// shares its input's memory: nothing to do", "none");
    return;
  }
  e.call("memmove(" + out + ", " + in + ", " + std::to_string(o.bytes) + "u);", "memmove");
}

void emit_quantize(Emitter& e) {
  const auto& d = e.data<runtime::ops::QuantizeData>();
  const runtime::Tensor* in = e.input_tensor(0);
  const TensorType out_type = e.output_tensor(0).type;
  if (in->type == TensorType::kFloat32) {
    const std::string fn = out_type == TensorType::kInt8 ? "quantize_float_to_int8" : "quantize_float_to_int16";
    e.call("kiln::kernels::" + fn + "(" + e.input(0) + ", " + n_of(in) + ", " + float_literal(d.scale) + ", " +
               std::to_string(d.zero_point) + ", " + e.output(0) + ");",
           fn);
    return;
  }
  StructText t("kiln::kernels::RequantizeParams");
  t.set("input_zero_point", d.rq.input_zero_point).set("output_zero_point", d.rq.output_zero_point);
  t.set("multiplier", d.rq.multiplier).set("shift", d.rq.shift);
  const std::string q = e.param(t, "requantize", "input scale / output scale");
  e.call("kiln::kernels::requantize(" + q + ", " + e.input(0) + ", " + n_of(in) + ", " + e.output(0) + ");", "requantize");
}

void emit_dequantize(Emitter& e) {
  const auto& d = e.data<runtime::ops::DequantizeData>();
  const runtime::Tensor* in = e.input_tensor(0);
  e.call("kiln::kernels::dequantize(" + e.input(0) + ", " + n_of(in) + ", " + float_literal(d.scale) + ", " +
             std::to_string(d.zero_point) + ", " + e.output(0) + ");",
         "dequantize");
}

void emit_concatenation(Emitter& e) {
  const auto& d = e.data<runtime::ops::ConcatData>();
  uint32_t offset = 0;
  for (uint32_t i = 0; i < d.inputs; ++i) {
    e.call("kiln::kernels::concat_input(" + e.input(i) + ", " + std::to_string(d.chunk_bytes[i]) + "u, " +
               std::to_string(d.outer) + "u, " + std::to_string(d.row_bytes) + "u, " + std::to_string(offset) + "u, " +
               e.output(0) + ");",
           "concat_input");
    offset += d.chunk_bytes[i];
  }
}

void emit_pad(Emitter& e) {
  const auto& d = e.data<runtime::ops::PadData>();
  StructText t("kiln::kernels::PadGeometry");
  t.set("rank", d.g.rank).set("element_size", d.g.element_size).set_array("in_dims", d.g.in_dims, d.g.rank);
  t.set_array("before", d.g.before, d.g.rank).set_array("after", d.g.after, d.g.rank);
  const std::string g = e.param(t, "geometry", "padding before and after each axis");
  const std::string value = d.value_from_input ? e.input(2) : e.flash("pad_value", TensorType::kUInt8, d.value, sizeof d.value);
  e.call("kiln::kernels::pad(" + g + ", " + e.input(0) + ", " + value + ", " + e.output(0) + ");", "pad");
}

void emit_mean(Emitter& e) {
  const auto& d = e.data<runtime::ops::MeanData>();
  StructText t("kiln::kernels::ReducePlan");
  t.set("rank", d.plan.rank).set_array("dims", d.plan.dims, d.plan.rank);
  t.set_array("out_stride", d.plan.out_stride, d.plan.rank);
  t.set("input_count", d.plan.input_count).set("output_count", d.plan.output_count);
  t.set("reduce_count", d.plan.reduce_count);
  const std::string plan = e.param(t, "plan", "reduced axes");
  const std::string type = suffix(e, e.input_tensor(0)->type);
  if (type == "float") {
    e.call("kiln::kernels::mean_float(" + plan + ", " + e.input(0) + ", " + e.output(0) + ");", "mean_float");
    return;
  }
  StructText m("kiln::kernels::MeanParams");
  m.set("input_zero_point", d.q.input_zero_point).set("output_zero_point", d.q.output_zero_point);
  m.set("multiplier", d.q.multiplier).set("shift", d.q.shift);
  const std::string q = e.param(m, "quant", "sum to mean requantization");
  e.call("kiln::kernels::mean_" + type + "(" + plan + ", " + q + ", " + e.input(0) + ", " + e.scratch("int32_t") + ", " +
             e.output(0) + ");",
         "mean_" + type);
}

void emit_strided_slice(Emitter& e) {
  const auto& p = e.data<kernels::StridedSlicePlan>();
  StructText t("kiln::kernels::StridedSlicePlan");
  t.set("rank", p.rank).set("element_size", p.element_size).set_array("in_dims", p.in_dims, p.rank);
  t.set_array("start", p.start, p.rank).set_array("stride", p.stride, p.rank).set_array("count", p.count, p.rank);
  t.set("output_count", p.output_count);
  const std::string plan = e.param(t, "plan", "start, stride and count per axis");
  e.call("kiln::kernels::strided_slice(" + plan + ", " + e.input(0) + ", " + e.output(0) + ");", "strided_slice");
}

void emit_svdf(Emitter& e) {
  // Inputs: input, weights_feature, weights_time, bias, state (variable).
  const auto& d = e.data<runtime::ops::SvdfData>();
  StructText s("kiln::kernels::SvdfShape");
  s.set("batches", d.shape.batches).set("input_size", d.shape.input_size).set("num_filters", d.shape.num_filters);
  s.set("memory_size", d.shape.memory_size).set("rank", d.shape.rank);
  const std::string shape = e.param(s, "shape", "filters, memory and rank");
  const std::string io = e.input(0) + ", " + e.input(1) + ", " + e.input(2) + ", " + e.input(3) + ", " + e.input(4);
  using runtime::ops::SvdfKind;
  if (d.kind == SvdfKind::kFloat) {
    e.call("kiln::kernels::svdf_f32(" + shape + ", static_cast<kiln::kernels::SvdfActivation>(" +
               std::to_string(static_cast<int>(d.activation)) + "), " + io + ", " + e.scratch("float") + ", " + e.output(0) + ");",
           "svdf_f32");
    return;
  }
  const kernels::SvdfQuantParams& q = d.quant;
  StructText t("kiln::kernels::SvdfQuantParams");
  t.set("input_zero_point", q.input_zero_point).set("state_zero_point", q.state_zero_point);
  t.set("output_zero_point", q.output_zero_point);
  t.set("feature_scale.multiplier", q.feature_scale.multiplier).set("feature_scale.shift", q.feature_scale.shift);
  t.set("output_scale.multiplier", q.output_scale.multiplier).set("output_scale.shift", q.output_scale.shift);
  const std::string quant = e.param(t, "quant", "feature and output requantization");
  const std::string fn = d.kind == SvdfKind::kInt8State8 ? "svdf_s8" : "svdf_s8_s16";
  e.call("kiln::kernels::" + fn + "(" + shape + ", " + quant + ", " + io + ", " + e.scratch("int32_t") + ", " + e.output(0) + ");", fn);
}

}  // namespace kiln::aot
