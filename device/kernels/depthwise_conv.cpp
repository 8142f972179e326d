#include "kiln/kernels/depthwise_conv.h"

#include "conv_window.h"

namespace kiln::kernels {

// In all three kernels output channel oc reads input channel oc / multiplier
// and filter column oc; taps step by in_ch in the input and by out_ch in the
// filter.

void depthwise_conv_int8(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int8_t* input, const int8_t* filter, const int32_t* bias,
                         int8_t* output) {
  detail::for_each_output(g, [&](int32_t o, const detail::Window& win, int32_t base, int32_t oc) {
    const int8_t* in_channel = input + base + oc / depth_multiplier;
    uint32_t acc = 0;
    for (int32_t fy = win.ty.begin; fy < win.ty.end; ++fy) {
      const int32_t iy = win.y0 + fy * g.dilation_h;
      for (int32_t fx = win.tx.begin; fx < win.tx.end; ++fx) {
        const int32_t ix = win.x0 + fx * g.dilation_w;
        const int32_t x = in_channel[(iy * g.in_w + ix) * g.in_ch];
        const int32_t w = filter[(fy * g.filter_w + fx) * g.out_ch + oc];
        acc += static_cast<uint32_t>(w * (x + q.input_offset));
      }
    }
    int32_t total = static_cast<int32_t>(acc);
    if (bias != nullptr) total = wrapping_add(total, bias[oc]);
    output[o] = static_cast<int8_t>(requantize_int8(total, oc, q));
  });
}

void depthwise_conv_16x8(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int16_t* input, const int8_t* filter, const int64_t* bias,
                         int16_t* output) {
  detail::for_each_output(g, [&](int32_t o, const detail::Window& win, int32_t base, int32_t oc) {
    const int16_t* in_channel = input + base + oc / depth_multiplier;
    int64_t acc = 0;
    for (int32_t fy = win.ty.begin; fy < win.ty.end; ++fy) {
      const int32_t iy = win.y0 + fy * g.dilation_h;
      for (int32_t fx = win.tx.begin; fx < win.tx.end; ++fx) {
        const int32_t ix = win.x0 + fx * g.dilation_w;
        const int32_t x = in_channel[(iy * g.in_w + ix) * g.in_ch];
        const int32_t w = filter[(fy * g.filter_w + fx) * g.out_ch + oc];
        acc += w * x;  // |w·x| < 2^22
      }
    }
    if (bias != nullptr) acc += bias[oc];
    output[o] = static_cast<int16_t>(requantize_16x8(acc, oc, q));
  });
}

void depthwise_conv_float(const ConvGeometry& g, int32_t depth_multiplier, FloatActivation act,
                          const float* input, const float* filter, const float* bias, float* output) {
  detail::for_each_output(g, [&](int32_t o, const detail::Window& win, int32_t base, int32_t oc) {
    const float* in_channel = input + base + oc / depth_multiplier;
    float total = 0.0f;
    for (int32_t fy = win.ty.begin; fy < win.ty.end; ++fy) {
      const int32_t iy = win.y0 + fy * g.dilation_h;
      for (int32_t fx = win.tx.begin; fx < win.tx.end; ++fx) {
        const int32_t ix = win.x0 + fx * g.dilation_w;
        total += in_channel[(iy * g.in_w + ix) * g.in_ch] * filter[(fy * g.filter_w + fx) * g.out_ch + oc];
      }
    }
    const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
    output[o] = clamp_float(total + bias_value, act.min, act.max);
  });
}

}  // namespace kiln::kernels
