// A .tflite file loaded into 16-byte-aligned memory and verified by the
// device core's reader, exactly as a firmware would see it.
#pragma once
#include <string>

#include "kiln/host/file_io.h"
#include "kiln/host/tensor_spec.h"
#include "kiln/model/model.h"

namespace kiln::host {

class LoadedModel {
 public:
  // Throws ToolError with the reader's Diag message when the file is missing
  // or not a valid model.
  explicit LoadedModel(const std::string& path);
  LoadedModel(const LoadedModel&) = delete;
  LoadedModel& operator=(const LoadedModel&) = delete;

  const std::string& path() const { return path_; }
  const model::Model& model() const { return model_; }
  size_t file_bytes() const { return bytes_.size(); }

  // Type, shape and name of a model tensor.
  TensorSpec spec(uint32_t tensor_index) const;
  std::string tensor_name(uint32_t tensor_index) const;
  std::string op_name(uint32_t op_index) const;
  // Sum of all constant buffers (weights, biases, lookup tables).
  size_t weight_bytes() const;

 private:
  std::string path_;
  AlignedBuffer bytes_;
  model::Model model_;
};

std::string to_string(model::Str s);

}  // namespace kiln::host
