#include "kiln/host/file_io.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "kiln/host/error.h"

namespace kiln::host {

namespace {
std::string os_reason() { return errno != 0 ? std::strerror(errno) : "unknown error"; }
}  // namespace

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail("cannot read '" + path + "': it is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot open '" + path + "': " + os_reason());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail("cannot read '" + path + "': " + os_reason());
  return bytes;
}

void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail("cannot create '" + path + "': " + os_reason());
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) fail("cannot write '" + path + "': " + os_reason());
}

void write_file_text(const std::string& path, const std::string& text) {
  write_file_bytes(path, std::vector<uint8_t>(text.begin(), text.end()));
}

std::string file_extension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

AlignedBuffer::AlignedBuffer(const std::vector<uint8_t>& bytes)
    : blocks_((bytes.size() + sizeof(Block) - 1) / sizeof(Block)), size_(bytes.size()) {
  if (!bytes.empty()) std::memcpy(blocks_.data(), bytes.data(), bytes.size());
}

}  // namespace kiln::host
