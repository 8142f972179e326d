#include "kiln/host/image.h"

#include <gtest/gtest.h>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "testdata.h"
#include "test_files.h"

namespace kiln::host {
namespace {

using model::TensorType;
using test::bytes_of;

void put(std::vector<uint8_t>& b, size_t at, uint32_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) b.at(at + i) = static_cast<uint8_t>(v >> (8 * i));
}

void append(std::vector<uint8_t>& b, uint32_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// A BMP with BITMAPINFOHEADER; `rows` are the stored rows (already padded).
std::vector<uint8_t> bmp(int32_t w, int32_t h, uint16_t bpp, const std::vector<uint8_t>& palette,
                         const std::vector<uint8_t>& rows) {
  const uint32_t offset = 54 + static_cast<uint32_t>(palette.size());
  std::vector<uint8_t> b = {'B', 'M'};
  append(b, offset + static_cast<uint32_t>(rows.size()), 4);
  append(b, 0, 4);
  append(b, offset, 4);
  append(b, 40, 4);
  append(b, static_cast<uint32_t>(w), 4);
  append(b, static_cast<uint32_t>(h), 4);
  append(b, 1, 2);
  append(b, bpp, 2);
  for (int i = 0; i < 4; ++i) append(b, 0, 4);  // compression, image size, resolution
  append(b, static_cast<uint32_t>(palette.size() / 4), 4);
  append(b, 0, 4);
  b.insert(b.end(), palette.begin(), palette.end());
  b.insert(b.end(), rows.begin(), rows.end());
  return b;
}

std::vector<uint8_t> gray_palette(int n) {
  std::vector<uint8_t> p;
  for (int i = 0; i < n; ++i) p.insert(p.end(), {uint8_t(i), uint8_t(i), uint8_t(i), 0});
  return p;
}

TEST(Bmp, EightBitBottomUpRowsComeOutTopDownAndPaddingIsSkipped) {
  // 3x2 image, stride 4: stored bottom row first.
  const auto file = bmp(3, 2, 8, gray_palette(256), {40, 50, 60, 0xEE, 10, 20, 30, 0xEE});
  const GrayImage img = decode_bmp(file, "t.bmp");
  EXPECT_EQ(img.width, 3u);
  EXPECT_EQ(img.height, 2u);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{10, 20, 30, 40, 50, 60}));
}

TEST(Bmp, NegativeHeightMeansTopDown) {
  const auto file = bmp(3, -2, 8, gray_palette(256), {10, 20, 30, 0, 40, 50, 60, 0});
  EXPECT_EQ(decode_bmp(file, "t.bmp").pixels, (std::vector<uint8_t>{10, 20, 30, 40, 50, 60}));
}

TEST(Bmp, PaletteEntriesAreConvertedToLuminance) {
  // Index 0 is pure red, 1 pure green, 2 pure blue, 3 mid gray.
  const std::vector<uint8_t> pal = {0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 128, 128, 128, 0};
  const auto file = bmp(4, 1, 8, pal, {0, 1, 2, 3});
  EXPECT_EQ(decode_bmp(file, "t.bmp").pixels, (std::vector<uint8_t>{76, 150, 29, 128}));
}

TEST(Bmp, TwentyFourAndThirtyTwoBitColourBecomesGray) {
  // 2x1, BGR order; stride 8 for 24-bit.
  const auto rgb = bmp(2, 1, 24, {}, {0, 0, 255, 200, 200, 200, 0, 0});
  EXPECT_EQ(decode_bmp(rgb, "c.bmp").pixels, (std::vector<uint8_t>{76, 200}));
  const auto rgba = bmp(2, 1, 32, {}, {255, 0, 0, 9, 7, 7, 7, 9});
  EXPECT_EQ(decode_bmp(rgba, "c.bmp").pixels, (std::vector<uint8_t>{29, 7}));
}

