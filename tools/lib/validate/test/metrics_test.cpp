// The metrics on arrays whose results are known exactly.
#include <gtest/gtest.h>

#include <cmath>

#include "kiln/validate/metrics.h"

namespace kiln::validate {
namespace {

TEST(Sqnr, IsTenLog10OfSignalOverNoise) {
  EXPECT_DOUBLE_EQ(sqnr_db(100.0, 1.0), 20.0);
  EXPECT_DOUBLE_EQ(sqnr_db(1.0, 1.0), 0.0);
  EXPECT_TRUE(std::isinf(sqnr_db(5.0, 0.0)) && sqnr_db(5.0, 0.0) > 0);
  EXPECT_TRUE(std::isinf(sqnr_db(0.0, 2.0)) && sqnr_db(0.0, 2.0) < 0);
}

TEST(Sqnr, PowerSumsAccumulateOverSamples) {
  PowerSums p;
  const float ref[] = {1, 2, 3, 4}, test[] = {1, 2, 3, 5};
  p.add(ref, test, 4);
  EXPECT_DOUBLE_EQ(p.signal, 30.0);
  EXPECT_DOUBLE_EQ(p.noise, 1.0);
  EXPECT_NEAR(p.sqnr(), 14.771212547196624, 1e-12);
  const float ref2[] = {-2, 0}, test2[] = {-1, 1};  // +4 signal, +2 noise
  p.add(ref2, test2, 2);
  EXPECT_NEAR(p.sqnr(), 10.0 * std::log10(34.0 / 3.0), 1e-12);
}

TEST(Cosine, KnownVectors) {
  const float a[] = {1, 0}, b[] = {0, 1}, c[] = {1, 2, 3}, d[] = {2, 4, 6}, z[] = {0, 0, 0};
  EXPECT_DOUBLE_EQ(cosine_similarity(a, b, 2), 0.0);
  EXPECT_DOUBLE_EQ(cosine_similarity(c, d, 3), 1.0);
  EXPECT_DOUBLE_EQ(cosine_similarity(z, z, 3), 1.0);
  EXPECT_DOUBLE_EQ(cosine_similarity(c, z, 3), 0.0);
  const float e[] = {-1, -2, -3};
  EXPECT_DOUBLE_EQ(cosine_similarity(c, e, 3), -1.0);
}

TEST(Drift, MeanMaxAndCosineOverSamples) {
  DriftAccumulator acc;
  acc.add({1, 2}, {1.5f, 2});
  acc.add({0, 0}, {0, 1});
  const DriftStats s = acc.result();
  EXPECT_EQ(s.samples, 2u);
  EXPECT_EQ(s.values, 4u);
  EXPECT_DOUBLE_EQ(s.mean_abs, 0.375);
  EXPECT_DOUBLE_EQ(s.max_abs, 1.0);
  const double first = 5.5 / (std::sqrt(5.0) * 2.5);
  EXPECT_NEAR(s.mean_cosine, first / 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.min_cosine, 0.0);
}

TEST(Drift, EmptyIsNeutral) {
  const DriftStats s = DriftAccumulator().result();
  EXPECT_EQ(s.samples, 0u);
  EXPECT_DOUBLE_EQ(s.mean_abs, 0.0);
  EXPECT_DOUBLE_EQ(s.mean_cosine, 1.0);
}

TEST(Argmax, FirstOfTies) {
  const float v[] = {0.1f, 0.7f, 0.7f, -1};
  EXPECT_EQ(argmax(v, 4), 1u);
  EXPECT_EQ(argmax(v, 1), 0u);
  EXPECT_EQ(argmax(v, 0), 0u);
}

TEST(Histogram, BinsOnZeroToMax) {
  const Histogram h = Histogram::of({0.0f, 0.5f, 1.0f, 0.25f, 0.3f}, 4);
  EXPECT_DOUBLE_EQ(h.upper, 1.0);
  ASSERT_EQ(h.counts.size(), 4u);
  EXPECT_EQ(h.counts[0], 1u);  // 0
  EXPECT_EQ(h.counts[1], 2u);  // 0.25, 0.3
  EXPECT_EQ(h.counts[2], 1u);  // 0.5
  EXPECT_EQ(h.counts[3], 1u);  // 1.0 (the top edge goes to the last bin)
  const Histogram zeros = Histogram::of({0.0f, 0.0f}, 3);
  EXPECT_EQ(zeros.counts[0], 2u);
}

TEST(Confusion, RowsAreLabels) {
  ConfusionMatrix m(3);
  m.add(0, 0);
  m.add(0, 2);
  m.add(2, 2);
  m.add(5, 1);  // out of range: ignored
  EXPECT_EQ(m.at(0, 0), 1u);
  EXPECT_EQ(m.at(0, 2), 1u);
  EXPECT_EQ(m.at(2, 2), 1u);
  EXPECT_EQ(m.at(2, 0), 0u);
  uint64_t total = 0;
  for (uint64_t c : m.cells) total += c;
  EXPECT_EQ(total, 3u);
}

}  // namespace
}  // namespace kiln::validate
