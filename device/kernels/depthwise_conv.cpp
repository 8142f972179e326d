#include "kiln/kernels/depthwise_conv.h"
#include "kiln/kernels/reference.h"

#include "conv_window.h"

namespace kiln::kernels {

// In all three kernels output channel oc reads input channel oc / multiplier
// and filter column oc; taps step by in_ch in the input and by out_ch in the
// filter.

namespace {

// Walks every (pixel, output channel); mac(acc, x, w) accumulates one valid
// tap, fy then fx as TFLite's reference does; finish writes the output.
template <typename X, typename W, typename Acc, typename Mac, typename Finish>
bool depthwise_walk(const ConvGeometry& g, int32_t depth_multiplier, const X* input, const W* filter,
                    Acc zero, const Poll& poll, Mac&& mac, Finish&& finish) {
  const detail::TapStrides strides(g);
  const int32_t filter_row = g.filter_w * g.out_ch;
  return detail::for_each_pixel(g, poll, [&](int32_t pixel, const detail::PixelWindow& win) {
    int32_t oc = 0;
    for (int32_t ic = 0; ic < g.in_ch; ++ic) {
      for (int32_t m = 0; m < depth_multiplier; ++m, ++oc) {
        Acc acc = zero;
        const X* x_row = input + win.input_offset + ic;
        const W* w_row = filter + win.first_tap * g.out_ch + oc;
        for (int32_t r = 0; r < win.rows; ++r, x_row += strides.input_row, w_row += filter_row) {
          const X* x_tap = x_row;
          const W* w_tap = w_row;
          for (int32_t c = 0; c < win.cols; ++c, x_tap += strides.input_col, w_tap += g.out_ch) {
            acc = mac(acc, *x_tap, *w_tap);
          }
        }
        finish(pixel * g.out_ch + oc, oc, acc);
      }
    }
  });
}

}  // namespace

bool depthwise_conv_int8_reference(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int8_t* input, const int8_t* filter, const int32_t* bias,
                         int8_t* output, const Poll& poll) {
  return depthwise_walk(
      g, depth_multiplier, input, filter, uint32_t{0}, poll,
      [&](uint32_t acc, int32_t x, int32_t w) { return acc + static_cast<uint32_t>(w * (x + q.input_offset)); },
      [&](int32_t o, int32_t oc, uint32_t acc) {
        int32_t total = static_cast<int32_t>(acc);
        if (bias != nullptr) total = wrapping_add(total, bias[oc]);
        output[o] = static_cast<int8_t>(requantize_int8(total, oc, q));
      });
}

bool depthwise_conv_16x8(const ConvGeometry& g, int32_t depth_multiplier, const RequantParams& q,
                         const int16_t* input, const int8_t* filter, const int64_t* bias,
                         int16_t* output, const Poll& poll) {
  return depthwise_walk(
      g, depth_multiplier, input, filter, int64_t{0}, poll,
      [](int64_t acc, int32_t x, int32_t w) { return acc + w * x; },  // |w·x| < 2^22
      [&](int32_t o, int32_t oc, int64_t acc) {
        if (bias != nullptr) acc += bias[oc];
        output[o] = static_cast<int16_t>(requantize_16x8(acc, oc, q));
      });
}

bool depthwise_conv_float(const ConvGeometry& g, int32_t depth_multiplier, FloatActivation act,
                          const float* input, const float* filter, const float* bias, float* output,
                          const Poll& poll) {
  return depthwise_walk(
      g, depth_multiplier, input, filter, 0.0f, poll, [](float acc, float x, float w) { return acc + x * w; },
      [&](int32_t o, int32_t oc, float total) {
        const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
        output[o] = clamp_float(total + bias_value, act.min, act.max);
      });
}

}  // namespace kiln::kernels
