// RELU, RELU6, LEAKY_RELU, LOGISTIC and TANH.
#include "emit_ops.h"
#include "kiln/kernels/activations.h"
#include "kiln/runtime/op_data/leaky_relu.h"
#include "kiln/runtime/op_data/logistic_tanh.h"
#include "kiln/runtime/op_data/relu6.h"

namespace kiln::aot {

using model::TensorType;

namespace {

std::string io(Emitter& e) {
  return e.input(0) + ", " + e.output(0) + ", " + std::to_string(e.input_tensor(0)->elements()) + "u";
}

}  // namespace

void emit_relu(Emitter& e) {
  const TensorType type = e.input_tensor(0)->type;
  if (type == TensorType::kFloat32) {
    e.call("kiln::kernels::relu_float(" + io(e) + ");", "relu_float");
    return;
  }
  const auto& p = e.data<kernels::ReluParams>();
  StructText t("kiln::kernels::ReluParams");
  t.set("input_zero_point", p.input_zero_point).set("output_zero_point", p.output_zero_point);
  t.set("multiplier", p.multiplier).set("shift", p.shift).set("act_min", p.act_min).set("act_max", p.act_max);
  const std::string q = e.param(t, "quant", "rescale and clamp");
  const std::string fn = type == TensorType::kInt8 ? "relu_int8" : "relu_int16";
  e.call("kiln::kernels::" + fn + "(" + q + ", " + io(e) + ");", fn);
}

void emit_relu6(Emitter& e) {
  const TensorType type = e.input_tensor(0)->type;
  if (type == TensorType::kFloat32) {
    e.call("kiln::kernels::relu6_float(" + io(e) + ");", "relu6_float");
    return;
  }
  const auto& d = e.data<runtime::ops::Relu6Data>();
  const std::string fn = type == TensorType::kInt8 ? "clamp_int8" : "clamp_int16";
  e.call("kiln::kernels::" + fn + "(" + io(e) + ", " + std::to_string(d.lower) + ", " + std::to_string(d.upper) + ");", fn);
}

void emit_leaky_relu(Emitter& e) {
  const auto& d = e.data<runtime::ops::LeakyReluData>();
  const TensorType type = e.input_tensor(0)->type;
  if (type == TensorType::kFloat32) {
    e.call("kiln::kernels::leaky_relu_float(" + float_literal(d.alpha) + ", " + io(e) + ");", "leaky_relu_float");
    return;
  }
  StructText t("kiln::kernels::LeakyReluParams");
  t.set("input_zero_point", d.q.input_zero_point).set("output_zero_point", d.q.output_zero_point);
  t.set("identity_multiplier", d.q.identity_multiplier).set("identity_shift", d.q.identity_shift);
  t.set("alpha_multiplier", d.q.alpha_multiplier).set("alpha_shift", d.q.alpha_shift);
  t.set_expr("alpha_negative", d.q.alpha_negative ? "true" : "false");
  const std::string q = e.param(t, "quant", "identity and alpha requantization");
  const std::string fn = type == TensorType::kInt8 ? "leaky_relu_int8" : "leaky_relu_int16";
  e.call("kiln::kernels::" + fn + "(" + q + ", " + io(e) + ");", fn);
}

void emit_logistic_tanh(Emitter& e, bool tanh) {
  const auto& d = e.data<runtime::ops::SigmoidData>();
  const std::string n = std::to_string(d.count) + "u";
  if (!d.quantized) {
    const std::string fn = tanh ? "tanh_f32" : "logistic_f32";
    e.call("kiln::kernels::" + fn + "(" + e.input(0) + ", " + e.output(0) + ", " + n + ");", fn);
    return;
  }
  StructText t("kiln::kernels::ActivationInputParams");
  t.set("input_zero_point", d.input.input_zero_point).set("input_range_radius", d.input.input_range_radius);
  t.set("input_multiplier", d.input.input_multiplier).set("input_left_shift", d.input.input_left_shift);
  const std::string q = e.param(t, "input", "input range and scaling");
  const std::string fn = tanh ? "tanh_s8" : "logistic_s8";
  e.call("kiln::kernels::" + fn + "(" + e.input(0) + ", " + e.output(0) + ", " + n + ", " + q + ");", fn);
}

}  // namespace kiln::aot
