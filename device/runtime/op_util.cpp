#include "kiln/runtime/op_util.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

namespace kiln::runtime {

namespace {

int64_t effective_filter_size(int32_t filter, int32_t dilation) {
  return (static_cast<int64_t>(filter) - 1) * dilation + 1;
}

// TFLite ComputePaddingWithOffset, in 64 bits; the caller narrows.
int64_t total_padding(int32_t stride, int32_t dilation, int32_t in, int32_t filter, int32_t out) {
  const int64_t total = (static_cast<int64_t>(out) - 1) * stride + effective_filter_size(filter, dilation) - in;
  return total > 0 ? total : 0;
}

int32_t narrow(int64_t v) { return v > INT32_MAX ? INT32_MAX : (v < INT32_MIN ? INT32_MIN : static_cast<int32_t>(v)); }

// zero_point + round(value / scale) in float32, as TFLite's
// CalculateActivationRangeQuantizedImpl; saturated instead of overflowing.
int32_t quantize_activation_bound(float value, float scale, int32_t zero_point) {
  const float q = roundf(value / scale);
  if (!(q > -2147483648.0f)) return INT32_MIN;  // also NaN
  if (q >= 2147483648.0f) return INT32_MAX;
  return narrow(static_cast<int64_t>(zero_point) + static_cast<int64_t>(q));
}

bool zero_point_in_range(model::TensorType type, int64_t zp) {
  switch (type) {
    case model::TensorType::kInt8: return zp >= -128 && zp <= 127;
    case model::TensorType::kUInt8: return zp >= 0 && zp <= 255;
    case model::TensorType::kInt16: return zp >= -32768 && zp <= 32767;
    default: return zp >= INT32_MIN && zp <= INT32_MAX;
  }
}

// "[1,2,3]" into buf (truncated to fit).
const char* format_dims(const int32_t* dims, uint32_t rank, char* buf, size_t size) {
  size_t used = static_cast<size_t>(snprintf(buf, size, "["));
  for (uint32_t i = 0; i < rank && used < size; ++i) {
    used += static_cast<size_t>(snprintf(buf + used, size - used, "%s%ld", i ? "," : "", static_cast<long>(dims[i])));
  }
  if (used < size) snprintf(buf + used, size - used, "]");
  return buf;
}

}  // namespace

int32_t compute_out_size(model::Padding padding, int32_t in, int32_t filter, int32_t stride,
                         int32_t dilation) {
  if (in < 0 || filter <= 0 || stride <= 0 || dilation <= 0) return 0;
  int64_t out = 0;
  switch (padding) {
    case model::Padding::kSame: out = (static_cast<int64_t>(in) + stride - 1) / stride; break;
    case model::Padding::kValid: out = (static_cast<int64_t>(in) + stride - effective_filter_size(filter, dilation)) / stride; break;
    default: return 0;
  }
  return out < 0 ? 0 : narrow(out);
}

PaddingValues compute_padding(int32_t stride_h, int32_t stride_w, int32_t dilation_h,
                              int32_t dilation_w, int32_t in_h, int32_t in_w, int32_t filter_h,
                              int32_t filter_w, int32_t out_h, int32_t out_w) {
  PaddingValues p;
  if (stride_h <= 0 || stride_w <= 0 || dilation_h <= 0 || dilation_w <= 0) return p;
  const int64_t total_h = total_padding(stride_h, dilation_h, in_h, filter_h, out_h);
  const int64_t total_w = total_padding(stride_w, dilation_w, in_w, filter_w, out_w);
  p.height = narrow(total_h / 2);
  p.height_offset = static_cast<int32_t>(total_h % 2);
  p.width = narrow(total_w / 2);
  p.width_offset = static_cast<int32_t>(total_w % 2);
  return p;
}

void activation_range_quantized(model::Activation act, float out_scale, int32_t out_zero_point,
                                int32_t qmin, int32_t qmax, int32_t* act_min, int32_t* act_max) {
  *act_min = qmin;
  *act_max = qmax;
  const auto bound = [&](float v) { return quantize_activation_bound(v, out_scale, out_zero_point); };
  if (act == model::Activation::kRelu) {
    if (bound(0.0f) > qmin) *act_min = bound(0.0f);
  } else if (act == model::Activation::kRelu6) {
    if (bound(0.0f) > qmin) *act_min = bound(0.0f);
    if (bound(6.0f) < qmax) *act_max = bound(6.0f);
  } else if (act == model::Activation::kReluN1To1) {
    if (bound(-1.0f) > qmin) *act_min = bound(-1.0f);
    if (bound(1.0f) < qmax) *act_max = bound(1.0f);
  }
}

void activation_range_float(model::Activation act, float* act_min, float* act_max) {
  *act_min = -FLT_MAX;  // numeric_limits<float>::lowest(), as TFLite
  *act_max = FLT_MAX;
  if (act == model::Activation::kRelu) {
    *act_min = 0.0f;
  } else if (act == model::Activation::kRelu6) {
    *act_min = 0.0f;
    *act_max = 6.0f;
  } else if (act == model::Activation::kReluN1To1) {
    *act_min = -1.0f;
    *act_max = 1.0f;
  }
}

Status checked_multiplier(PrepareContext& ctx, double real, const char* what,
                          kernels::QuantizedMultiplier* out) {
  if (!(real > 0.0) || !isfinite(real)) {
    return ctx.fail(Status::kUnsupported, "%s scale ratio %g is not a positive number", what, real);
  }
  *out = kernels::quantize_multiplier(real);
  if (out->shift > 30) {
    return ctx.fail(Status::kUnsupported, "%s scale ratio %g is too large to requantize", what, real);
  }
  return Status::kOk;
}

Status expect_int64_requant_shifts(PrepareContext& ctx, const int8_t* shifts, int32_t count) {
  for (int32_t i = 0; i < count; ++i) {
    if (shifts[i] > 14) {
      return ctx.fail(Status::kUnsupported, "channel %ld: output multiplier 2^%ld too large for 16-bit requantization",
                      static_cast<long>(i), static_cast<long>(shifts[i]));
    }
  }
  return Status::kOk;
}

Status per_channel_multipliers(PrepareContext& ctx, const model::TensorView& input,
                               const model::TensorView& filter, const model::TensorView& output,
                               int32_t channels, kernels::RequantParams* q, int32_t* count,
                               ScaleProduct product) {
  float in_scale = 0.0f, out_scale = 0.0f;
  int32_t zp = 0;
  KILN_TRY(tensor_quant(ctx, input, "input", &in_scale, &zp));
  KILN_TRY(tensor_quant(ctx, output, "output", &out_scale, &zp));
  const uint32_t n = filter.quant.scale.size();
  if (channels <= 0 || (n != 1 && n != static_cast<uint32_t>(channels))) {
    return ctx.fail(Status::kInvalidModel, "filter has %lu scales for %ld output channels",
                    static_cast<unsigned long>(n), static_cast<long>(channels));
  }
  // Per-tensor weights share one entry instead of repeating it per channel.
  const int32_t entries = n == 1 ? 1 : channels;
  int32_t* multipliers = ctx.allocate_array<int32_t>(static_cast<size_t>(entries));
  int8_t* shifts = ctx.allocate_array<int8_t>(static_cast<size_t>(entries));
  if (multipliers == nullptr || shifts == nullptr) return Status::kArenaTooSmall;
  for (int32_t c = 0; c < entries; ++c) {
    const float w_scale = filter.quant.scale[static_cast<uint32_t>(c)];
    if (!(w_scale > 0.0f) || !isfinite(w_scale)) {
      return ctx.fail(Status::kInvalidModel, "filter scale %ld (%g) is not positive", static_cast<long>(c),
                      static_cast<double>(w_scale));
    }
    const double real = product == ScaleProduct::kDouble
                            ? static_cast<double>(in_scale) * static_cast<double>(w_scale) / static_cast<double>(out_scale)
                            : static_cast<double>(in_scale * w_scale) / static_cast<double>(out_scale);
    kernels::QuantizedMultiplier m;
    KILN_TRY(checked_multiplier(ctx, real, "output", &m));
    multipliers[c] = m.multiplier;
    shifts[c] = static_cast<int8_t>(m.shift);  // checked_multiplier: shift in [-31, 30]
  }
  q->multipliers = multipliers;
  q->shifts = shifts;
  q->channel_mask = entries == 1 ? 0u : 0xFFFFFFFFu;
  if (count != nullptr) *count = entries;
  return Status::kOk;
}

Status tensor_quant(PrepareContext& ctx, const model::TensorView& t, const char* what, float* scale,
                    int32_t* zero_point) {
  if (!t.quant.present()) return ctx.fail(Status::kInvalidModel, "%s has no quantization parameters", what);
  if (t.quant.scale.size() != 1) {
    return ctx.fail(Status::kUnsupported, "%s must be per-tensor quantized, has %lu scales", what,
                    static_cast<unsigned long>(t.quant.scale.size()));
  }
  const float s = t.quant.scale[0];
  if (!(s > 0.0f) || !isfinite(s)) {
    return ctx.fail(Status::kInvalidModel, "%s scale %g is not positive", what, static_cast<double>(s));
  }
  const int64_t zp = t.quant.zero_point.size() > 0 ? t.quant.zero_point[0] : 0;
  if (!zero_point_in_range(t.type, zp)) {
    return ctx.fail(Status::kInvalidModel, "%s zero point %lld is out of range for %s", what,
                    static_cast<long long>(zp), model::tensor_type_name(t.type));
  }
  *scale = s;
  *zero_point = static_cast<int32_t>(zp);
  return Status::kOk;
}

Status expect_type(PrepareContext& ctx, const Tensor* t, model::TensorType type, const char* what) {
  if (t == nullptr) return ctx.fail(Status::kInvalidModel, "%s is missing", what);
  if (t->type != type) {
    return ctx.fail(Status::kUnsupported, "%s must be %s, got %s", what, model::tensor_type_name(type),
                    model::tensor_type_name(t->type));
  }
  return Status::kOk;
}

Status expect_io(PrepareContext& ctx, uint32_t n_in, uint32_t n_out) {
  for (uint32_t i = 0; i < n_in; ++i) {
    if (ctx.input(i) == nullptr) {
      return ctx.fail(Status::kInvalidModel, "input %lu is missing (op has %lu inputs)", static_cast<unsigned long>(i),
                      static_cast<unsigned long>(ctx.input_count()));
    }
  }
  for (uint32_t i = 0; i < n_out; ++i) {
    if (ctx.output(i) == nullptr) {
      return ctx.fail(Status::kInvalidModel, "output %lu is missing (op has %lu outputs)", static_cast<unsigned long>(i),
                      static_cast<unsigned long>(ctx.output_count()));
    }
  }
  return Status::kOk;
}

Status expect_rank(PrepareContext& ctx, const Tensor* t, uint32_t rank, const char* what) {
  if (t == nullptr) return ctx.fail(Status::kInvalidModel, "%s is missing", what);
  if (t->rank != rank) {
    return ctx.fail(Status::kUnsupported, "%s must have rank %lu, got %lu", what, static_cast<unsigned long>(rank),
                    static_cast<unsigned long>(t->rank));
  }
  return Status::kOk;
}

Status expect_shape(PrepareContext& ctx, const Tensor* t, const int32_t* dims, uint32_t rank,
                    const char* what) {
  bool same = t != nullptr && t->rank == rank;
  for (uint32_t i = 0; same && i < rank; ++i) same = t->dims[i] == dims[i];
  if (same) return Status::kOk;
  char have[48] = "(none)", want[48];
  if (t != nullptr) format_dims(t->dims, t->rank, have, sizeof(have));
  return ctx.fail(Status::kInvalidModel, "%s shape %s differs from the computed %s", what, have,
                  format_dims(dims, rank, want, sizeof(want)));
}

Status expect_constant(PrepareContext& ctx, const Tensor* t, const char* what) {
  if (t == nullptr) return ctx.fail(Status::kInvalidModel, "%s is missing", what);
  if (!t->is_constant() || t->data == nullptr) {
    return ctx.fail(Status::kUnsupported, "%s must be a constant tensor", what);
  }
  return Status::kOk;
}

Status expect_zero_points_zero(PrepareContext& ctx, const model::TensorView& t, const char* what) {
  for (uint32_t i = 0; i < t.quant.zero_point.size(); ++i) {
    if (t.quant.zero_point[i] != 0) {
      return ctx.fail(Status::kUnsupported, "%s zero point %lu is %lld, must be 0", what, static_cast<unsigned long>(i),
                      static_cast<long long>(t.quant.zero_point[i]));
    }
  }
  return Status::kOk;
}

Status expect_activation(PrepareContext& ctx, model::Activation act) {
  switch (act) {
    case model::Activation::kNone:
    case model::Activation::kRelu:
    case model::Activation::kReluN1To1:
    case model::Activation::kRelu6: return Status::kOk;
    default:
      return ctx.fail(Status::kUnsupported, "fused activation %d is not supported", static_cast<int>(act));
  }
}

Status expect_padding(PrepareContext& ctx, model::Padding padding) {
  if (padding == model::Padding::kSame || padding == model::Padding::kValid) return Status::kOk;
  return ctx.fail(Status::kUnsupported, "padding %d is not supported", static_cast<int>(padding));
}

Status expect_options(PrepareContext& ctx, model::OptionsType type) {
  const model::OperatorView& op = ctx.op();
  if (!op.options.present() && op.options_type == model::OptionsType::kNone) return Status::kOk;
  if (op.options_type != type) {
    return ctx.fail(Status::kInvalidModel, "options table has type %d, expected %d", static_cast<int>(op.options_type),
                    static_cast<int>(type));
  }
  return Status::kOk;
}

Status expect_bias(PrepareContext& ctx, const Tensor* bias, model::TensorType type, int32_t channels) {
  if (bias == nullptr) return Status::kOk;
  KILN_TRY(expect_type(ctx, bias, type, "bias"));
  if (bias->elements() != static_cast<uint32_t>(channels)) {
    return ctx.fail(Status::kInvalidModel, "bias has %lu elements for %ld output channels",
                    static_cast<unsigned long>(bias->elements()), static_cast<long>(channels));
  }
  return Status::kOk;
}

Status expect_filter_quant(PrepareContext& ctx, const model::TensorView& filter, int32_t channels,
                           int32_t axis) {
  const uint32_t n = filter.quant.scale.size();
  if (n != 1 && n != static_cast<uint32_t>(channels)) {
    return ctx.fail(Status::kInvalidModel, "filter has %lu scales for %ld output channels",
                    static_cast<unsigned long>(n), static_cast<long>(channels));
  }
  if (n > 1 && filter.quant.quantized_dimension != axis) {
    return ctx.fail(Status::kUnsupported, "filter is quantized along dimension %ld, expected %ld",
                    static_cast<long>(filter.quant.quantized_dimension), static_cast<long>(axis));
  }
  return expect_zero_points_zero(ctx, filter, "filter");
}

Status expect_16x8_accumulator_bounds(PrepareContext& ctx, const Tensor* bias, int64_t terms) {
  if (terms > (INT64_C(1) << 24)) {
    return ctx.fail(Status::kUnsupported, "%lld products per output overflow the 16x8 accumulator",
                    static_cast<long long>(terms));
  }
  if (bias == nullptr) return Status::kOk;
  KILN_TRY(expect_constant(ctx, bias, "16x8 bias"));
  const int64_t* b = bias->as<int64_t>();
  const int64_t limit = INT64_C(1) << 40;
  for (uint32_t i = 0; i < bias->elements(); ++i) {
    if (b[i] > limit || b[i] < -limit) {
      return ctx.fail(Status::kUnsupported, "bias %lu (%lld) exceeds the 16x8 range ±2^40",
                      static_cast<unsigned long>(i), static_cast<long long>(b[i]));
    }
  }
  return Status::kOk;
}

Status dequantize_weights(PrepareContext& ctx, const Tensor* weights, const model::TensorView& info,
                          int32_t axis, const float** out) {
  KILN_TRY(expect_type(ctx, weights, model::TensorType::kInt8, "weights"));
  KILN_TRY(expect_constant(ctx, weights, "hybrid weights"));
  if (axis < 0 || static_cast<uint32_t>(axis) >= weights->rank) {
    return ctx.fail(Status::kInternal, "dequantize axis %ld outside rank %lu", static_cast<long>(axis),
                    static_cast<unsigned long>(weights->rank));
  }
  const int32_t channels = weights->dims[axis];
  KILN_TRY(expect_filter_quant(ctx, info, channels, axis));
  uint32_t inner = 1;  // elements per step along `axis`
  for (uint32_t d = static_cast<uint32_t>(axis) + 1; d < weights->rank; ++d) inner *= static_cast<uint32_t>(weights->dims[d]);
  const uint32_t n = weights->elements();
  float* w = ctx.allocate_array<float>(n);
  if (w == nullptr && n > 0) return Status::kArenaTooSmall;
  const int8_t* q = weights->as<int8_t>();
  const bool per_channel = info.quant.scale.size() > 1;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t c = per_channel ? (i / inner) % static_cast<uint32_t>(channels) : 0;
    const float scale = info.quant.scale[c];
    if (!(scale > 0.0f) || !isfinite(scale)) {
      return ctx.fail(Status::kInvalidModel, "weight scale %lu is not positive", static_cast<unsigned long>(c));
    }
    w[i] = static_cast<float>(q[i]) * scale;
  }
  *out = w;
  return Status::kOk;
}

Status expect_int32_extent(PrepareContext& ctx, int64_t extent, const char* what) {
  if (extent >= INT32_MIN && extent <= INT32_MAX) return Status::kOk;
  return ctx.fail(Status::kUnsupported, "%s (%lld) exceeds the 32-bit index range", what,
                  static_cast<long long>(extent));
}

}  // namespace kiln::runtime
