// The output-pixel walk shared by CONV_2D and DEPTHWISE_CONV_2D (private to
// kernels/). The window of valid taps is computed once per output pixel;
// kernels then step through it with pointer increments, so the inner loops
// do no index arithmetic.
#pragma once
#include <stdint.h>

#include "kiln/kernels/conv.h"

namespace kiln::kernels::detail {

// Valid taps of one output pixel, already clipped to the input.
struct PixelWindow {
  int32_t input_offset;  // element offset of the first valid tap (batch included)
  int32_t first_tap;     // fy_begin * filter_w + fx_begin
  int32_t rows;          // valid taps along y
  int32_t cols;          // valid taps along x
};

// Element strides of the walk, fixed per call.
struct TapStrides {
  int32_t input_row;  // next valid tap along y (dilation_h input rows)
  int32_t input_col;  // next valid tap along x (dilation_w input pixels)
  explicit TapStrides(const ConvGeometry& g)
      : input_row(g.dilation_h * g.in_w * g.in_ch), input_col(g.dilation_w * g.in_ch) {}
};

// Calls body(pixel, window) for every output pixel in NHWC order; output
// element (pixel, c) is at pixel * out_ch + c. Polls before each output row;
// returns false if told to stop.
template <typename Body>
bool for_each_pixel(const ConvGeometry& g, const Poll& poll, Body&& body) {
  const int32_t in_per_batch = g.in_h * g.in_w * g.in_ch;
  int32_t pixel = 0;
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      if (poll.should_stop()) return false;
      const int32_t y0 = oy * g.stride_h - g.pad_h;
      const TapRange ty = valid_taps(y0, g.dilation_h, g.filter_h, g.in_h);
      for (int32_t ox = 0; ox < g.out_w; ++ox, ++pixel) {
        const int32_t x0 = ox * g.stride_w - g.pad_w;
        const TapRange tx = valid_taps(x0, g.dilation_w, g.filter_w, g.in_w);
        PixelWindow w{0, ty.begin * g.filter_w + tx.begin, ty.end - ty.begin, tx.end - tx.begin};
        if (w.rows > 0 && w.cols > 0) {
          const int32_t iy = y0 + ty.begin * g.dilation_h;
          const int32_t ix = x0 + tx.begin * g.dilation_w;
          w.input_offset = b * in_per_batch + (iy * g.in_w + ix) * g.in_ch;
        } else {
          w.rows = 0;  // no valid tap: the accumulator is the bias alone
        }
        body(pixel, w);
      }
    }
  }
  return true;
}

}  // namespace kiln::kernels::detail
