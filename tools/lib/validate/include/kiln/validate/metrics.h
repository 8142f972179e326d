// Numbers that compare an INT8 model with its float original: output drift,
// top-1 agreement, SQNR, confusion matrix and a histogram of |float - int8|.
// Pure arithmetic over float arrays, so tests can check exact values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace kiln::validate {

// SQNR in dB of `test` against the reference `ref`: 10 log10(sum ref^2 /
// sum (ref - test)^2). +infinity when identical, -infinity when the
// reference is all zeros but the test is not.
double sqnr_db(double signal_power, double noise_power);

// Cosine similarity of two vectors; 1 when both are all zeros, 0 when only
// one is.
double cosine_similarity(const float* a, const float* b, size_t n);

// Index of the largest value (first one on ties); 0 for an empty array.
size_t argmax(const float* values, size_t n);

// Output drift of one stage against the float reference, over samples.
struct DriftStats {
  double mean_abs = 0.0;     // mean |ref - test| over every output value
  double max_abs = 0.0;      // largest |ref - test|
  double mean_cosine = 1.0;  // mean over samples of the per-sample cosine similarity
  double min_cosine = 1.0;   // worst sample
  size_t samples = 0;
  size_t values = 0;
};

class DriftAccumulator {
 public:
  // One sample's outputs (all output tensors, dequantized, concatenated).
  void add(const std::vector<float>& ref, const std::vector<float>& test);
  DriftStats result() const;

 private:
  double sum_abs_ = 0.0, max_abs_ = 0.0, sum_cos_ = 0.0, min_cos_ = 1.0;
  size_t samples_ = 0, values_ = 0;
};

// Sums of signal and noise power for one tensor over samples, for SQNR.
struct PowerSums {
  double signal = 0.0;
  double noise = 0.0;
  void add(const float* ref, const float* test, size_t n);
  double sqnr() const { return sqnr_db(signal, noise); }
};

// Fixed-width histogram on [0, upper]; values above upper go to the last bin.
struct Histogram {
  double upper = 0.0;
  std::vector<uint64_t> counts;
  static Histogram of(const std::vector<float>& values, size_t bins);
};

// rows: true label, columns: predicted class.
struct ConfusionMatrix {
  size_t classes = 0;
  std::vector<uint64_t> cells;  // classes * classes
  explicit ConfusionMatrix(size_t n = 0) : classes(n), cells(n * n, 0) {}
  void add(size_t label, size_t predicted);
  uint64_t at(size_t label, size_t predicted) const { return cells[label * classes + predicted]; }
};

}  // namespace kiln::validate
