#include "kiln/host/npy.h"

#include <gtest/gtest.h>

#include "kiln/host/error.h"
#include "test_files.h"

namespace kiln::host {
namespace {

using model::TensorType;
using test::bytes_of;
using test::values_of;

// A .npy file as numpy writes it: header padded with spaces to 64 bytes.
std::vector<uint8_t> npy_file(const std::string& dict, const std::vector<uint8_t>& data, int version = 1) {
  const size_t prefix = version == 1 ? 10 : 12;
  std::string header = dict;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(version), 0};
  const size_t n = header.size();
  out.push_back(static_cast<uint8_t>(n));
  out.push_back(static_cast<uint8_t>(n >> 8));
  if (version != 1) {
    out.push_back(static_cast<uint8_t>(n >> 16));
    out.push_back(static_cast<uint8_t>(n >> 24));
  }
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string dict(const std::string& descr, const std::string& shape, const char* order = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
}

const TensorSpec kInt8x3{"x", TensorType::kInt8, {1, 3}};

TEST(Npy, ParsesVersion1Header) {
  const auto h = parse_npy_header(npy_file(dict("<f4", "(2, 3)"), std::vector<uint8_t>(24)));
  EXPECT_EQ(h.dtype, TensorType::kFloat32);
  EXPECT_FALSE(h.big_endian);
  EXPECT_FALSE(h.fortran_order);
  EXPECT_EQ(h.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(h.data_offset, 128u);  // padded to a multiple of 64
}

TEST(Npy, ParsesVersion2HeaderScalarShapeAndDoubleQuotes) {
  const auto h = parse_npy_header(npy_file("{\"descr\": \"|u1\", \"fortran_order\": False, \"shape\": ()}", {7}, 2));
  EXPECT_EQ(h.dtype, TensorType::kUInt8);
  EXPECT_TRUE(h.shape.empty());
  EXPECT_EQ(h.data_offset, 128u);  // padded to a multiple of 64
}

TEST(Npy, SameDtypeIsCopiedAndShapeMayDifferWhenCountMatches) {
  const auto out = npy_to_tensor(npy_file(dict("|i1", "(3,)"), {0xff, 0x00, 0x7f}), kInt8x3, {}, "a.npy");
  EXPECT_EQ(values_of<int8_t>(out), (std::vector<int8_t>{-1, 0, 127}));
}

TEST(Npy, Int64ArrayConvertsLosslesslyToInt8) {
  const auto file = npy_file(dict("<i8", "(1, 3)"), bytes_of(std::vector<int64_t>{-128, 5, 127}));
  EXPECT_EQ(values_of<int8_t>(npy_to_tensor(file, kInt8x3, {}, "a.npy")), (std::vector<int8_t>{-128, 5, 127}));
}

TEST(Npy, LossyConversionIsRejectedUnlessRequested) {
  const auto big = npy_file(dict("<i8", "(3,)"), bytes_of(std::vector<int64_t>{1, 300, 2}));
  try {
    npy_to_tensor(big, kInt8x3, {}, "a.npy");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "a.npy (int64 array): element 1 (300) is out of range for int8");
  }
  const TensorSpec f32{"", TensorType::kFloat32, {2}};
  const auto f64 = npy_file(dict("<f8", "(2,)"), bytes_of(std::vector<double>{0.5, 0.1}));
  EXPECT_THROW(npy_to_tensor(f64, f32, {}, "b.npy"), ToolError);
  ConvertPolicy round;
  round.allow_rounding = true;
  EXPECT_EQ(values_of<float>(npy_to_tensor(f64, f32, round, "b.npy")), (std::vector<float>{0.5f, 0.1f}));
}

TEST(Npy, BigEndianAndFloat16AreConverted) {
  const TensorSpec f32{"", TensorType::kFloat32, {2}};
  // >f4: 1.0 = 3f 80 00 00, -2.5 = c0 20 00 00
  const auto be = npy_file(dict(">f4", "(2,)"), {0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0});
  EXPECT_EQ(values_of<float>(npy_to_tensor(be, f32, {}, "be.npy")), (std::vector<float>{1.0f, -2.5f}));
  const auto half = npy_file(dict("<f2", "(2,)"), {0x00, 0x3c, 0x00, 0xb8});  // 1.0, -0.5
  EXPECT_EQ(values_of<float>(npy_to_tensor(half, f32, {}, "h.npy")), (std::vector<float>{1.0f, -0.5f}));
}

TEST(Npy, FortranOrderIsAcceptedOnlyWhenItMeansTheSameLayout) {
  const auto vec = npy_file(dict("|i1", "(1, 3)", "True"), {1, 2, 3});
  EXPECT_EQ(values_of<int8_t>(npy_to_tensor(vec, kInt8x3, {}, "f.npy")), (std::vector<int8_t>{1, 2, 3}));
  const TensorSpec m{"", TensorType::kInt8, {2, 2}};
  EXPECT_THROW(npy_to_tensor(npy_file(dict("|i1", "(2, 2)", "True"), {1, 2, 3, 4}), m, {}, "f.npy"), ToolError);
}

TEST(Npy, MalformedFilesGiveErrors) {
  const std::vector<uint8_t> ok_data = {1, 2, 3};
  const std::vector<std::vector<uint8_t>> bad = {
      {},                                                         // empty
      bytes_of(std::string("NUMPY not really")),                  // no magic
      npy_file(dict("|i1", "(3,)"), ok_data, 9),                  // version
      npy_file(dict("|i1", "(3,)"), {1, 2}),                      // short data
      npy_file(dict("|i1", "(3,)"), {1, 2, 3, 4}),                // long data
      npy_file(dict("|i1", "(4,)"), {1, 2, 3, 4}),                // count mismatch
      npy_file(dict("<c8", "(3,)"), std::vector<uint8_t>(24)),    // complex
      npy_file(dict("|O", "(3,)"), ok_data),                      // objects
      npy_file("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (3,), }", ok_data),
      npy_file("{'descr': '|i1', 'shape': (3,), }", ok_data),     // missing key
      npy_file("{'descr': '|i1', 'fortran_order': Maybe, 'shape': (3,), }", ok_data),
      npy_file("{'descr': '|i1', 'fortran_order': False, 'shape': (-3,), }", ok_data),
      npy_file("{'descr': '|i1', 'fortran_order': False, 'shape': (3,), 'x': 1}", ok_data),
      npy_file("{'descr': '|i1', 'fortran_order': False, 'shape': (3,", ok_data),
      npy_file("{'descr: '|i1'}", ok_data),
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_THROW(npy_to_tensor(bad[i], kInt8x3, {}, "bad.npy"), ToolError) << "case " << i;
  }
  // Header length pointing past the end of the file.
  auto truncated = npy_file(dict("|i1", "(3,)"), ok_data);
  truncated[8] = 0xff;
  EXPECT_THROW(npy_to_tensor(truncated, kInt8x3, {}, "bad.npy"), ToolError);
  truncated.resize(9);
  EXPECT_THROW(npy_to_tensor(truncated, kInt8x3, {}, "bad.npy"), ToolError);
}

TEST(Npy, WritesNumpyCompatibleHeaderAndReadsItBack) {
  const TensorSpec spec{"y", TensorType::kInt16, {1, 3}};
  const auto data = bytes_of(std::vector<int16_t>{-1, 2, 300});
  const auto file = tensor_to_npy(spec, data);
  const std::string expected_dict = "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 3), }";
  ASSERT_EQ(file.size(), 128u + 6u);
  EXPECT_EQ(std::string(file.begin() + 10, file.begin() + 10 + static_cast<long>(expected_dict.size())), expected_dict);
  EXPECT_EQ(file[127], '\n');
  EXPECT_EQ(file[8], 118);  // header length, little-endian
  EXPECT_EQ(file[9], 0);
  EXPECT_EQ(npy_to_tensor(file, spec, {}, "rt.npy"), data);
}

TEST(Npy, WritesOneTupleWithTrailingComma) {
  const auto file = tensor_to_npy({"", TensorType::kFloat32, {2}}, std::vector<uint8_t>(8));
  const std::string text(file.begin() + 10, file.end() - 8);
  EXPECT_NE(text.find("'shape': (2,), "), std::string::npos) << text;
  EXPECT_NE(text.find("'descr': '<f4'"), std::string::npos);
}

}  // namespace
}  // namespace kiln::host
