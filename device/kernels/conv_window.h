// The output loop nest shared by CONV_2D and DEPTHWISE_CONV_2D (private to
// kernels/): which input window each output pixel reads, and which of its
// taps lie inside the image.
#pragma once
#include <stdint.h>

#include "kiln/kernels/conv.h"

namespace kiln::kernels::detail {

// Where one output pixel's window starts in the input and which taps of it
// land inside the image (TFLite skips the others: zero padding).
struct Window {
  int32_t y0, x0;
  TapRange ty, tx;
};

inline Window window_at(const ConvGeometry& g, int32_t out_y, int32_t out_x) {
  Window w;
  w.y0 = out_y * g.stride_h - g.pad_h;
  w.x0 = out_x * g.stride_w - g.pad_w;
  w.ty = valid_taps(w.y0, g.dilation_h, g.filter_h, g.in_h);
  w.tx = valid_taps(w.x0, g.dilation_w, g.filter_w, g.in_w);
  return w;
}

// Calls body(out_index, window, batch_input_offset, out_channel) for every
// output element, in NHWC order.
template <typename Body>
void for_each_output(const ConvGeometry& g, Body&& body) {
  const int32_t in_per_batch = g.in_h * g.in_w * g.in_ch;
  int32_t out_index = 0;
  for (int32_t b = 0; b < g.batches; ++b) {
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const Window win = window_at(g, oy, ox);
        for (int32_t oc = 0; oc < g.out_ch; ++oc) body(out_index++, win, b * in_per_batch, oc);
      }
    }
  }
}

}  // namespace kiln::kernels::detail
