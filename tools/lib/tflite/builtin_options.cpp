#include "kiln/tflite/builtin_options.h"

namespace kiln::tflite {

namespace fb = flatbuffers;

namespace {

int8_t act_byte(model::Activation a) { return static_cast<int8_t>(a); }

}  // namespace

OpOptions conv2d_options(const ConvParams& p) {
  return {model::OptionsType::kConv2d, [p](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<int8_t>(field(0), static_cast<int8_t>(p.padding), 0);
            b.AddElement<int32_t>(field(1), p.stride_w, 0);
            b.AddElement<int32_t>(field(2), p.stride_h, 0);
            b.AddElement<int8_t>(field(3), act_byte(p.act), 0);
            b.AddElement<int32_t>(field(4), p.dilation_w, 1);
            b.AddElement<int32_t>(field(5), p.dilation_h, 1);
            return b.EndTable(start);
          }};
}

OpOptions depthwise_conv2d_options(const ConvParams& p, int32_t depth_multiplier) {
  return {model::OptionsType::kDepthwiseConv2d, [p, depth_multiplier](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<int8_t>(field(0), static_cast<int8_t>(p.padding), 0);
            b.AddElement<int32_t>(field(1), p.stride_w, 0);
            b.AddElement<int32_t>(field(2), p.stride_h, 0);
            b.AddElement<int32_t>(field(3), depth_multiplier, 0);
            b.AddElement<int8_t>(field(4), act_byte(p.act), 0);
            b.AddElement<int32_t>(field(5), p.dilation_w, 1);
            b.AddElement<int32_t>(field(6), p.dilation_h, 1);
            return b.EndTable(start);
          }};
}

OpOptions pool2d_options(model::Padding padding, int32_t stride_h, int32_t stride_w, int32_t filter_h,
                         int32_t filter_w, model::Activation act) {
  return {model::OptionsType::kPool2d, [=](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<int8_t>(field(0), static_cast<int8_t>(padding), 0);
            b.AddElement<int32_t>(field(1), stride_w, 0);
            b.AddElement<int32_t>(field(2), stride_h, 0);
            b.AddElement<int32_t>(field(3), filter_w, 0);
            b.AddElement<int32_t>(field(4), filter_h, 0);
            b.AddElement<int8_t>(field(5), act_byte(act), 0);
            return b.EndTable(start);
          }};
}

OpOptions fully_connected_options(model::Activation act, bool keep_num_dims) {
  return {model::OptionsType::kFullyConnected, [=](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<int8_t>(field(0), act_byte(act), 0);
            b.AddElement<uint8_t>(field(2), keep_num_dims ? 1 : 0, 0);
            return b.EndTable(start);
          }};
}

OpOptions softmax_options(float beta) {
  return {model::OptionsType::kSoftmax, [beta](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<float>(field(0), beta, 0.0f);
            return b.EndTable(start);
          }};
}

OpOptions add_options(model::Activation act) {
  return {model::OptionsType::kAdd, [act](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<int8_t>(field(0), act_byte(act), 0);
            return b.EndTable(start);
          }};
}

OpOptions mul_options(model::Activation act) {
  return {model::OptionsType::kMul, [act](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<int8_t>(field(0), act_byte(act), 0);
            return b.EndTable(start);
          }};
}

OpOptions reshape_options(const std::vector<int32_t>& new_shape) {
  return {model::OptionsType::kReshape, [new_shape](fb::FlatBufferBuilder& b) {
            const auto shape = b.CreateVector(new_shape);
            const auto start = b.StartTable();
            b.AddOffset(field(0), shape);
            return b.EndTable(start);
          }};
}

OpOptions reducer_options(bool keep_dims) {
  return {model::OptionsType::kReducer, [keep_dims](fb::FlatBufferBuilder& b) {
            const auto start = b.StartTable();
            b.AddElement<uint8_t>(field(0), keep_dims ? 1 : 0, 0);
            return b.EndTable(start);
          }};
}

OpOptions pad_options() {
  return {model::OptionsType::kPad, [](fb::FlatBufferBuilder& b) { return b.EndTable(b.StartTable()); }};
}

}  // namespace kiln::tflite
