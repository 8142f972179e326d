// The real Fashion-MNIST test set from Debian's dataset-fashion-mnist, when
// installed (scripts/install-deps.sh installs it for the example): 10,000
// gzip IDX images with labels. Skipped, and reported as skipped, without it.
#include <gtest/gtest.h>

#include <filesystem>

#include "kiln/dataset/dataset.h"

namespace kiln::dataset {
namespace {

const std::string kDir = "/usr/share/datasets/fashion-mnist/";

TEST(FashionMnist, TestSetWithLabels) {
  const std::string images = kDir + "t10k-images-idx3-ubyte.gz";
  const std::string labels = kDir + "t10k-labels-idx1-ubyte.gz";
  if (!std::filesystem::exists(images) || !std::filesystem::exists(labels)) {
    GTEST_SKIP() << "skipped: " << images << " not installed (Debian package dataset-fashion-mnist)";
  }
  OpenOptions o;
  o.labels_path = labels;
  o.preprocess.scale = 1.0f / 255.0f;
  o.num_classes = 10;
  const Dataset ds = open_dataset(images, o);
  ASSERT_EQ(ds.size(), 10000u);
  EXPECT_EQ(ds.sample_shape, (std::vector<int32_t>{28, 28}));
  ASSERT_EQ(ds.labels.size(), 10000u);
  std::vector<int> per_class(10, 0);
  for (int32_t l : ds.labels) per_class[static_cast<size_t>(l)]++;
  for (int c = 0; c < 10; ++c) EXPECT_EQ(per_class[static_cast<size_t>(c)], 1000) << c;  // balanced test set
  float lo = 1.0f, hi = 0.0f;
  for (float v : ds.samples[0]) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_LE(hi, 1.0f);
  EXPECT_EQ(ds.description.rfind("IDX t10k-images-idx3-ubyte.gz: 10000 x 28x28 ubyte", 0), 0u) << ds.description;
}

}  // namespace
}  // namespace kiln::dataset
