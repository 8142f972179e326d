#include "kiln/host/scalar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "kiln/host/error.h"

namespace kiln::host {
namespace {

using model::TensorType;

template <typename T>
T store(const Scalar& v, TensorType type, ConvertPolicy policy = {}) {
  uint8_t buf[8] = {};
  store_scalar(v, type, buf, 0, policy, "test");
  T out;
  std::memcpy(&out, buf, sizeof(T));
  return out;
}

TEST(Scalar, IntegersStoreExactlyWithinRange) {
  EXPECT_EQ(store<int8_t>(Scalar::integer(-128), TensorType::kInt8), -128);
  EXPECT_EQ(store<int8_t>(Scalar::integer(127), TensorType::kInt8), 127);
  EXPECT_EQ(store<uint8_t>(Scalar::integer(255), TensorType::kUInt8), 255);
  EXPECT_EQ(store<int16_t>(Scalar::integer(-32768), TensorType::kInt16), -32768);
  EXPECT_EQ(store<int32_t>(Scalar::integer(INT32_MIN), TensorType::kInt32), INT32_MIN);
  EXPECT_EQ(store<int64_t>(Scalar::integer(INT64_MAX), TensorType::kInt64), INT64_MAX);
  EXPECT_EQ(store<uint8_t>(Scalar::integer(1), TensorType::kBool), 1);
}

TEST(Scalar, OutOfRangeIntegersAreRejectedWithTheElementIndex) {
  uint8_t buf[8] = {};
  try {
    store_scalar(Scalar::integer(128), TensorType::kInt8, buf, 7, {}, "in.npy");
    FAIL() << "expected ToolError";
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "in.npy: element 7 (128) is out of range for int8");
  }
  EXPECT_THROW(store<uint8_t>(Scalar::integer(-1), TensorType::kUInt8), ToolError);
  EXPECT_THROW(store<int16_t>(Scalar::integer(40000), TensorType::kInt16), ToolError);
  EXPECT_THROW(store<uint8_t>(Scalar::integer(2), TensorType::kBool), ToolError);
  EXPECT_THROW(store<uint64_t>(Scalar::integer(-5), TensorType::kUInt64), ToolError);
}

TEST(Scalar, IntegralRealsBecomeIntegersButFractionsNeedRounding) {
  EXPECT_EQ(store<int8_t>(Scalar::real(-3.0), TensorType::kInt8), -3);
  EXPECT_THROW(store<int8_t>(Scalar::real(2.5), TensorType::kInt8), ToolError);
  ConvertPolicy round;
  round.allow_rounding = true;
  EXPECT_EQ(store<int8_t>(Scalar::real(2.5), TensorType::kInt8, round), 3);
  EXPECT_EQ(store<int8_t>(Scalar::real(-2.4), TensorType::kInt8, round), -2);
  EXPECT_THROW(store<int8_t>(Scalar::real(127.6), TensorType::kInt8, round), ToolError);
  EXPECT_THROW(store<int32_t>(Scalar::real(NAN), TensorType::kInt32, round), ToolError);
  EXPECT_THROW(store<int64_t>(Scalar::real(1e19), TensorType::kInt64, round), ToolError);
}

TEST(Scalar, Float32AcceptsOnlyExactValuesUnlessRoundingIsAllowed) {
  EXPECT_EQ(store<float>(Scalar::real(0.5), TensorType::kFloat32), 0.5f);
  EXPECT_EQ(store<float>(Scalar::integer(16777216), TensorType::kFloat32), 16777216.0f);
  EXPECT_THROW(store<float>(Scalar::integer(16777217), TensorType::kFloat32), ToolError);
  EXPECT_THROW(store<float>(Scalar::real(0.1), TensorType::kFloat32), ToolError);
  ConvertPolicy text;
  text.text_source = true;
  EXPECT_EQ(store<float>(Scalar::real(0.1), TensorType::kFloat32, text), 0.1f);
  EXPECT_THROW(store<float>(Scalar::real(1e300), TensorType::kFloat32, text), ToolError);
  EXPECT_TRUE(std::isinf(store<float>(Scalar::real(-INFINITY), TensorType::kFloat32)));
}

TEST(Scalar, Float64HoldsEveryFloat32AndSmallInteger) {
  EXPECT_EQ(store<double>(Scalar::real(0.1), TensorType::kFloat64), 0.1);
  EXPECT_EQ(store<double>(Scalar::integer(-(int64_t{1} << 53)), TensorType::kFloat64), -9007199254740992.0);
  EXPECT_THROW(store<double>(Scalar::integer((int64_t{1} << 53) + 1), TensorType::kFloat64), ToolError);
}

TEST(Scalar, Float16TensorsAcceptNoConversion) {
  EXPECT_THROW(store<uint16_t>(Scalar::real(1.0), TensorType::kFloat16), ToolError);
}

TEST(Scalar, LoadReadsEveryTypeLittleEndian) {
  const uint8_t b[8] = {0xfe, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80};
  EXPECT_EQ(load_scalar(TensorType::kInt8, b, 0).i, -2);
  EXPECT_EQ(load_scalar(TensorType::kUInt8, b, 0).i, 254);
  EXPECT_EQ(load_scalar(TensorType::kInt16, b, 0).i, -2);
  EXPECT_EQ(load_scalar(TensorType::kUInt16, b, 3).i, 0x8000);
  EXPECT_EQ(load_scalar(TensorType::kInt32, b, 0).i, -2);
  EXPECT_EQ(load_scalar(TensorType::kUInt32, b, 0).i, 0xfffffffe);
  EXPECT_EQ(load_scalar(TensorType::kInt64, b, 0).i, static_cast<int64_t>(0x80000000fffffffeULL));
  EXPECT_TRUE(load_scalar(TensorType::kUInt64, b, 0).is_float);  // > INT64_MAX
  const float f = -1.25f;
  EXPECT_EQ(load_scalar(TensorType::kFloat32, reinterpret_cast<const uint8_t*>(&f), 0).f, -1.25);
}

TEST(Scalar, HalfToFloatCoversNormalsSubnormalsAndSpecials) {
  EXPECT_EQ(half_to_float(0x3c00), 1.0f);
  EXPECT_EQ(half_to_float(0xc000), -2.0f);
  EXPECT_EQ(half_to_float(0x7bff), 65504.0f);
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
}

}  // namespace
}  // namespace kiln::host
