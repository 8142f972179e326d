// SVDF kernels on tiny hand-computed cases, two invocations each so the
// state update (shift, append, zero points) is exercised.
#include "kiln/kernels/svdf.h"

#include <gtest/gtest.h>

namespace k = kiln::kernels;

namespace {

// 1 batch, 2 inputs, 2 filters, memory 2, rank 1 → 2 units.
k::SvdfShape small_shape(uint32_t rank = 1) {
  k::SvdfShape s;
  s.batches = 1;
  s.input_size = 2;
  s.num_filters = 2;
  s.memory_size = 2;
  s.rank = rank;
  return s;
}

// Feature rescale ×0.5, output rescale ×0.25; zero points input 1, state 2,
// output -3.
k::SvdfQuantParams small_params() {
  k::SvdfQuantParams p;
  p.input_zero_point = 1;
  p.state_zero_point = 2;
  p.output_zero_point = -3;
  p.feature_scale = k::quantize_multiplier(0.5);
  p.output_scale = k::quantize_multiplier(0.25);
  return p;
}

const int8_t kWeightsFeature[4] = {1, 2, 3, -1};
const int32_t kBias[2] = {10, -4};

template <typename T>
void run_two_steps(void (*svdf)(const k::SvdfShape&, const k::SvdfQuantParams&, const int8_t*, const int8_t*,
                                const T*, const int32_t*, T*, int32_t*, int8_t*)) {
  const k::SvdfShape s = small_shape();
  const k::SvdfQuantParams p = small_params();
  const T weights_time[4] = {1, 2, -1, 1};
  T state[4] = {0, 0, 0, 0};
  int32_t scratch[4] = {};
  ASSERT_LE(k::svdf_scratch_count(s), 4u);
  int8_t out[2] = {};

  // Step 1: input - zp = [4, 2]. Features: 1·4 + 2·2 = 8 → ×0.5 = 4 → +2 = 6;
  // 3·4 - 2 = 10 → 5 → 7. State [0,6 | 0,7].
  // Time: 1·(0-2) + 2·(6-2) = 6; -1·(0-2) + 1·(7-2) = 7.
  // Units: (10+6)·0.25 = 4 → 1; (-4+7)·0.25: 3·0.5 = 1.5 → 2, /2 → 1 → -2.
  const int8_t in1[2] = {5, 3};
  svdf(s, p, in1, kWeightsFeature, weights_time, kBias, state, scratch, out);
  EXPECT_EQ(state[0], 0);
  EXPECT_EQ(state[1], 6);
  EXPECT_EQ(state[2], 0);
  EXPECT_EQ(state[3], 7);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], -2);

  // Step 2: input - zp = [-2, 3]. Features: -2 + 6 = 4 → 2 → 4;
  // -6 - 3 = -9 → ×0.5 = -4.5 rounds to -4 (ties go up) → -2.
  // State shifts left, then appends: [6,4 | 7,-2].
  // Time: 1·4 + 2·2 = 8; -1·5 + 1·(-4) = -9.
  // Units: 18 → 9 → 4.5 → 5 (away from zero) → 2; -13 → -6.5 → -6 → -3 → -6.
  const int8_t in2[2] = {-1, 4};
  svdf(s, p, in2, kWeightsFeature, weights_time, kBias, state, scratch, out);
  EXPECT_EQ(state[0], 6);
  EXPECT_EQ(state[1], 4);
  EXPECT_EQ(state[2], 7);
  EXPECT_EQ(state[3], -2);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[1], -6);
}

TEST(SvdfKernel, Int8StateTwoSteps) { run_two_steps<int8_t>(k::svdf_s8); }

TEST(SvdfKernel, Int16StateTwoSteps) { run_two_steps<int16_t>(k::svdf_s8_s16); }

TEST(SvdfKernel, RankTwoSumsFilterPairsWithoutBias) {
  const k::SvdfShape s = small_shape(2);  // 1 unit
  const k::SvdfQuantParams p = small_params();
  const int8_t weights_time[4] = {1, 2, -1, 1};
  int8_t state[4] = {0, 0, 0, 0};
  int32_t scratch[3] = {};
  ASSERT_EQ(k::svdf_scratch_count(s), 3u);
  int8_t out = 0;
  const int8_t in[2] = {5, 3};
  // Filters as in step 1 above: 6 + 7 = 13 → ×0.25: 6.5 → 7, /2 → 3.5 → 4 → 1.
  k::svdf_s8(s, p, in, kWeightsFeature, weights_time, nullptr, state, scratch, &out);
  EXPECT_EQ(out, 1);
}

