// Straightforward NCHW reference operators in double precision, written
// from the ONNX operator definitions, to check imported models against.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace kiln::onnx::test {

struct T4 {
  int n = 1, c = 0, h = 0, w = 0;
  std::vector<double> v;
  T4() = default;
  T4(int n_, int c_, int h_, int w_) : n(n_), c(c_), h(h_), w(w_), v(static_cast<size_t>(n_ * c_ * h_ * w_)) {}
  double& at(int a, int ch, int y, int x) { return v[static_cast<size_t>(((a * c + ch) * h + y) * w + x)]; }
  double at(int a, int ch, int y, int x) const { return v[static_cast<size_t>(((a * c + ch) * h + y) * w + x)]; }
};

// Deterministic pseudo-random values in [lo, hi).
inline std::vector<float> ramp(size_t count, unsigned seed, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(count);
  unsigned s = seed * 2654435761u + 12345u;
  for (auto& x : v) {
    s = s * 1103515245u + 12345u;
    x = lo + (hi - lo) * static_cast<float>((s >> 8) & 0xffff) / 65536.0f;
  }
  return v;
}

inline T4 from_floats(const std::vector<float>& f, int n, int c, int h, int w) {
  T4 t(n, c, h, w);
  for (size_t i = 0; i < f.size(); ++i) t.v[i] = f[i];
  return t;
}

// NCHW → NHWC float data, the layout of the imported model's tensors.
inline std::vector<float> to_nhwc(const T4& t) {
  std::vector<float> out(t.v.size());
  for (int a = 0; a < t.n; ++a)
    for (int ch = 0; ch < t.c; ++ch)
      for (int y = 0; y < t.h; ++y)
        for (int x = 0; x < t.w; ++x)
          out[static_cast<size_t>(((a * t.h + y) * t.w + x) * t.c + ch)] = static_cast<float>(t.at(a, ch, y, x));
  return out;
}

// pads: top, left, bottom, right.
inline T4 conv(const T4& in, const std::vector<float>& w, const std::vector<float>& b, int out_c, int kh, int kw,
               int group, std::vector<int> strides, std::vector<int> pads, std::vector<int> dil = {1, 1}) {
  const int oh = (in.h + pads[0] + pads[2] - ((kh - 1) * dil[0] + 1)) / strides[0] + 1;
  const int ow = (in.w + pads[1] + pads[3] - ((kw - 1) * dil[1] + 1)) / strides[1] + 1;
  T4 out(in.n, out_c, oh, ow);
  const int cin = in.c / group, cout = out_c / group;
  for (int o = 0; o < out_c; ++o) {
    const int g = o / cout;
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x) {
        double acc = b.empty() ? 0.0 : b[static_cast<size_t>(o)];
        for (int i = 0; i < cin; ++i)
          for (int ky = 0; ky < kh; ++ky)
            for (int kx = 0; kx < kw; ++kx) {
              const int iy = y * strides[0] - pads[0] + ky * dil[0], ix = x * strides[1] - pads[1] + kx * dil[1];
              if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;
              acc += in.at(0, g * cin + i, iy, ix) * w[static_cast<size_t>(((o * cin + i) * kh + ky) * kw + kx)];
            }
        out.at(0, o, y, x) = acc;
      }
  }
  return out;
}

inline T4 batch_norm(const T4& in, const std::vector<float>& scale, const std::vector<float>& bias,
                     const std::vector<float>& mean, const std::vector<float>& var, double eps = 1e-5) {
  T4 out = in;
  for (int ch = 0; ch < in.c; ++ch)
    for (int y = 0; y < in.h; ++y)
      for (int x = 0; x < in.w; ++x) {
        const size_t k = static_cast<size_t>(ch);
        out.at(0, ch, y, x) = (in.at(0, ch, y, x) - mean[k]) / std::sqrt(var[k] + eps) * scale[k] + bias[k];
      }
  return out;
}

inline T4 clamp(T4 t, double lo, double hi) {
  for (auto& x : t.v) x = std::min(std::max(x, lo), hi);
  return t;
}

// SAME-free pooling with explicit pads; average excludes padding.
inline T4 pool(const T4& in, int k, int s, bool average, int pad = 0) {
  const int oh = (in.h + 2 * pad - k) / s + 1, ow = (in.w + 2 * pad - k) / s + 1;
  T4 out(in.n, in.c, oh, ow);
  for (int ch = 0; ch < in.c; ++ch)
    for (int y = 0; y < oh; ++y)
      for (int x = 0; x < ow; ++x) {
        double acc = average ? 0.0 : -std::numeric_limits<double>::infinity();
        int count = 0;
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int iy = y * s - pad + ky, ix = x * s - pad + kx;
            if (iy < 0 || ix < 0 || iy >= in.h || ix >= in.w) continue;
            acc = average ? acc + in.at(0, ch, iy, ix) : std::max(acc, in.at(0, ch, iy, ix));
            ++count;
          }
        out.at(0, ch, y, x) = average ? acc / count : acc;
      }
  return out;
}

// y = x · Wᵀ + b for W [units, k] (transB = 1).
inline std::vector<double> gemm(const std::vector<double>& x, const std::vector<float>& w, const std::vector<float>& b,
                                int units) {
  const size_t k = x.size();
  std::vector<double> y(static_cast<size_t>(units));
  for (size_t u = 0; u < y.size(); ++u) {
    double acc = b.empty() ? 0.0 : b[u];
    for (size_t j = 0; j < k; ++j) acc += x[j] * w[u * k + j];
    y[u] = acc;
  }
  return y;
}

inline std::vector<double> softmax(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  std::vector<double> y(x.size());
  double sum = 0.0;
  for (size_t i = 0; i < x.size(); ++i) sum += (y[i] = std::exp(x[i] - m));
  for (auto& v : y) v /= sum;
  return y;
}

}  // namespace kiln::onnx::test
