#include "kiln/kernels/pooling.h"

#include <float.h>

#include "kiln/kernels/elementwise.h"
#include "kiln/kernels/quant.h"

namespace kiln::kernels {

namespace {

// The taps of one output pixel's window that fall inside the input.
struct Window {
  int32_t y0, x0;  // window origin in the input (may be negative)
  int32_t fy_begin, fy_end, fx_begin, fx_end;
};

int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }
int32_t min_i32(int32_t a, int32_t b) { return a < b ? a : b; }

Window window_at(const PoolGeometry& g, int32_t oy, int32_t ox) {
  Window w;
  w.y0 = oy * g.stride_h - g.pad_h;
  w.x0 = ox * g.stride_w - g.pad_w;
  w.fy_begin = max_i32(0, -w.y0);
  w.fy_end = min_i32(g.filter_h, g.in_h - w.y0);
  w.fx_begin = max_i32(0, -w.x0);
  w.fx_end = min_i32(g.filter_w, g.in_w - w.x0);
  return w;
}

// Calls reduce(batch_input, window, channel) for every output element in
// NHWC order and stores its result.
template <typename T, typename Reduce>
void pool(const PoolGeometry& g, const T* input, T* output, Reduce reduce) {
  const int32_t batch_stride = g.in_h * g.in_w * g.depth;
  for (int32_t b = 0; b < g.batches; ++b) {
    const T* in = input + b * batch_stride;
    for (int32_t oy = 0; oy < g.out_h; ++oy) {
      for (int32_t ox = 0; ox < g.out_w; ++ox) {
        const Window w = window_at(g, oy, ox);
        for (int32_t c = 0; c < g.depth; ++c) *output++ = reduce(in, w, c);
      }
    }
  }
}

// Visits the window's in-image taps of channel c in TFLite's order (y, then x).
template <typename T, typename Visit>
void for_each_tap(const PoolGeometry& g, const T* in, const Window& w, int32_t c, Visit visit) {
  for (int32_t fy = w.fy_begin; fy < w.fy_end; ++fy) {
    const int32_t row = (w.y0 + fy) * g.in_w;
    for (int32_t fx = w.fx_begin; fx < w.fx_end; ++fx) visit(in[(row + w.x0 + fx) * g.depth + c]);
  }
}

template <typename T>
void average_pool_integer(const PoolGeometry& g, int32_t act_min, int32_t act_max, const T* input,
                          T* output) {
  pool(g, input, output, [&](const T* in, const Window& w, int32_t c) {
    int32_t acc = 0;
    int32_t count = 0;
    for_each_tap(g, in, w, c, [&](T v) {
      acc += v;
      ++count;
    });
    // An empty window cannot occur for geometry TFLite accepts; keep it defined.
    if (count == 0) return static_cast<T>(clamp_i32(0, act_min, act_max));
    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
    return static_cast<T>(clamp_i32(acc, act_min, act_max));
  });
}

template <typename T>
void max_pool_integer(const PoolGeometry& g, int32_t act_min, int32_t act_max, const T* input,
                      T* output, int32_t lowest) {
  pool(g, input, output, [&](const T* in, const Window& w, int32_t c) {
    int32_t m = lowest;
    for_each_tap(g, in, w, c, [&](T v) { m = v > m ? v : m; });
    return static_cast<T>(clamp_i32(m, act_min, act_max));
  });
}

}  // namespace

void average_pool_int8(const PoolGeometry& g, int32_t act_min, int32_t act_max, const int8_t* input,
                       int8_t* output) {
  average_pool_integer(g, act_min, act_max, input, output);
}

void average_pool_int16(const PoolGeometry& g, int32_t act_min, int32_t act_max,
                        const int16_t* input, int16_t* output) {
  average_pool_integer(g, act_min, act_max, input, output);
}

void average_pool_float(const PoolGeometry& g, float act_min, float act_max, const float* input,
                        float* output) {
  pool(g, input, output, [&](const float* in, const Window& w, int32_t c) {
    float total = 0.0f;
    int32_t count = 0;
    for_each_tap(g, in, w, c, [&](float v) {
      total += v;
      ++count;
    });
    if (count == 0) return clamp_float(0.0f, act_min, act_max);
    return clamp_float(total / static_cast<float>(count), act_min, act_max);
  });
}

void max_pool_int8(const PoolGeometry& g, int32_t act_min, int32_t act_max, const int8_t* input,
                   int8_t* output) {
  max_pool_integer(g, act_min, act_max, input, output, INT8_MIN);
}

void max_pool_int16(const PoolGeometry& g, int32_t act_min, int32_t act_max, const int16_t* input,
                    int16_t* output) {
  max_pool_integer(g, act_min, act_max, input, output, INT16_MIN);
}

void max_pool_float(const PoolGeometry& g, float act_min, float act_max, const float* input,
                    float* output) {
  pool(g, input, output, [&](const float* in, const Window& w, int32_t c) {
    float m = -FLT_MAX;
    // std::max(m, v) keeps m unless m < v: a NaN tap is skipped.
    for_each_tap(g, in, w, c, [&](float v) { m = m < v ? v : m; });
    return clamp_float(m, act_min, act_max);
  });
}

}  // namespace kiln::kernels
