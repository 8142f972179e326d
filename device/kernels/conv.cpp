#include "kiln/kernels/conv.h"
#include "kiln/kernels/reference.h"

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

namespace {

// Sums the filter over every output pixel's valid taps with
// dot(x, w, n, acc) and hands (output index, channel, acc) to finish.
// Summation runs fy, fx, ic as TFLite's reference does (float depends on it).
template <typename X, typename W, typename Acc, typename Dot, typename Finish>
bool conv_walk(const ConvGeometry& g, int32_t filter_in_ch, const X* input, const W* filter, Acc zero,
               const Poll& poll, Dot&& dot, Finish&& finish) {
  const detail::TapStrides strides(g);
  const int32_t groups = g.in_ch / filter_in_ch;
  const int32_t per_group = g.out_ch / groups;
  const int32_t filter_row = g.filter_w * filter_in_ch;
  const int32_t filter_per_oc = g.filter_h * filter_row;
  // Adjacent x taps of an ungrouped conv form one contiguous span per row.
  const bool row_is_span = g.dilation_w == 1 && filter_in_ch == g.in_ch;
  return detail::for_each_pixel(g, poll, [&](int32_t pixel, const detail::PixelWindow& win) {
    int32_t oc = 0;
    for (int32_t group = 0; group < groups; ++group) {
      const X* x_group = input + win.input_offset + group * filter_in_ch;
      for (int32_t k = 0; k < per_group; ++k, ++oc) {
        Acc acc = zero;
        const X* x_row = x_group;
        const W* w_row = filter + oc * filter_per_oc + win.first_tap * filter_in_ch;
        for (int32_t r = 0; r < win.rows; ++r, x_row += strides.input_row, w_row += filter_row) {
          if (row_is_span) {
            acc = dot(x_row, w_row, win.cols * filter_in_ch, acc);
            continue;
          }
          const X* x_tap = x_row;
          const W* w_tap = w_row;
          for (int32_t c = 0; c < win.cols; ++c, x_tap += strides.input_col, w_tap += filter_in_ch) {
            acc = dot(x_tap, w_tap, filter_in_ch, acc);
          }
        }
        finish(pixel * g.out_ch + oc, oc, acc);
      }
    }
  });
}

}  // namespace

bool conv_int8_reference(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
               const int8_t* input, const int8_t* filter, const int32_t* bias, int8_t* output,
               const Poll& poll) {
  return conv_walk(
      g, filter_in_ch, input, filter, uint32_t{0}, poll,
      [&](const int8_t* x, const int8_t* w, int32_t n, uint32_t acc) {
        return acc + detail::dot_int8(x, w, n, q.input_offset);
      },
      [&](int32_t o, int32_t oc, uint32_t acc) {
        int32_t total = static_cast<int32_t>(acc);
        if (bias != nullptr) total = wrapping_add(total, bias[oc]);
        output[o] = static_cast<int8_t>(requantize_int8(total, oc, q));
      });
}

bool conv_16x8(const ConvGeometry& g, int32_t filter_in_ch, const RequantParams& q,
               const int16_t* input, const int8_t* filter, const int64_t* bias, int16_t* output,
               const Poll& poll) {
  return conv_walk(
      g, filter_in_ch, input, filter, int64_t{0}, poll,
      [](const int16_t* x, const int8_t* w, int32_t n, int64_t acc) { return acc + detail::dot_16x8(x, w, n); },
      [&](int32_t o, int32_t oc, int64_t acc) {
        if (bias != nullptr) acc += bias[oc];
        output[o] = static_cast<int16_t>(requantize_16x8(acc, oc, q));
      });
}

bool conv_float(const ConvGeometry& g, int32_t filter_in_ch, FloatActivation act,
                const float* input, const float* filter, const float* bias, float* output,
                const Poll& poll) {
  return conv_walk(
      g, filter_in_ch, input, filter, 0.0f, poll,
      [](const float* x, const float* w, int32_t n, float acc) { return detail::dot_float(x, w, n, acc); },
      [&](int32_t o, int32_t oc, float total) {
        const float bias_value = bias != nullptr ? bias[oc] : 0.0f;
        output[o] = clamp_float(total + bias_value, act.min, act.max);
      });
}

}  // namespace kiln::kernels
