#include "kiln/host/image.h"

#include "kiln/host/error.h"

namespace kiln::host {

using model::TensorType;

std::vector<uint8_t> image_to_tensor(const GrayImage& image, const TensorSpec& spec,
                                     const std::string& what) {
  const std::vector<int32_t> want = {1, static_cast<int32_t>(image.height),
                                     static_cast<int32_t>(image.width), 1};
  if (spec.shape != want) {
    fail(what + ": a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
         " gray image fills a " + shape_string(want) + " tensor, but the input is " + describe(spec));
  }
  if (spec.type != TensorType::kInt8 && spec.type != TensorType::kUInt8) {
    fail(what + ": images feed only int8 or uint8 inputs, the input is " + describe(spec) +
         " (convert the image to .npy or .csv with the values the model expects)");
  }
  // int8: the same byte, read as signed (the person_detect convention).
  return image.pixels;
}

}  // namespace kiln::host
