// 8-bit grayscale images (BMP, PGM) as model inputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/tensor_spec.h"

namespace kiln::host {

struct GrayImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> pixels;  // row-major, top row first
};

// Uncompressed BMP: 8-bit palette (gray = the palette entry's luminance; an
// identity gray palette gives the pixel byte itself) or 24/32-bit colour
// converted to gray. Bottom-up and top-down row orders both come out top-down.
GrayImage decode_bmp(const std::vector<uint8_t>& file, const std::string& what);
// Netpbm graymap: P5 (binary) or P2 (ascii), maxval <= 255.
GrayImage decode_pgm(const std::vector<uint8_t>& file, const std::string& what);

// Image into a [1,H,W,1] tensor. uint8 takes the gray value; int8 takes the
// pixel byte reinterpreted as int8 without offset (the person_detect
// convention, see testdata/models/README.md). Other types are rejected.
std::vector<uint8_t> image_to_tensor(const GrayImage& image, const TensorSpec& spec,
                                     const std::string& what);

}  // namespace kiln::host
