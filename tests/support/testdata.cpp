#include "testdata.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace kiln::testing {

std::string testdata_path(const std::string& relative) {
  return std::string(KILN_TESTDATA_DIR) + "/" + relative;
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

AlignedBytes::AlignedBytes(const std::vector<uint8_t>& bytes)
    : storage_((bytes.size() + 15) / 16), size_(bytes.size()) {
  if (!bytes.empty()) std::memcpy(storage_.data(), bytes.data(), bytes.size());
}

}  // namespace kiln::testing
