#include "kiln/validate/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln::validate {

double sqnr_db(double signal_power, double noise_power) {
  if (noise_power <= 0.0) return std::numeric_limits<double>::infinity();
  if (signal_power <= 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal_power / noise_power);
}

double cosine_similarity(const float* a, const float* b, size_t n) {
  double dot = 0.0, na = 0.0, nb = 0.0;
  for (size_t i = 0; i < n; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  if (na == 0.0 && nb == 0.0) return 1.0;
  if (na == 0.0 || nb == 0.0) return 0.0;
  return dot / (std::sqrt(na) * std::sqrt(nb));
}

size_t argmax(const float* values, size_t n) {
  size_t best = 0;
  for (size_t i = 1; i < n; ++i) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

void DriftAccumulator::add(const std::vector<float>& ref, const std::vector<float>& test) {
  const size_t n = std::min(ref.size(), test.size());
  for (size_t i = 0; i < n; ++i) {
    const double d = std::fabs(static_cast<double>(ref[i]) - test[i]);
    sum_abs_ += d;
    max_abs_ = std::max(max_abs_, d);
  }
  const double c = cosine_similarity(ref.data(), test.data(), n);
  sum_cos_ += c;
  min_cos_ = std::min(min_cos_, c);
  values_ += n;
  ++samples_;
}

DriftStats DriftAccumulator::result() const {
  DriftStats s;
  s.samples = samples_;
  s.values = values_;
  if (values_ > 0) s.mean_abs = sum_abs_ / static_cast<double>(values_);
  s.max_abs = max_abs_;
  if (samples_ > 0) {
    s.mean_cosine = sum_cos_ / static_cast<double>(samples_);
    s.min_cosine = min_cos_;
  }
  return s;
}

void PowerSums::add(const float* ref, const float* test, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const double r = ref[i];
    const double e = r - static_cast<double>(test[i]);
    signal += r * r;
    noise += e * e;
  }
}

Histogram Histogram::of(const std::vector<float>& values, size_t bins) {
  Histogram h;
  h.counts.assign(std::max<size_t>(bins, 1), 0);
  for (float v : values) h.upper = std::max(h.upper, static_cast<double>(v));
  for (float v : values) {
    size_t bin = 0;
    if (h.upper > 0.0) {
      const double pos = static_cast<double>(v) / h.upper * static_cast<double>(h.counts.size());
      bin = pos <= 0.0 ? 0 : std::min(h.counts.size() - 1, static_cast<size_t>(pos));
    }
    ++h.counts[bin];
  }
  return h;
}

void ConfusionMatrix::add(size_t label, size_t predicted) {
  if (label < classes && predicted < classes) ++cells[label * classes + predicted];
}

}  // namespace kiln::validate
