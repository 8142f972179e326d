// Golden test: `kiln import` of the committed examples/fashion_mnist ONNX
// model, run in kiln FP32 on the first test images of Fashion-MNIST, gives
// torch's float outputs (reference_outputs.npy) within 1e-4 and the same
// top-1 class on every image. Needs Debian's dataset-fashion-mnist (installed
// by scripts/install-deps.sh); skipped with the reason when it is missing.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <fstream>

#include "kiln/host/npy.h"
#include "kiln/onnx/importer.h"
#include "onnx_graph.h"

namespace kiln::onnx::test {
namespace {

const std::string kModel = std::string(KILN_FASHION_MNIST_DIR) + "/fashion_mnist.onnx";
const std::string kReference = std::string(KILN_FASHION_MNIST_DIR) + "/reference_outputs.npy";
const std::string kImages = std::string(KILN_FASHION_MNIST_DATA) + "/t10k-images-idx3-ubyte.gz";

bool exists(const std::string& path) { return std::ifstream(path).good(); }

// The first `count` 28x28 images of a gzip'd IDX file, as pixel / 255.
std::vector<std::vector<float>> read_images(const std::string& path, size_t count) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  unsigned char header[16];
  std::vector<unsigned char> pixels(count * 784);
  const bool ok = gzread(f, header, 16) == 16 && gzread(f, pixels.data(), static_cast<unsigned>(pixels.size())) ==
                                                     static_cast<int>(pixels.size());
  gzclose(f);
  if (!ok || header[2] != 0x08 || header[3] != 3 || header[11] != 28 || header[15] != 28) {
    throw std::runtime_error(path + ": not a 28x28 unsigned-byte IDX image file");
  }
  std::vector<std::vector<float>> images(count, std::vector<float>(784));
  for (size_t i = 0; i < pixels.size(); ++i) images[i / 784][i % 784] = static_cast<float>(pixels[i]) / 255.0f;
  return images;
}

TEST(FashionMnistGolden, ImportedModelMatchesTorch) {
  if (!exists(kImages)) {
    GTEST_SKIP() << "SKIPPED: " << kImages << " is missing (Debian package dataset-fashion-mnist, "
                 << "installed by scripts/install-deps.sh)";
  }
  ASSERT_TRUE(exists(kModel)) << kModel << " is committed with the example";
  const std::vector<uint8_t> ref_file = host::read_file_bytes(kReference);
  const host::NpyHeader h = host::parse_npy_header(ref_file);
  ASSERT_EQ(h.shape.size(), 2u);
  ASSERT_EQ(h.shape[1], 10);
  const size_t count = static_cast<size_t>(h.shape[0]);
  const host::TensorSpec spec{"reference", model::TensorType::kFloat32,
                              {static_cast<int32_t>(count), 10}};
  const std::vector<uint8_t> ref_bytes = host::npy_to_tensor(ref_file, spec, {}, kReference);
  const float* ref = reinterpret_cast<const float*>(ref_bytes.data());

  const ImportResult r = import_onnx_file(kModel);
  EXPECT_EQ(r.report.folded_batch_norms, 1u);  // after the Gemm (torch folds Conv+BN itself)
  EXPECT_EQ(r.report.outputs.at(0).shape, (std::vector<int32_t>{1, 10}));
  const auto images = read_images(kImages, count);
  double max_err = 0.0;
  size_t same_top1 = 0;
  for (size_t i = 0; i < count; ++i) {
    const std::vector<float> out = run_tflite(r.tflite, {images[i]}).at(0);
    ASSERT_EQ(out.size(), 10u);
    size_t top = 0, ref_top = 0;
    for (size_t k = 0; k < 10; ++k) {
      max_err = std::max(max_err, static_cast<double>(std::fabs(out[k] - ref[i * 10 + k])));
      if (out[k] > out[top]) top = k;
      if (ref[i * 10 + k] > ref[i * 10 + ref_top]) ref_top = k;
    }
    same_top1 += top == ref_top;
  }
  std::printf("fashion_mnist: %zu images, max |kiln - torch| = %.3g, same top-1 on %zu\n", count, max_err, same_top1);
  EXPECT_LT(max_err, 1e-4);
  EXPECT_EQ(same_top1, count);
}

}  // namespace
}  // namespace kiln::onnx::test
