// Whole-file reads and writes with errors that name the file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::host {

std::vector<uint8_t> read_file_bytes(const std::string& path);
void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
void write_file_text(const std::string& path, const std::string& text);
// Lower-case extension including the dot (".npy"), or "" when there is none.
std::string file_extension(const std::string& path);

// Bytes held 16-byte aligned: model flatbuffers must be, as in flash.
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(const std::vector<uint8_t>& bytes);
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(blocks_.data()); }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(blocks_.data()); }
  size_t size() const { return size_; }

 private:
  struct alignas(16) Block { uint8_t b[16]; };
  std::vector<Block> blocks_;
  size_t size_ = 0;
};

}  // namespace kiln::host
