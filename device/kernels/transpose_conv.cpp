#include "kiln/kernels/transpose_conv.h"

#include <string.h>

#include "dot_product.h"

namespace kiln::kernels {

namespace {

// Calls body(x, acc_row, w_tap) for every (input pixel, in-bounds filter tap):
// x is the pixel's in_ch inputs, acc_row the out_ch accumulators it reaches
// through that tap, w_tap the filter at that tap (row oc at oc·fh·fw·in_ch).
// Per output element the inputs arrive in (in_y, in_x) order, which keeps the
// float kernel's rounding identical to TFLite's.
template <typename In, typename W, typename Acc, typename Body>
void for_each_tap(const ConvGeometry& g, const In* input, const W* filter, Acc* acc, Body&& body) {
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t iy = 0; iy < g.in_h; ++iy) {
      const int32_t oy0 = iy * g.stride_h - g.pad_h;
      const TapRange ty = valid_taps(oy0, 1, g.filter_h, g.out_h);
      for (int32_t ix = 0; ix < g.in_w; ++ix) {
        const int32_t ox0 = ix * g.stride_w - g.pad_w;
        const TapRange tx = valid_taps(ox0, 1, g.filter_w, g.out_w);
        const In* x = input + ((b * g.in_h + iy) * g.in_w + ix) * g.in_ch;
        for (int32_t fy = ty.begin; fy < ty.end; ++fy) {
          for (int32_t fx = tx.begin; fx < tx.end; ++fx) {
            Acc* row = acc + ((b * g.out_h + oy0 + fy) * g.out_w + ox0 + fx) * g.out_ch;
            body(x, row, filter + (fy * g.filter_w + fx) * g.in_ch);
          }
        }
      }
    }
  }
}

// Distance between consecutive output channels' rows in the filter.
int32_t filter_channel_stride(const ConvGeometry& g) { return g.filter_h * g.filter_w * g.in_ch; }

int32_t output_elements(const ConvGeometry& g) { return g.batches * g.out_h * g.out_w * g.out_ch; }

}  // namespace

void transpose_conv_int8(const ConvGeometry& g, const RequantParams& q, const int8_t* input,
                         const int8_t* filter, const int32_t* bias, int32_t* acc, int8_t* output) {
  const int32_t n = output_elements(g);
  const int32_t w_stride = filter_channel_stride(g);
  if (n <= 0) return;
  memset(acc, 0, static_cast<size_t>(n) * sizeof(int32_t));
  for_each_tap(g, input, filter, acc, [&](const int8_t* x, int32_t* row, const int8_t* w_tap) {
    for (int32_t oc = 0; oc < g.out_ch; ++oc) {
      const uint32_t sum = detail::dot_int8(x, w_tap + oc * w_stride, g.in_ch, q.input_offset);
      row[oc] = wrapping_add(row[oc], static_cast<int32_t>(sum));
    }
  });
  for (int32_t i = 0; i < n; ++i) {
    const int32_t oc = i % g.out_ch;
    const int32_t total = bias != nullptr ? wrapping_add(acc[i], bias[oc]) : acc[i];
    output[i] = static_cast<int8_t>(requantize_int8(total, oc, q));
  }
}

void transpose_conv_16x8(const ConvGeometry& g, const RequantParams& q, const int16_t* input,
                         const int8_t* filter, const int64_t* bias, int64_t* acc, int16_t* output) {
  const int32_t n = output_elements(g);
  const int32_t w_stride = filter_channel_stride(g);
  if (n <= 0) return;
  memset(acc, 0, static_cast<size_t>(n) * sizeof(int64_t));
  for_each_tap(g, input, filter, acc, [&](const int16_t* x, int64_t* row, const int8_t* w_tap) {
    for (int32_t oc = 0; oc < g.out_ch; ++oc) row[oc] += detail::dot_16x8(x, w_tap + oc * w_stride, g.in_ch);
  });
  for (int32_t i = 0; i < n; ++i) {
    const int32_t oc = i % g.out_ch;
    const int64_t total = bias != nullptr ? acc[i] + bias[oc] : acc[i];
    output[i] = static_cast<int16_t>(requantize_16x8(total, oc, q));
  }
}

void transpose_conv_float(const ConvGeometry& g, FloatActivation act, const float* input,
                          const float* filter, const float* bias, float* output) {
  const int32_t n = output_elements(g);
  const int32_t w_stride = filter_channel_stride(g);
  for (int32_t i = 0; i < n; ++i) output[i] = 0.0f;
  for_each_tap(g, input, filter, output, [&](const float* x, float* row, const float* w_tap) {
    for (int32_t oc = 0; oc < g.out_ch; ++oc) {
      const float* w = w_tap + oc * w_stride;
      float sum = row[oc];
      for (int32_t ic = 0; ic < g.in_ch; ++ic) sum += x[ic] * w[ic];
      row[oc] = sum;
    }
  });
  for (int32_t i = 0; i < n; ++i) {
    float v = output[i];
    if (bias != nullptr) v += bias[i % g.out_ch];
    output[i] = clamp_float(v, act.min, act.max);
  }
}

}  // namespace kiln::kernels
