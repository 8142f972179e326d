// Test data lookup and file helpers (host only).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::testing {

// Absolute path of a file under testdata/.
std::string testdata_path(const std::string& relative);
// Reads a whole file; fails the current test (and returns empty) if missing.
std::vector<uint8_t> read_file(const std::string& path);

// Model bytes held 16-byte aligned, as a firmware keeps them in flash.
class AlignedBytes {
 public:
  AlignedBytes() = default;
  explicit AlignedBytes(const std::vector<uint8_t>& bytes);
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(storage_.data()); }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(storage_.data()); }
  size_t size() const { return size_; }

 private:
  struct alignas(16) Block { uint8_t b[16]; };
  std::vector<Block> storage_;
  size_t size_ = 0;
};

}  // namespace kiln::testing
