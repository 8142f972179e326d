#include "kiln/host/csv.h"

#include <gtest/gtest.h>

#include "kiln/host/error.h"
#include "test_files.h"

namespace kiln::host {
namespace {

using model::TensorType;
using test::bytes_of;
using test::values_of;

TEST(Csv, ParsesCommaAndWhitespaceSeparatedNumbers) {
  const auto v = parse_numbers("1, -2\t3\r\n4.5 ,-6e-1\n", "t.csv");
  ASSERT_EQ(v.size(), 5u);
  EXPECT_FALSE(v[0].is_float);
  EXPECT_EQ(v[1].i, -2);
  EXPECT_EQ(v[2].i, 3);
  EXPECT_TRUE(v[3].is_float);
  EXPECT_EQ(v[3].f, 4.5);
  EXPECT_EQ(v[4].f, -0.6);
}

TEST(Csv, Int16TensorFromSeanetStyleLine) {
  const TensorSpec spec{"in", TensorType::kInt16, {1, 4}};
  const auto out = csv_to_tensor("28919,-8528,-32768,32767\r\n", spec, {}, "a.csv");
  EXPECT_EQ(values_of<int16_t>(out), (std::vector<int16_t>{28919, -8528, -32768, 32767}));
}

TEST(Csv, FloatTensorRoundsDecimalText) {
  const TensorSpec spec{"x", TensorType::kFloat32, {3}};
  const auto out = csv_to_tensor("0.1 1 -3.5", spec, {}, "f.csv");
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{0.1f, 1.0f, -3.5f}));
}

TEST(Csv, RangeAndCountAndSyntaxErrors) {
  const TensorSpec i8{"x", TensorType::kInt8, {2}};
  try {
    csv_to_tensor("1,\n200", i8, {}, "e.csv");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "e.csv: element 1 (200) is out of range for int8");
  }
  try {
    csv_to_tensor("1,2,3", i8, {}, "e.csv");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "e.csv: holds 3 numbers but tensor 'x' int8[2] has 2 elements");
  }
  try {
    csv_to_tensor("1\n2x", i8, {}, "e.csv");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "e.csv:2: '2x' is not a number");
  }
  EXPECT_THROW(csv_to_tensor("1,,2", i8, {}, "e.csv"), ToolError);
  EXPECT_THROW(csv_to_tensor(",1,2", i8, {}, "e.csv"), ToolError);
  EXPECT_THROW(csv_to_tensor("1,2,", i8, {}, "e.csv"), ToolError);
  EXPECT_THROW(csv_to_tensor("1.5,2", i8, {}, "e.csv"), ToolError);
  EXPECT_THROW(csv_to_tensor("", i8, {}, "e.csv"), ToolError);
  EXPECT_THROW(csv_to_tensor("99999999999999999999,1", i8, {}, "e.csv"), ToolError);
  EXPECT_THROW(csv_to_tensor("1e999,1", TensorSpec{"", TensorType::kFloat32, {2}}, {}, "e.csv"), ToolError);
}

TEST(Csv, WritesOneLineThatReadsBackIdentically) {
  const TensorSpec spec{"y", TensorType::kFloat32, {1, 3}};
  const auto data = bytes_of(std::vector<float>{0.1f, -2.0f, 1e-8f});
  const std::string text = tensor_to_csv(spec, data);
  EXPECT_EQ(text, "0.100000001,-2,9.99999994e-09\n");
  EXPECT_EQ(csv_to_tensor(text, spec, {}, "rt.csv"), data);
  const TensorSpec i16{"", TensorType::kInt16, {2}};
  EXPECT_EQ(tensor_to_csv(i16, bytes_of(std::vector<int16_t>{-32768, 7})), "-32768,7\n");
}

TEST(Csv, RoundTripKeepsEveryValueAndDropsTheCarriageReturn) {
  const std::string text = "-7,0,32767,-32768\r\n";
  const TensorSpec spec{"", TensorType::kInt16, {4}};
  EXPECT_EQ(tensor_to_csv(spec, csv_to_tensor(text, spec, {}, "g.csv")), "-7,0,32767,-32768\n");
}

}  // namespace
}  // namespace kiln::host