TEST(Bmp, MalformedFilesGiveErrors) {
  const auto good = bmp(3, 2, 8, gray_palette(256), std::vector<uint8_t>(8));
  auto with = [&](size_t at, uint32_t v, size_t n) {
    auto b = good;
    put(b, at, v, n);
    return b;
  };
  std::vector<std::vector<uint8_t>> bad = {
      {},
      bytes_of(std::string("XM123")),
      std::vector<uint8_t>(good.begin(), good.begin() + 30),  // header cut
      std::vector<uint8_t>(good.begin(), good.end() - 1),     // pixels cut
      with(14, 12, 4),          // OS/2 header
      with(18, 0, 4),           // zero width
      with(18, 0xffffffff, 4),  // negative width
      with(22, 0, 4),           // zero height
      with(22, 100000, 4),      // absurd height
      with(26, 2, 2),           // planes
      with(28, 4, 2),           // 4-bit
      with(28, 16, 2),          // 16-bit
      with(30, 1, 4),           // RLE8
      with(46, 300, 4),         // palette too big
      with(10, 0xfffffff0, 4),  // pixel offset past the end
      with(10, 60, 4),          // pixels overlap palette
  };
  // Palette of 2 entries, pixel index 5.
  bad.push_back(bmp(1, 1, 8, gray_palette(2), {5, 0, 0, 0}));
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_THROW(decode_bmp(bad[i], "bad.bmp"), ToolError) << "case " << i;
  }
}

TEST(Bmp, PersonImageMatchesTheGoldenInputBytes) {
  for (const std::string name : {"person", "no_person"}) {
    const auto img = decode_bmp(read_file_bytes(kiln::testing::testdata_path("models/tflm/" + name + ".bmp")), name);
    const TensorSpec spec{"input", TensorType::kInt8, {1, 96, 96, 1}};
    const auto golden = read_file_bytes(
        kiln::testing::testdata_path("models/golden/person_detect/input_" + name + ".bin"));
    EXPECT_EQ(image_to_tensor(img, spec, name), golden) << name;
  }
}

TEST(Pgm, BinaryWithCommentsAndAsciiDecodeTheSame) {
  std::string p5 = "P5\n# a comment\n3 2\n255\n";
  p5 += std::string({char(0), char(10), char(20), char(200), char(255), char(7)});
  const auto img = decode_pgm(bytes_of(p5), "a.pgm");
  EXPECT_EQ(img.width, 3u);
  EXPECT_EQ(img.height, 2u);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{0, 10, 20, 200, 255, 7}));
  const auto ascii = decode_pgm(bytes_of("P2 3 2 255\n0 10 20\n200 255 7 # end\n"), "b.pgm");
  EXPECT_EQ(ascii.pixels, img.pixels);
}

TEST(Pgm, MalformedFilesGiveErrors) {
  const std::vector<std::string> bad = {
      "", "P6\n1 1\n255\nx", "P5 1 1\n255", "P5 0 1 255\n", "P5 2 2 255\nabc",
      "P5 1 1 65535\n\x01\x02", "P5 1 1 15\n\xff", "P2 2 1 255\n1", "P2 2 1 255\n1 300",
      "P2 2 1 9\n1 10", "P2 x 1 255\n1", "P5 99999999999 1 255\n",
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_THROW(decode_pgm(bytes_of(bad[i]), "bad.pgm"), ToolError) << "case " << i << ": " << bad[i];
  }
}

TEST(Image, FillsOnlyMatchingInt8OrUint8Tensors) {
  GrayImage img{2, 1, {200, 3}};
  const auto i8 = image_to_tensor(img, {"in", TensorType::kInt8, {1, 1, 2, 1}}, "i");
  EXPECT_EQ(test::values_of<int8_t>(i8), (std::vector<int8_t>{-56, 3}));  // same byte, read signed
  EXPECT_EQ(image_to_tensor(img, {"in", TensorType::kUInt8, {1, 1, 2, 1}}, "i"), (std::vector<uint8_t>{200, 3}));
  try {
    image_to_tensor(img, {"in", TensorType::kInt8, {1, 2, 1, 1}}, "i.bmp");
    FAIL();
  } catch (const ToolError& e) {
    EXPECT_STREQ(e.what(), "i.bmp: a 2x1 gray image fills a [1,1,2,1] tensor, but the input is 'in' int8[1,2,1,1]");
  }
  EXPECT_THROW(image_to_tensor(img, {"in", TensorType::kFloat32, {1, 1, 2, 1}}, "i"), ToolError);
  EXPECT_THROW(image_to_tensor(img, {"in", TensorType::kInt8, {1, 1, 2, 3}}, "i"), ToolError);
}

}  // namespace
}  // namespace kiln::host
