// Prepare-time helpers shared by kernel glue: output sizes and padding,
// fused-activation ranges, requantization multipliers, common checks.
#pragma once
#include <stdint.h>

#include "kiln/kernels/quant.h"
#include "kiln/kernels/requant.h"
#include "kiln/runtime/kernel.h"

namespace kiln::runtime {

struct PaddingValues {
  int32_t width = 0;
  int32_t height = 0;
  int32_t width_offset = 0;   // extra padding on the right (odd total)
  int32_t height_offset = 0;  // extra padding at the bottom
};

// TFLite ComputeOutSize.
int32_t compute_out_size(model::Padding padding, int32_t in, int32_t filter, int32_t stride,
                         int32_t dilation);
// TFLite ComputePaddingHeightWidth.
PaddingValues compute_padding(int32_t stride_h, int32_t stride_w, int32_t dilation_h,
                              int32_t dilation_w, int32_t in_h, int32_t in_w, int32_t filter_h,
                              int32_t filter_w, int32_t out_h, int32_t out_w);

// TFLite CalculateActivationRangeQuantized (float32 rounding, as TFLite does).
void activation_range_quantized(model::Activation act, float out_scale, int32_t out_zero_point,
                                int32_t qmin, int32_t qmax, int32_t* act_min, int32_t* act_max);
void activation_range_float(model::Activation act, float* act_min, float* act_max);

// How in_scale · w_scale is formed. Conv-like ops widen both to double first
// (PopulateConvolutionQuantizationParams); FULLY_CONNECTED with one weight
// scale multiplies in float32 first (GetQuantizedConvolutionMultipler), which
// can change the multiplier's last bit.
enum class ScaleProduct : uint8_t { kDouble, kFloat };

// Per-channel (or broadcast per-tensor) output multipliers for conv-like ops:
// M[c] = in_scale * w_scale[c] / out_scale. Allocates both arrays from the
// persistent arena. Fails when the filter's scale count is neither 1 nor
// `channels`, or a scale is not positive, or a multiplier is out of the range
// multiply_by_quantized_multiplier accepts (shift > 30).
// Per-tensor weights get a single entry (channel_mask 0), per-channel weights
// one per channel; fills multipliers, shifts and channel_mask of `q` and, when
// `count` is given, the number of entries.
Status per_channel_multipliers(PrepareContext& ctx, const model::TensorView& input,
                               const model::TensorView& filter, const model::TensorView& output,
                               int32_t channels, kernels::RequantParams* q, int32_t* count = nullptr,
                               ScaleProduct product = ScaleProduct::kDouble);

// quantize_multiplier(real) with the checks invoke relies on: real finite and
// positive, shift <= 30 (the int32 requantization's domain).
Status checked_multiplier(PrepareContext& ctx, double real, const char* what,
                          kernels::QuantizedMultiplier* out);
// The 64-bit requantization (16x8 ops) needs shift <= 14; fails otherwise.
Status expect_int64_requant_shifts(PrepareContext& ctx, const int8_t* shifts, int32_t count);

// Scale and zero point of a per-tensor quantized tensor; fails if absent.
Status tensor_quant(PrepareContext& ctx, const model::TensorView& t, const char* what, float* scale,
                    int32_t* zero_point);

// Fails with "<what> must be TYPE, got TYPE" when the type differs.
Status expect_type(PrepareContext& ctx, const Tensor* t, model::TensorType type, const char* what);
// Fails unless input(i)/output(i) exist for i < n_in / n_out.
Status expect_io(PrepareContext& ctx, uint32_t n_in, uint32_t n_out);

// Fails with "<what> must have rank N, got M".
Status expect_rank(PrepareContext& ctx, const Tensor* t, uint32_t rank, const char* what);
// Fails with "<what> shape [..] differs from the computed [..]".
Status expect_shape(PrepareContext& ctx, const Tensor* t, const int32_t* dims, uint32_t rank,
                    const char* what);
// Fails unless t holds constant data (weights prepare must read).
Status expect_constant(PrepareContext& ctx, const Tensor* t, const char* what);
// Fails unless every zero point of t is 0 (symmetric weights, 16x8 activations).
Status expect_zero_points_zero(PrepareContext& ctx, const model::TensorView& t, const char* what);
// Fails for fused activations kiln does not apply (TANH, SIGN_BIT, unknown).
Status expect_activation(PrepareContext& ctx, model::Activation act);
// Fails for padding codes other than SAME and VALID.
Status expect_padding(PrepareContext& ctx, model::Padding padding);
// Fails when the op's options table is of another type than `type` (an
// absent table is accepted: its fields take schema defaults).
Status expect_options(PrepareContext& ctx, model::OptionsType type);
// Checks an optional bias input: absent (null) is fine; otherwise it must be
// of `type` with exactly `channels` elements.
Status expect_bias(PrepareContext& ctx, const Tensor* bias, model::TensorType type, int32_t channels);
// Checks a conv-like filter's quantization: scale count 1 or `channels`,
// per-channel along `axis`, every zero point 0.
Status expect_filter_quant(PrepareContext& ctx, const model::TensorView& filter, int32_t channels,
                           int32_t axis);
// 16x8 ops accumulate `terms` products (each below 2^22) plus an int64 bias in
// int64 and requantize with a 64-bit product that needs |acc| < 2^47: fails
// unless terms <= 2^24 and the (then constant) bias stays within ±2^40.
Status expect_16x8_accumulator_bounds(PrepareContext& ctx, const Tensor* bias, int64_t terms);
// Hybrid ops (float activations, int8 weights): dequantizes constant int8
// weights into a persistent float array, w · scale[c] with c the index along
// `axis` (zero points must be 0).
Status dequantize_weights(PrepareContext& ctx, const Tensor* weights, const model::TensorView& info,
                          int32_t axis, const float** out);

// Fails unless `extent` (a furthest coordinate or index a kernel will form,
// computed by the caller in 64 bits) fits int32, so kernels can index in 32 bits.
Status expect_int32_extent(PrepareContext& ctx, int64_t extent, const char* what);

}  // namespace kiln::runtime
