#include "kiln/host/tensor_io.h"

#include <gtest/gtest.h>

#include "kiln/host/csv.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "testdata.h"
#include "test_files.h"

namespace kiln::host {
namespace {

using model::TensorType;
using test::bytes_of;
using test::values_of;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ToolError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TensorIo, RawBinMustMatchTheTensorSizeExactly) {
  test::TempDir dir;
  const TensorSpec spec{"x", TensorType::kInt16, {2}};
  write_file_bytes(dir.file("a.bin"), {1, 0, 0xff, 0xff});
  EXPECT_EQ(values_of<int16_t>(read_tensor_file(dir.file("a.bin"), spec)), (std::vector<int16_t>{1, -1}));
  write_file_bytes(dir.file("short.bin"), {1, 0, 0xff});
  EXPECT_EQ(error_of([&] { read_tensor_file(dir.file("short.bin"), spec); }),
            dir.file("short.bin") + ": raw file is 3 bytes but tensor 'x' int16[2] needs exactly 4");
}

TEST(TensorIo, EveryWritableFormatRoundTrips) {
  test::TempDir dir;
  const TensorSpec spec{"y", TensorType::kFloat32, {1, 2, 2}};
  const auto data = bytes_of(std::vector<float>{0.25f, -1e-3f, 3.0e7f, 0.1f});
  for (const char* name : {"o.bin", "o.npy", "o.csv", "o.txt", "O.NPY"}) {
    write_tensor_file(dir.file(name), spec, data);
    EXPECT_EQ(read_tensor_file(dir.file(name), spec), data) << name;
  }
  EXPECT_EQ(read_file_bytes(dir.file("o.bin")), data);
}

TEST(TensorIo, ReadsAShippedSeanetCsv) {
  const std::string path = kiln::testing::testdata_path("models/tflm/seanet/add/add0_input0_int16.csv");
  const std::string text = [&] {
    const auto b = read_file_bytes(path);
    return std::string(b.begin(), b.end());
  }();
  const size_t n = parse_numbers(text, path).size();
  ASSERT_GT(n, 3u);
  const TensorSpec spec{"in", TensorType::kInt16, {1, static_cast<int32_t>(n)}};
  const auto v = values_of<int16_t>(read_tensor_file(path, spec));
  EXPECT_EQ(v[0], 28919);
  EXPECT_EQ(v[1], -8528);
  EXPECT_EQ(v.back(), 30710);
}

TEST(TensorIo, ImagesAreReadOnlyAndUnknownFormatsAreNamed) {
  test::TempDir dir;
  const TensorSpec spec{"x", TensorType::kInt8, {1, 1, 1, 1}};
  EXPECT_EQ(error_of([&] { read_tensor_file(dir.file("in.jpg"), spec); }),
            dir.file("in.jpg") + ": unknown input format '.jpg' (use .bin, .npy, .csv, .txt, .bmp, .pgm)");
  EXPECT_THROW(write_tensor_file(dir.file("o.bmp"), spec, {0}), ToolError);
  EXPECT_THROW(write_tensor_file(dir.file("noext"), spec, {0}), ToolError);
  write_file_bytes(dir.file("p.pgm"), bytes_of(std::string("P2 1 1 255 200")));
  EXPECT_EQ(read_tensor_file(dir.file("p.pgm"), spec), (std::vector<uint8_t>{200}));
}

TEST(TensorIo, MissingFilesAndDirectoriesGiveErrors) {
  test::TempDir dir;
  const TensorSpec spec{"x", TensorType::kInt8, {1}};
  EXPECT_EQ(error_of([&] { read_tensor_file(dir.file("none.bin"), spec); }),
            "cannot open '" + dir.file("none.bin") + "': No such file or directory");
  EXPECT_THROW(write_tensor_file(dir.file("no/such/dir/o.bin"), spec, {0}), ToolError);
}

TEST(TensorIo, FileExtensionIsLowerCasedAndIgnoresDirectoryDots) {
  EXPECT_EQ(file_extension("a/b.NPY"), ".npy");
  EXPECT_EQ(file_extension("a.d/b"), "");
  EXPECT_EQ(file_extension("x.tar.gz"), ".gz");
}

}  // namespace
}  // namespace kiln::host
