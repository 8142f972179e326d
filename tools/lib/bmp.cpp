// Uncompressed Windows bitmaps reduced to 8-bit gray.
#include <cstdint>

#include "kiln/host/error.h"
#include "kiln/host/image.h"

namespace kiln::host {

namespace {

constexpr size_t kFileHeaderSize = 14;
constexpr int64_t kMaxSide = 1 << 15;

struct BmpInfo {
  uint32_t pixel_offset = 0;
  uint32_t header_size = 0;
  int64_t width = 0;
  int64_t height = 0;  // negative: rows stored top-down
  uint32_t bpp = 0;
  uint32_t colors = 0;
};

class Reader {
 public:
  Reader(const std::vector<uint8_t>& b, const std::string& what) : b_(b), what_(what) {}
  uint32_t u(size_t at, size_t n) const {
    if (at + n > b_.size()) fail(what_ + ": truncated BMP header");
    uint32_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint32_t>(b_[at + i]) << (8 * i);
    return v;
  }
  int32_t i32(size_t at) const { return static_cast<int32_t>(u(at, 4)); }

 private:
  const std::vector<uint8_t>& b_;
  const std::string& what_;
};

uint8_t luminance(uint8_t r, uint8_t g, uint8_t b) {
  // ITU-R BT.601 weights, rounded; a gray entry (r == g == b) maps to itself.
  return static_cast<uint8_t>((299u * r + 587u * g + 114u * b + 500u) / 1000u);
}

BmpInfo read_info(const std::vector<uint8_t>& file, const std::string& what) {
  const Reader rd(file, what);
  if (file.size() < 2 || file[0] != 'B' || file[1] != 'M') fail(what + ": not a BMP file (missing 'BM')");
  BmpInfo info;
  info.pixel_offset = rd.u(10, 4);
  info.header_size = rd.u(14, 4);
  if (info.header_size < 40) fail(what + ": unsupported BMP header (OS/2 core header)");
  info.width = rd.i32(18);
  info.height = rd.i32(22);
  if (rd.u(26, 2) != 1) fail(what + ": BMP must have exactly one colour plane");
  info.bpp = rd.u(28, 2);
  if (rd.u(30, 4) != 0) fail(what + ": compressed BMPs are not supported (save uncompressed)");
  info.colors = rd.u(46, 4);
  const int64_t h = info.height < 0 ? -info.height : info.height;
  if (info.width <= 0 || h == 0 || info.width > kMaxSide || h > kMaxSide) {
    fail(what + ": invalid BMP size " + std::to_string(info.width) + "x" + std::to_string(info.height));
  }
  if (info.bpp != 8 && info.bpp != 24 && info.bpp != 32) {
    fail(what + ": " + std::to_string(info.bpp) + "-bit BMPs are not supported (use 8, 24 or 32 bits)");
  }
  return info;
}

// Gray value of each palette index (8-bit images).
std::vector<uint8_t> read_palette(const std::vector<uint8_t>& file, const BmpInfo& info,
                                  const std::string& what) {
  const size_t count = info.colors == 0 ? 256 : info.colors;
  const size_t start = kFileHeaderSize + info.header_size;
  if (count > 256) fail(what + ": BMP palette has " + std::to_string(count) + " entries (max 256)");
  if (start + 4 * count > info.pixel_offset || start + 4 * count > file.size()) {
    fail(what + ": BMP palette overlaps the pixels or the end of the file");
  }
  std::vector<uint8_t> gray(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* e = &file[start + 4 * i];  // blue, green, red, reserved
    gray[i] = luminance(e[2], e[1], e[0]);
  }
  return gray;
}

}  // namespace

GrayImage decode_bmp(const std::vector<uint8_t>& file, const std::string& what) {
  const BmpInfo info = read_info(file, what);
  const bool top_down = info.height < 0;
  GrayImage img;
  img.width = static_cast<uint32_t>(info.width);
  img.height = static_cast<uint32_t>(top_down ? -info.height : info.height);
  const size_t stride = (static_cast<size_t>(img.width) * info.bpp + 31) / 32 * 4;
  if (info.pixel_offset > file.size() || stride * img.height > file.size() - info.pixel_offset) {
    fail(what + ": BMP pixel data is truncated");
  }
  std::vector<uint8_t> palette;
  if (info.bpp == 8) palette = read_palette(file, info, what);
  img.pixels.resize(static_cast<size_t>(img.width) * img.height);
  const size_t bytes_per_pixel = info.bpp / 8;
  for (uint32_t y = 0; y < img.height; ++y) {
    const uint32_t stored_row = top_down ? y : img.height - 1 - y;
    const uint8_t* row = &file[info.pixel_offset + stored_row * stride];
    for (uint32_t x = 0; x < img.width; ++x) {
      const uint8_t* p = row + x * bytes_per_pixel;
      uint8_t gray = 0;
      if (info.bpp == 8) {
        if (*p >= palette.size()) fail(what + ": BMP pixel uses palette index " + std::to_string(*p) + " beyond the palette");
        gray = palette[*p];
      } else {
        gray = luminance(p[2], p[1], p[0]);
      }
      img.pixels[static_cast<size_t>(y) * img.width + x] = gray;
    }
  }
  return img;
}

}  // namespace kiln::host
