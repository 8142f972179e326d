// Writers for the TFLite builtin option tables used by the float operators
// kiln's importer emits (schema.fbs field order). Each returns an
// OptionsWriter for ModelBuilder::add_op together with its union tag.
#pragma once
#include <cstdint>
#include <vector>

#include "kiln/tflite/model_builder.h"

namespace kiln::tflite {

struct OpOptions {
  model::OptionsType type = model::OptionsType::kNone;
  OptionsWriter writer;
};

struct ConvParams {
  model::Padding padding = model::Padding::kValid;
  int32_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  model::Activation act = model::Activation::kNone;
};

OpOptions conv2d_options(const ConvParams& p);
OpOptions depthwise_conv2d_options(const ConvParams& p, int32_t depth_multiplier);
OpOptions pool2d_options(model::Padding padding, int32_t stride_h, int32_t stride_w, int32_t filter_h,
                         int32_t filter_w, model::Activation act = model::Activation::kNone);
OpOptions fully_connected_options(model::Activation act = model::Activation::kNone, bool keep_num_dims = false);
OpOptions softmax_options(float beta);
OpOptions add_options(model::Activation act = model::Activation::kNone);
OpOptions mul_options(model::Activation act = model::Activation::kNone);
OpOptions reshape_options(const std::vector<int32_t>& new_shape);
OpOptions reducer_options(bool keep_dims);
OpOptions pad_options();

}  // namespace kiln::tflite
