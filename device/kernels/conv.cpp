#include "kiln/kernels/conv.h"

#include "conv_window.h"
#include "dot_product.h"

namespace kiln::kernels {

namespace {
int32_t ceil_div(int32_t a, int32_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }
}  // namespace

TapRange valid_taps(int32_t origin, int32_t dilation, int32_t filter_size, int32_t size) {
  TapRange r;
  r.begin = ceil_div(-origin, dilation);
  r.end = ceil_div(size - origin, dilation);
  if (r.end > filter_size) r.end = filter_size;
  if (r.begin > r.end) r.begin = r.end;
  return r;
}

void conv_int8(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
               const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output) {
  const int32_t per_group = g.out_ch / (g.in_ch / filter_in_ch);
  detail::for_each_output(g, [&](int32_t o, const detail::Window& win, int32_t base, int32_t oc) {
    const int8_t* in_group = input + base + (oc / per_group) * filter_in_ch;
    uint32_t acc = 0;
    for (int32_t fy = win.ty.begin; fy < win.ty.end; ++fy) {
      const int32_t iy = win.y0 + fy * g.dilation_h;
      for (int32_t fx = win.tx.begin; fx < win.tx.end; ++fx) {
        const int32_t ix = win.x0 + fx * g.dilation_w;
        const int8_t* x = in_group + (iy * g.in_w + ix) * g.in_ch;
        const int8_t* w = filter + ((oc * g.filter_h + fy) * g.filter_w + fx) * filter_in_ch;
        acc += detail::dot_int8(x, w, filter_in_ch, q.input_offset);
      }
    }
    int32_t total = static_cast<int32_t>(acc);
    if (bias != nullptr) total = wrapping_add(total, bias[oc]);
    output[o] = static_cast<int8_t>(requantize_int8(total, oc, q));
  });
}

void conv_16x8(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
               const int16_t* input, const int8_t* filter, const int64_t* bias, int16_t* output) {
  const int32_t per_group = g.out_ch / (g.in_ch / filter_in_ch);
  detail::for_each_output(g, [&](int32_t o, const detail::Window& win, int32_t base, int32_t oc) {
    const int16_t* in_group = input + base + (oc / per_group) * filter_in_ch;
    int64_t acc = 0;
    for (int32_t fy = win.ty.begin; fy < win.ty.end; ++fy) {
      const int32_t iy = win.y0 + fy * g.dilation_h;
      for (int32_t fx = win.tx.begin; fx < win.tx.end; ++fx) {
        const int32_t ix = win.x0 + fx * g.dilation_w;
        const int16_t* x = in_group + (iy * g.in_w + ix) * g.in_ch;
        const int8_t* w = filter + ((oc * g.filter_h + fy) * g.filter_w + fx) * filter_in_ch;
        acc += detail::dot_16x8(x, w, filter_in_ch);
      }
    }
    if (bias != nullptr) acc += bias[oc];
    output[o] = static_cast<int16_t>(requantize_16x8(acc, oc, q));
  });
}

void conv_float(const ConvGeometry& g, int32_t filter_in_ch, FloatActivation act,
                const float* input, const float* filter, const float* bias, float* output) {
  const int32_t per_group = g.out_ch / (g.in_ch / filter_in_ch);
  detail::for_each_output(g, [&](int32_t o, const detail::Window& win, int32_t base, int32_t oc) {
    const float* in_group = input + base + (oc / per_group) * filter_in_ch;
    float total = 0.0f;
    for (int32_t fy = win.ty.begin; fy < win.ty.end; ++fy) {
      const int32_t iy = win.y0 + fy * g.dilation_h;
      for (int32_t fx = win.tx.begin; fx < win.tx.end; ++fx) {
        const int32_t ix = win.x0 + fx * g.dilation_w;
        const float* x = in_group + (iy * g.in_w + ix) * g.in_ch;
        const float* w = filter + ((oc * g.filter_h + fy) * g.filter_w + fx) * filter_in_ch;
        for (int32_t ic = 0; ic < filter_in_ch; ++ic) total += x[ic] * w[ic];
      }
    }
    const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
    output[o] = clamp_float(total + bias_value, act.min, act.max);
  });
}

}  // namespace kiln::kernels
