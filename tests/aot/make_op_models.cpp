// Writes small synthetic models for the operators and variants no shipped
// model uses (MEAN, MUL, CONCATENATION, RELU, RELU6, LOGISTIC, TANH,
// QUANTIZE/DEQUANTIZE from float, hybrid FULLY_CONNECTED...), so the AOT
// equality test covers every emitter. Usage: aot_make_op_models DIR
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "kiln/tflite/model_builder.h"

namespace {

using kiln::model::BuiltinOp;
using kiln::model::OptionsType;
using kiln::model::TensorType;
using kiln::tflite::ModelBuilder;
using kiln::tflite::OptionsWriter;
using kiln::tflite::QuantSpec;
namespace fb = flatbuffers;

using kiln::tflite::float_bits;
using kiln::tflite::scalar_options;

QuantSpec q(float scale, int64_t zp) { return QuantSpec{{scale}, {zp}, 0}; }

ModelBuilder unary(BuiltinOp op, TensorType type, QuantSpec in_q, QuantSpec out_q, OptionsType ot = OptionsType::kNone,
                   OptionsWriter ow = nullptr) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(type, {1, 16}, "x", 0, in_q);
  const int32_t y = b.add_tensor(type, {1, 16}, "y", 0, out_q);
  b.add_op(op, {x}, {y}, ot, ow);
  b.set_inputs({x});
  b.set_outputs({y});
  return b;
}

ModelBuilder mean_int8() {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt8, {1, 3, 3, 4}, "x", 0, q(0.5f, 3));
  const int32_t a = b.add_tensor(TensorType::kInt32, {2}, "axes", b.add_buffer_of<int32_t>({1, 2}));
  const int32_t o = b.add_tensor(TensorType::kInt8, {1, 1, 1, 4}, "o", 0, q(0.25f, -1));
  b.add_op(BuiltinOp::kMean, {x, a}, {o}, OptionsType::kReducer, scalar_options({{0, 1, 1}}));
  b.set_inputs({x});
  b.set_outputs({o});
  return b;
}

ModelBuilder mul_int8() {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt8, {2, 4}, "x", 0, q(0.05f, 2));
  const int32_t y = b.add_tensor(TensorType::kInt8, {1, 4}, "y", 0, q(0.1f, -3));
  const int32_t o = b.add_tensor(TensorType::kInt8, {2, 4}, "o", 0, q(0.02f, 1));
  b.add_op(BuiltinOp::kMul, {x, y}, {o});
  b.set_inputs({x, y});
  b.set_outputs({o});
  return b;
}

ModelBuilder concat_int16_with_constant() {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kInt16, {2, 1}, "x", 0, q(1.0f, 0));
  const int32_t y = b.add_tensor(TensorType::kInt16, {2, 2}, "y", 0, q(1.0f, 0));
  const int32_t z = b.add_tensor(TensorType::kInt16, {2, 1}, "z", b.add_buffer_of<int16_t>({-7, 300}), q(1.0f, 0));
  const int32_t o = b.add_tensor(TensorType::kInt16, {2, 4}, "o", 0, q(1.0f, 0));
  b.add_op(BuiltinOp::kConcatenation, {x, y, z}, {o}, OptionsType::kConcatenation, scalar_options({{0, -1, 4}}));
  b.set_inputs({x, y});
  b.set_outputs({o});
  return b;
}

ModelBuilder quantize_float_round_trip() {
  ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kFloat32, {8}, "x");
  const int32_t m = b.add_tensor(TensorType::kInt8, {8}, "m", 0, q(0.05f, 3));
  const int32_t n = b.add_tensor(TensorType::kInt16, {8}, "n", 0, q(0.01f, 0));
  const int32_t o = b.add_tensor(TensorType::kFloat32, {8}, "o");
  b.add_op(BuiltinOp::kQuantize, {x}, {m});
  b.add_op(BuiltinOp::kQuantize, {m}, {n});
  b.add_op(BuiltinOp::kDequantize, {n}, {o});
  b.set_inputs({x});
  b.set_outputs({o});
  return b;
}

ModelBuilder hybrid_fully_connected() {
  ModelBuilder b;
  std::vector<int8_t> w(3 * 8);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
  const int32_t x = b.add_tensor(TensorType::kFloat32, {1, 8}, "x");
  const int32_t wt = b.add_tensor(TensorType::kInt8, {3, 8}, "weights", b.add_buffer_of<int8_t>(w),
                                  QuantSpec{{0.02f, 0.03f, 0.01f}, {0, 0, 0}, 0});
  const int32_t bias = b.add_tensor(TensorType::kFloat32, {3}, "bias", b.add_buffer_of<float>({0.5f, -0.25f, 0.0f}));
  const int32_t o = b.add_tensor(TensorType::kFloat32, {1, 3}, "o");
  b.add_op(BuiltinOp::kFullyConnected, {x, wt, bias}, {o}, OptionsType::kFullyConnected, scalar_options({{0, 1, 1}}));
  b.set_inputs({x});
  b.set_outputs({o});
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: aot_make_op_models DIR\n");
    return 2;
  }
  const std::vector<std::pair<std::string, std::function<ModelBuilder()>>> models = {
      {"mean_int8", mean_int8},
      {"mul_int8", mul_int8},
      {"concat_int16", concat_int16_with_constant},
      {"quantize_float", quantize_float_round_trip},
      {"hybrid_fc", hybrid_fully_connected},
      {"relu_int8", [] { return unary(BuiltinOp::kRelu, TensorType::kInt8, q(0.5f, -10), q(0.25f, 5)); }},
      {"relu_float", [] { return unary(BuiltinOp::kRelu, TensorType::kFloat32, {}, {}); }},
      {"relu6_int8", [] { return unary(BuiltinOp::kRelu6, TensorType::kInt8, q(0.1f, -20), q(0.1f, -20)); }},
      {"relu6_float", [] { return unary(BuiltinOp::kRelu6, TensorType::kFloat32, {}, {}); }},
      {"logistic_int8", [] { return unary(BuiltinOp::kLogistic, TensorType::kInt8, q(1.0f / 16, 0), q(1.0f / 256, -128)); }},
      {"logistic_float", [] { return unary(BuiltinOp::kLogistic, TensorType::kFloat32, {}, {}); }},
      {"tanh_int8", [] { return unary(BuiltinOp::kTanh, TensorType::kInt8, q(1.0f / 16, 0), q(1.0f / 128, 0)); }},
      {"tanh_float", [] { return unary(BuiltinOp::kTanh, TensorType::kFloat32, {}, {}); }},
      {"leaky_relu_float", [] {
         return unary(BuiltinOp::kLeakyRelu, TensorType::kFloat32, {}, {}, OptionsType::kLeakyRelu,
                      scalar_options({{0, float_bits(0.25f), -4}}));
       }},
  };
  for (const auto& [name, make] : models) {
    const std::vector<uint8_t> bytes = make().finish();
    const std::string path = std::string(argv[1]) + "/" + name + ".tflite";
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
  }
  return 0;
}