TEST(SvdfKernel, Int8StateClampsBeforeAddingZeroPointAndWraps) {
  // TFLite Micro (90b983c) saturates the feature value to [-128, 127] and
  // only then adds the state zero point, narrowing with wrap-around.
  k::SvdfShape s;
  s.batches = 1;
  s.input_size = 1;
  s.num_filters = 1;
  s.memory_size = 1;
  s.rank = 1;
  k::SvdfQuantParams p;
  p.state_zero_point = 100;
  p.feature_scale = k::quantize_multiplier(1.0);
  p.output_scale = k::quantize_multiplier(1.0);
  const int8_t in = 120, weights_feature = 1, weights_time = 1;
  int8_t state = 0, out = 0;
  int32_t scratch[2];
  k::svdf_s8(s, p, &in, &weights_feature, &weights_time, nullptr, &state, scratch, &out);
  EXPECT_EQ(state, static_cast<int8_t>(120 + 100 - 256));  // 220 wraps to -36
  EXPECT_EQ(out, -128);                                   // (-36 - 100) clamps
}

TEST(SvdfKernel, TwoBatchesKeepSeparateState) {
  k::SvdfShape s = small_shape();
  s.batches = 2;
  const k::SvdfQuantParams p = small_params();
  const int8_t weights_time[4] = {1, 2, -1, 1};
  int8_t state[8] = {};
  int32_t scratch[8];
  ASSERT_EQ(k::svdf_scratch_count(s), 8u);
  int8_t out[4];
  const int8_t in[4] = {5, 3, -1, 4};
  k::svdf_s8(s, p, in, kWeightsFeature, weights_time, kBias, state, scratch, out);
  // Batch 0 as step 1 above. Batch 1: features 4 → 2 → 4 and -9 → -4 → -2
  // appended to a zero memory: time 1·(-2) + 2·2 = 2, -1·(-2) + 1·(-4) = -2.
  // Units: 12·0.25 = 3 → 0; -6·0.25: -3 → -1.5 → -2 → -5.
  const int8_t want_state[8] = {0, 6, 0, 7, 0, 4, 0, -2};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(state[i], want_state[i]) << i;
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], -2);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], -5);
}

TEST(SvdfKernel, FloatTwoStepsWithRelu) {
  const k::SvdfShape s = small_shape();
  const float weights_feature[4] = {1.0f, 0.5f, -1.0f, 2.0f};
  const float weights_time[4] = {0.5f, 1.0f, 2.0f, -1.0f};
  const float bias[2] = {0.25f, -1.0f};
  float state[4] = {};
  float scratch[2];
  float out[2];
  // Step 1: features 1 + 1 = 2 and -1 + 4 = 3 → state [0,2 | 0,3].
  // Units: 0.25 + 0.5·0 + 1·2 = 2.25; relu(-1 + 2·0 - 3) = 0.
  const float in1[2] = {1.0f, 2.0f};
  k::svdf_f32(s, k::SvdfActivation::kRelu, in1, weights_feature, weights_time, bias, state, scratch, out);
  EXPECT_FLOAT_EQ(out[0], 2.25f);
  EXPECT_FLOAT_EQ(out[1], 0.0f);
  // Step 2: features -2 + 0.5 = -1.5 and 2 + 2 = 4 → state [2,-1.5 | 3,4].
  // Units: 0.25 + 1 - 1.5 = -0.25 → 0; -1 + 6 - 4 = 1.
  const float in2[2] = {-2.0f, 1.0f};
  k::svdf_f32(s, k::SvdfActivation::kRelu, in2, weights_feature, weights_time, bias, state, scratch, out);
  EXPECT_FLOAT_EQ(state[0], 2.0f);
  EXPECT_FLOAT_EQ(state[1], -1.5f);
  EXPECT_FLOAT_EQ(state[2], 3.0f);
  EXPECT_FLOAT_EQ(state[3], 4.0f);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_FLOAT_EQ(out[1], 1.0f);
}

}  // namespace
