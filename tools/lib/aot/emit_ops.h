// One emitter per operator family (see emit_dispatch.cpp).
#pragma once
#include <string>

#include "emitter.h"

namespace kiln::kernels {
struct FloatActivation;
struct RequantParams;
}  // namespace kiln::kernels

namespace kiln::aot {

// Shared pieces: a RequantParams with its multipliers/shifts in flash, and a
// float activation clamp; both return the constexpr's name.
std::string emit_requant(Emitter& e, const kernels::RequantParams& q, int32_t channels);
std::string emit_float_act(Emitter& e, const kernels::FloatActivation& a);

void emit_conv_2d(Emitter& e);
void emit_depthwise_conv_2d(Emitter& e);
void emit_fully_connected(Emitter& e);
void emit_transpose_conv(Emitter& e);

void emit_pool_2d(Emitter& e);
void emit_add_sub(Emitter& e);
void emit_mul(Emitter& e);
void emit_softmax(Emitter& e);
void emit_reshape(Emitter& e);
void emit_quantize(Emitter& e);
void emit_dequantize(Emitter& e);
void emit_concatenation(Emitter& e);
void emit_pad(Emitter& e);
void emit_mean(Emitter& e);
void emit_strided_slice(Emitter& e);
void emit_svdf(Emitter& e);

void emit_relu(Emitter& e);
void emit_relu6(Emitter& e);
void emit_leaky_relu(Emitter& e);
void emit_logistic_tanh(Emitter& e, bool tanh);

}  // namespace kiln::aot
