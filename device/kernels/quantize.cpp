#include "kiln/kernels/quantize.h"

#include <math.h>

#include "kiln/kernels/quant.h"

namespace kiln::kernels {

namespace {

template <typename T>
void quantize_float(const float* input, uint32_t n, float scale, int32_t zero_point, int32_t qmin,
                    int32_t qmax, T* output) {
  // Saturate in float before converting: identical to TFLite for every
  // value it converts in range, and defined for the rest.
  const float lo = static_cast<float>(qmin - zero_point);
  const float hi = static_cast<float>(qmax - zero_point);
  for (uint32_t i = 0; i < n; ++i) {
    const float r = roundf(input[i] / scale);
    int32_t q;
    if (!(r >= lo)) {
      q = qmin;  // also NaN
    } else if (r > hi) {
      q = qmax;
    } else {
      q = static_cast<int32_t>(r) + zero_point;
    }
    output[i] = static_cast<T>(q);
  }
}

template <typename In, typename Out>
void requantize_impl(const RequantizeParams& p, const In* input, uint32_t n, Out* output,
                     int32_t qmin, int32_t qmax) {
  for (uint32_t i = 0; i < n; ++i) {
    // int32 inputs may wrap here exactly as TFLite's int32 subtraction does.
    const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(static_cast<int32_t>(input[i])) -
                                           static_cast<uint32_t>(p.input_zero_point));
    const int32_t v = multiply_by_quantized_multiplier(x, p.multiplier, p.shift);
    // Adding the zero point may leave int32 for int32 outputs: saturate in 64 bits.
    const int64_t w = static_cast<int64_t>(v) + p.output_zero_point;
    output[i] = static_cast<Out>(w < qmin ? qmin : (w > qmax ? qmax : w));
  }
}

template <typename T>
void dequantize_impl(const T* input, uint32_t n, float scale, int32_t zero_point, float* output) {
  for (uint32_t i = 0; i < n; ++i) {
    output[i] = scale * static_cast<float>(static_cast<int32_t>(input[i]) - zero_point);
  }
}

}  // namespace

void quantize_float_to_int8(const float* input, uint32_t n, float scale, int32_t zero_point,
                            int8_t* output) {
  quantize_float(input, n, scale, zero_point, INT8_MIN, INT8_MAX, output);
}

void quantize_float_to_int16(const float* input, uint32_t n, float scale, int32_t zero_point,
                             int16_t* output) {
  quantize_float(input, n, scale, zero_point, INT16_MIN, INT16_MAX, output);
}

bool make_requantize_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                            RequantizeParams* p) {
  const QuantizedMultiplier q =
      quantize_multiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale));
  p->input_zero_point = in_zp;
  p->output_zero_point = out_zp;
  p->multiplier = q.multiplier;
  p->shift = q.shift;
  return q.shift <= 31;  // the requantizer shifts a 32-bit value left by `shift`
}

void requantize(const RequantizeParams& p, const int8_t* input, uint32_t n, int8_t* output) {
  requantize_impl(p, input, n, output, INT8_MIN, INT8_MAX);
}
void requantize(const RequantizeParams& p, const int8_t* input, uint32_t n, int16_t* output) {
  requantize_impl(p, input, n, output, INT16_MIN, INT16_MAX);
}
void requantize(const RequantizeParams& p, const int8_t* input, uint32_t n, int32_t* output) {
  requantize_impl(p, input, n, output, INT32_MIN, INT32_MAX);
}
void requantize(const RequantizeParams& p, const int16_t* input, uint32_t n, int8_t* output) {
  requantize_impl(p, input, n, output, INT8_MIN, INT8_MAX);
}
void requantize(const RequantizeParams& p, const int16_t* input, uint32_t n, int16_t* output) {
  requantize_impl(p, input, n, output, INT16_MIN, INT16_MAX);
}
void requantize(const RequantizeParams& p, const int16_t* input, uint32_t n, int32_t* output) {
  requantize_impl(p, input, n, output, INT32_MIN, INT32_MAX);
}
void requantize(const RequantizeParams& p, const int32_t* input, uint32_t n, int8_t* output) {
  requantize_impl(p, input, n, output, INT8_MIN, INT8_MAX);
}
void requantize(const RequantizeParams& p, const int32_t* input, uint32_t n, int16_t* output) {
  requantize_impl(p, input, n, output, INT16_MIN, INT16_MAX);
}

void dequantize(const int8_t* input, uint32_t n, float scale, int32_t zero_point, float* output) {
  dequantize_impl(input, n, scale, zero_point, output);
}
void dequantize(const int16_t* input, uint32_t n, float scale, int32_t zero_point, float* output) {
  dequantize_impl(input, n, scale, zero_point, output);
}

}  // namespace kiln::kernels
