// ONNX → float32 TFLite: reads a model with Debian's libonnx protobuf
// classes and writes it with kiln::tflite::ModelBuilder, converting NCHW
// activations to NHWC, folding BatchNormalization and fusing ReLU/ReLU6 the
// way TensorFlow Lite's converter does. Host only; every failure is a
// kiln::host::ToolError naming the ONNX node and op type.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln::onnx {

struct ImportedTensor {
  std::string name;
  std::vector<int32_t> shape;  // TFLite shape
  bool nhwc_from_nchw = false; // a 4-D ONNX NCHW tensor, stored NHWC
};

struct ImportReport {
  int64_t opset = 0;
  std::string producer;  // producer_name and version from the ONNX file
  size_t onnx_nodes = 0;
  size_t folded_batch_norms = 0;
  size_t fused_activations = 0;
  size_t removed_nodes = 0;  // Identity, Dropout
  std::map<std::string, size_t> tflite_ops;  // operator name → count
  size_t tflite_op_count = 0;
  size_t weight_bytes = 0;
  std::vector<ImportedTensor> inputs, outputs;
};

struct ImportResult {
  std::vector<uint8_t> tflite;
  ImportReport report;
};

// `serialized` is the bytes of an .onnx file.
ImportResult import_onnx(const std::string& serialized);
ImportResult import_onnx_file(const std::string& path);

}  // namespace kiln::onnx
