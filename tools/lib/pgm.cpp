// Netpbm graymaps (P5 binary, P2 ascii) with maxval up to 255.
#include <algorithm>
#include <cctype>

#include "kiln/host/error.h"
#include "kiln/host/image.h"

namespace kiln::host {

namespace {

constexpr uint32_t kMaxSide = 1u << 15;

class PgmReader {
 public:
  PgmReader(const std::vector<uint8_t>& b, const std::string& what) : b_(b), what_(what) {}

  // Skips whitespace and '#' comments, then reads a decimal number.
  uint32_t number(const char* field) {
    skip_space_and_comments();
    uint64_t v = 0;
    size_t digits = 0;
    while (pos_ < b_.size() && std::isdigit(b_[pos_])) {
      v = v * 10 + (b_[pos_++] - '0');
      if (v > UINT32_MAX) fail(what_ + ": PGM " + field + " is too large");
      ++digits;
    }
    if (digits == 0) fail(what_ + ": PGM " + field + " is missing or not a number");
    return static_cast<uint32_t>(v);
  }
  // P5: exactly one whitespace byte separates maxval from the raster.
  void single_space() {
    if (pos_ >= b_.size() || !std::isspace(b_[pos_])) fail(what_ + ": PGM header must end with one whitespace");
    ++pos_;
  }
  size_t pos() const { return pos_; }
  void seek(size_t p) { pos_ = p; }

 private:
  void skip_space_and_comments() {
    while (pos_ < b_.size()) {
      if (std::isspace(b_[pos_])) {
        ++pos_;
      } else if (b_[pos_] == '#') {
        while (pos_ < b_.size() && b_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }
  const std::vector<uint8_t>& b_;
  const std::string& what_;
  size_t pos_ = 0;
};

}  // namespace

GrayImage decode_pgm(const std::vector<uint8_t>& file, const std::string& what) {
  if (file.size() < 2 || file[0] != 'P' || (file[1] != '5' && file[1] != '2')) {
    fail(what + ": not a PGM file (expected P5 or P2)");
  }
  const bool binary = file[1] == '5';
  PgmReader rd(file, what);
  rd.seek(2);
  GrayImage img;
  img.width = rd.number("width");
  img.height = rd.number("height");
  const uint32_t maxval = rd.number("maxval");
  if (img.width == 0 || img.height == 0 || img.width > kMaxSide || img.height > kMaxSide) {
    fail(what + ": invalid PGM size " + std::to_string(img.width) + "x" + std::to_string(img.height));
  }
  if (maxval == 0 || maxval > 255) {
    fail(what + ": PGM maxval " + std::to_string(maxval) + " is not supported (1..255)");
  }
  const size_t n = static_cast<size_t>(img.width) * img.height;
  img.pixels.resize(n);
  if (binary) {
    rd.single_space();
    if (file.size() - rd.pos() < n) fail(what + ": PGM pixel data is truncated");
    std::copy(file.begin() + static_cast<long>(rd.pos()), file.begin() + static_cast<long>(rd.pos() + n),
              img.pixels.begin());
  } else {
    for (size_t i = 0; i < n; ++i) {
      const uint32_t v = rd.number("pixel");
      if (v > maxval) fail(what + ": PGM pixel value " + std::to_string(v) + " exceeds maxval " + std::to_string(maxval));
      img.pixels[i] = static_cast<uint8_t>(v);
    }
  }
  for (uint8_t p : img.pixels) {
    if (p > maxval) fail(what + ": PGM pixel value " + std::to_string(p) + " exceeds maxval " + std::to_string(maxval));
  }
  return img;
}

}  // namespace kiln::host
