#include "kiln/kernels/elementwise.h"

#include "kiln/kernels/quant.h"

namespace kiln::kernels {

namespace {

// multiply_by_quantized_multiplier shifts a 32-bit value left by `shift`.
constexpr int32_t kMaxLeftShift = 31;

// Two nested loops (inner extent `inner_extent`, strides `inner` and `outer`)
// walk one input contiguously, or both repeat it, so they can be one loop.
bool continues(int32_t inner, int32_t inner_extent, int32_t outer) {
  if (inner == 0) return outer == 0;
  return outer == inner * inner_extent;
}

// Calls op(a[i1], b[i2]) for every output element in row-major order.
template <typename T, typename Op>
void run_broadcast(const BroadcastPlan& p, const T* a, const T* b, T* out, Op op) {
  if (p.elements == 0 || p.rank == 0) return;
  const uint32_t last = p.rank - 1;
  const int32_t n = p.extent[last];
  const int32_t s1 = p.stride1[last];
  const int32_t s2 = p.stride2[last];
  int32_t idx[kMaxBroadcastRank] = {};
  int32_t off1 = 0;
  int32_t off2 = 0;
  for (;;) {
    const T* x = a + off1;
    const T* y = b + off2;
    for (int32_t i = 0; i < n; ++i) *out++ = op(x[i * s1], y[i * s2]);
    int32_t d = static_cast<int32_t>(last) - 1;
    for (; d >= 0; --d) {
      off1 += p.stride1[d];
      off2 += p.stride2[d];
      if (++idx[d] < p.extent[d]) break;
      off1 -= p.stride1[d] * p.extent[d];
      off2 -= p.stride2[d] * p.extent[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

int32_t rescale_input(int32_t value, int32_t offset, int32_t left_shift, int32_t multiplier,
                      int32_t shift) {
  // |value + offset| < 2^16 and left_shift <= 15 (int16) or < 2^9 and 20
  // (int8): the shifted value stays below 2^31.
  const int32_t shifted = (value + offset) * (1 << left_shift);
  return multiply_by_quantized_multiplier_smaller_than_one(shifted, multiplier, shift);
}

template <typename T>
struct AddOp {
  const AddSubParams& p;
  T operator()(T a, T b) const {
    const int32_t x =
        rescale_input(a, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
    const int32_t y =
        rescale_input(b, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
    const int32_t raw = multiply_by_quantized_multiplier_smaller_than_one(
                            x + y, p.output_multiplier, p.output_shift) +
                        p.output_offset;
    return static_cast<T>(clamp_i32(raw, p.act_min, p.act_max));
  }
};

template <typename T>
struct SubOp {
  const AddSubParams& p;
  T operator()(T a, T b) const {
    const int32_t x =
        rescale_input(a, p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift);
    const int32_t y =
        rescale_input(b, p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift);
    const int32_t raw = multiply_by_quantized_multiplier_smaller_than_one(
                            x - y, p.output_multiplier, p.output_shift) +
                        p.output_offset;
    return static_cast<T>(clamp_i32(raw, p.act_min, p.act_max));
  }
};

template <typename T>
struct MulOp {
  const MulParams& p;
  T operator()(T a, T b) const {
    // int8 factors lie in ±255 and int16 ones (zero point 0) in ±2^15: the
    // product fits in int32.
    const int32_t product = (p.input1_offset + a) * (p.input2_offset + b);
    const int32_t raw =
        multiply_by_quantized_multiplier(product, p.multiplier, p.shift) + p.output_offset;
    return static_cast<T>(clamp_i32(raw, p.act_min, p.act_max));
  }
};

// TFLite QuantizeMultiplierSmallerThanOneExp: only defined for (0, 1).
bool smaller_than_one(double real, int32_t* multiplier, int32_t* shift) {
  if (!(real > 0.0) || !(real < 1.0)) return false;
  const QuantizedMultiplier q = quantize_multiplier(real);
  if (q.shift > 0) return false;
  *multiplier = q.multiplier;
  *shift = q.shift;
  return true;
}

bool set_add_sub_multipliers(double real1, double real2, double real_out, AddSubParams* p) {
  return smaller_than_one(real1, &p->input1_multiplier, &p->input1_shift) &&
         smaller_than_one(real2, &p->input2_multiplier, &p->input2_shift) &&
         smaller_than_one(real_out, &p->output_multiplier, &p->output_shift);
}

void set_offsets(int32_t zp1, int32_t zp2, int32_t out_zp, int32_t left_shift, AddSubParams* p) {
  p->input1_offset = -zp1;
  p->input2_offset = -zp2;
  p->output_offset = out_zp;
  p->left_shift = left_shift;
}

}  // namespace

bool make_broadcast_plan(const int32_t* dims1, uint32_t rank1, const int32_t* dims2, uint32_t rank2,
                         const int32_t* out_dims, uint32_t out_rank, BroadcastPlan* plan) {
  if (out_rank > kMaxBroadcastRank || rank1 > out_rank || rank2 > out_rank) return false;
  // Loops collected innermost first, then reversed.
  int32_t ext[kMaxBroadcastRank], s1[kMaxBroadcastRank], s2[kMaxBroadcastRank];
  uint32_t n = 0;
  int32_t acc1 = 1, acc2 = 1;
  uint64_t total = 1;
  for (uint32_t k = 0; k < out_rank; ++k) {
    const int32_t o = out_dims[out_rank - 1 - k];
    const int32_t d1 = k < rank1 ? dims1[rank1 - 1 - k] : 1;
    const int32_t d2 = k < rank2 ? dims2[rank2 - 1 - k] : 1;
    if (o < 0 || (d1 != o && d1 != 1) || (d2 != o && d2 != 1)) return false;
    total *= static_cast<uint64_t>(o);
    if (total > INT32_MAX) return false;
    if (o == 1) continue;  // no loop; both inputs have 1 here too
    const int32_t st1 = d1 == 1 ? 0 : acc1;
    const int32_t st2 = d2 == 1 ? 0 : acc2;
    if (n > 0 && continues(s1[n - 1], ext[n - 1], st1) && continues(s2[n - 1], ext[n - 1], st2)) {
      ext[n - 1] *= o;
    } else {
      ext[n] = o;
      s1[n] = st1;
      s2[n] = st2;
      ++n;
    }
    acc1 *= d1;
    acc2 *= d2;
  }
  BroadcastPlan p;
  p.elements = static_cast<uint32_t>(total);
  if (n == 0) {  // a single element
    p.rank = 1;
    p.extent[0] = 1;
  } else {
    p.rank = n;
    for (uint32_t i = 0; i < n; ++i) {
      p.extent[i] = ext[n - 1 - i];
      p.stride1[i] = s1[n - 1 - i];
      p.stride2[i] = s2[n - 1 - i];
    }
  }
  *plan = p;
  return true;
}

bool make_add_sub_params(float scale1, int32_t zp1, float scale2, int32_t zp2, float out_scale,
                         int32_t out_zp, int32_t left_shift, AddSubParams* p) {
  if (!(scale1 > 0.0f) || !(scale2 > 0.0f) || !(out_scale > 0.0f)) return false;
  set_offsets(zp1, zp2, out_zp, left_shift, p);
  const double twice_max = 2.0 * static_cast<double>(scale1 < scale2 ? scale2 : scale1);
  const double real1 = static_cast<double>(scale1) / twice_max;
  const double real2 = static_cast<double>(scale2) / twice_max;
  const double real_out =
      twice_max / (static_cast<double>(1 << left_shift) * static_cast<double>(out_scale));
  return set_add_sub_multipliers(real1, real2, real_out, p);
}

bool make_sub_params_float_ratios(float scale1, int32_t zp1, float scale2, int32_t zp2,
                                  float out_scale, int32_t out_zp, int32_t left_shift,
                                  AddSubParams* p) {
  if (!(scale1 > 0.0f) || !(scale2 > 0.0f) || !(out_scale > 0.0f)) return false;
  set_offsets(zp1, zp2, out_zp, left_shift, p);
  // TFLM's sub_common.cc forms these ratios in float.
  const float twice_max = 2.0f * (scale1 < scale2 ? scale2 : scale1);
  const double real1 = static_cast<double>(scale1 / twice_max);
  const double real2 = static_cast<double>(scale2 / twice_max);
  const float shifted_out = static_cast<float>(1 << left_shift) * out_scale;
  const double real_out = static_cast<double>(twice_max / shifted_out);
  return set_add_sub_multipliers(real1, real2, real_out, p);
}

bool make_mul_params(float scale1, int32_t zp1, float scale2, int32_t zp2, float out_scale,
                     int32_t out_zp, MulParams* p) {
  p->input1_offset = -zp1;
  p->input2_offset = -zp2;
  p->output_offset = out_zp;
  const double real =
      static_cast<double>(scale1) * static_cast<double>(scale2) / static_cast<double>(out_scale);
  const QuantizedMultiplier q = quantize_multiplier(real);
  p->multiplier = q.multiplier;
  p->shift = q.shift;
  return q.shift <= kMaxLeftShift;
}

void add_int8(const BroadcastPlan& plan, const AddSubParams& p, const int8_t* a, const int8_t* b,
              int8_t* out) {
  run_broadcast(plan, a, b, out, AddOp<int8_t>{p});
}

void add_int16(const BroadcastPlan& plan, const AddSubParams& p, const int16_t* a, const int16_t* b,
               int16_t* out) {
  run_broadcast(plan, a, b, out, AddOp<int16_t>{p});
}

void add_float(const BroadcastPlan& plan, FloatRange act, const float* a, const float* b,
               float* out) {
  run_broadcast(plan, a, b, out,
                [act](float x, float y) { return clamp_float(x + y, act.min, act.max); });
}

void sub_int8(const BroadcastPlan& plan, const AddSubParams& p, const int8_t* a, const int8_t* b,
              int8_t* out) {
  run_broadcast(plan, a, b, out, SubOp<int8_t>{p});
}

void sub_int16(const BroadcastPlan& plan, const AddSubParams& p, const int16_t* a, const int16_t* b,
               int16_t* out) {
  run_broadcast(plan, a, b, out, SubOp<int16_t>{p});
}

void sub_float(const BroadcastPlan& plan, FloatRange act, const float* a, const float* b,
               float* out) {
  run_broadcast(plan, a, b, out,
                [act](float x, float y) { return clamp_float(x - y, act.min, act.max); });
}

void mul_int8(const BroadcastPlan& plan, const MulParams& p, const int8_t* a, const int8_t* b,
              int8_t* out) {
  run_broadcast(plan, a, b, out, MulOp<int8_t>{p});
}

void mul_int16(const BroadcastPlan& plan, const MulParams& p, const int16_t* a, const int16_t* b,
               int16_t* out) {
  run_broadcast(plan, a, b, out, MulOp<int16_t>{p});
}

void mul_float(const BroadcastPlan& plan, FloatRange act, const float* a, const float* b,
               float* out) {
  run_broadcast(plan, a, b, out,
                [act](float x, float y) { return clamp_float(x * y, act.min, act.max); });
}

}  // namespace kiln::kernels
