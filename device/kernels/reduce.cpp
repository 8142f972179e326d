#include "kiln/kernels/reduce.h"

#include "kiln/kernels/quant.h"

namespace kiln::kernels {

namespace {

// Calls visit(input_index, output_index) for every input element, row-major.
template <typename Visit>
void walk(const ReducePlan& p, Visit visit) {
  if (p.input_count == 0) return;
  if (p.rank == 0) {
    visit(0u, 0u);
    return;
  }
  const uint32_t last = p.rank - 1;
  const int32_t n = p.dims[last];
  const int32_t s = p.out_stride[last];
  int32_t idx[kMaxReduceRank] = {};
  uint32_t in = 0;
  int32_t out = 0;
  for (;;) {
    for (int32_t k = 0; k < n; ++k) visit(in++, static_cast<uint32_t>(out + k * s));
    int32_t d = static_cast<int32_t>(last) - 1;
    for (; d >= 0; --d) {
      out += p.out_stride[d];
      if (++idx[d] < p.dims[d]) break;
      out -= p.out_stride[d] * p.dims[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

int32_t floor_log2(uint64_t v) {
  int32_t r = -1;
  while (v != 0) {
    v >>= 1;
    ++r;
  }
  return r;
}

template <typename T>
void mean_integer(const ReducePlan& plan, const MeanParams& p, const T* input, int32_t* acc,
                  T* output, int32_t qmin, int32_t qmax) {
  for (uint32_t o = 0; o < plan.output_count; ++o) {
    acc[o] = 0;
    output[o] = 0;  // TFLite leaves zeros when nothing is reduced
  }
  if (plan.input_count == 0 || plan.reduce_count == 0) return;
  walk(plan, [&](uint32_t i, uint32_t o) {
    // int32 sum with wrap-around, as TFLite's AddTensorValuesWithExpectedOverflow.
    acc[o] = static_cast<int32_t>(static_cast<uint32_t>(acc[o]) +
                                  static_cast<uint32_t>(static_cast<int32_t>(input[i])));
  });
  const int64_t zero_sum = static_cast<int64_t>(p.input_zero_point) * plan.reduce_count;
  for (uint32_t o = 0; o < plan.output_count; ++o) {
    const int32_t centered = static_cast<int32_t>(static_cast<uint32_t>(acc[o] - zero_sum));
    const int32_t v =
        multiply_by_quantized_multiplier(centered, p.multiplier, p.shift) + p.output_zero_point;
    output[o] = static_cast<T>(clamp_i32(v, qmin, qmax));
  }
}

}  // namespace

bool make_reduce_plan(const int32_t* dims, uint32_t rank, const int32_t* axes, uint32_t axis_count,
                      ReducePlan* plan) {
  if (rank > kMaxReduceRank) return false;
  bool reduced[kMaxReduceRank] = {};
  // TFLite ignores the axes of a scalar input.
  for (uint32_t i = 0; rank > 0 && i < axis_count; ++i) {
    const int64_t a = axes[i] < 0 ? static_cast<int64_t>(axes[i]) + rank : axes[i];
    if (a < 0 || a >= static_cast<int64_t>(rank)) return false;
    reduced[a] = true;
  }
  ReducePlan p;
  p.rank = rank;
  uint64_t in = 1, out = 1, red = 1;
  for (uint32_t k = rank; k-- > 0;) {
    if (dims[k] < 0) return false;
    p.dims[k] = dims[k];
    p.out_stride[k] = reduced[k] ? 0 : static_cast<int32_t>(out);
    if (reduced[k]) {
      red *= static_cast<uint64_t>(dims[k]);
    } else {
      out *= static_cast<uint64_t>(dims[k]);
    }
    in *= static_cast<uint64_t>(dims[k]);
    if (in > INT32_MAX) return false;
  }
  p.input_count = static_cast<uint32_t>(in);
  p.output_count = static_cast<uint32_t>(out);
  p.reduce_count = static_cast<int32_t>(red);
  *plan = p;
  return true;
}

bool make_mean_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                      int32_t reduce_count, MeanParams* p) {
  const QuantizedMultiplier q =
      quantize_multiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale));
  p->input_zero_point = in_zp;
  p->output_zero_point = out_zp;
  p->multiplier = q.multiplier;
  p->shift = q.shift;
  if (q.shift > 31) return false;  // the requantizer shifts a 32-bit value left
  if (reduce_count <= 0) return true;
  // TFLite folds 1/count in: multiplier · 2^s / count with s = floor(log2
  // count), capped so the shift stays within what the requantizer handles.
  int32_t s = floor_log2(static_cast<uint64_t>(reduce_count));
  s = s < 32 ? s : 32;
  s = s < 31 + q.shift ? s : 31 + q.shift;
  p->multiplier = static_cast<int32_t>((static_cast<int64_t>(q.multiplier) << s) / reduce_count);
  p->shift = q.shift - s;
  return true;
}

void mean_int8(const ReducePlan& plan, const MeanParams& p, const int8_t* input, int32_t* acc,
               int8_t* output) {
  mean_integer(plan, p, input, acc, output, INT8_MIN, INT8_MAX);
}

void mean_int16(const ReducePlan& plan, const MeanParams& p, const int16_t* input, int32_t* acc,
                int16_t* output) {
  mean_integer(plan, p, input, acc, output, INT16_MIN, INT16_MAX);
}

void mean_float(const ReducePlan& plan, const float* input, float* output) {
  for (uint32_t o = 0; o < plan.output_count; ++o) output[o] = 0.0f;
  if (plan.input_count == 0 || plan.reduce_count == 0) return;
  walk(plan, [&](uint32_t i, uint32_t o) { output[o] += input[i]; });
  const float count = static_cast<float>(plan.reduce_count);
  for (uint32_t o = 0; o < plan.output_count; ++o) output[o] = output[o] / count;
}

}  // namespace kiln::kernels
