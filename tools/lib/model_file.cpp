#include "kiln/host/model_file.h"

#include "kiln/host/error.h"

namespace kiln::host {

std::string to_string(model::Str s) { return s.chars != nullptr ? std::string(s.chars, s.len) : std::string(); }

LoadedModel::LoadedModel(const std::string& path) : path_(path), bytes_(read_file_bytes(path)) {
  Diag diag;
  const Status status = model_.load(bytes_.data(), bytes_.size(), diag);
  if (status != Status::kOk) {
    fail("cannot load model '" + path + "': " + diag_text(status, diag));
  }
}

TensorSpec LoadedModel::spec(uint32_t tensor_index) const {
  const model::TensorView t = model_.tensor(tensor_index);
  TensorSpec s;
  s.name = to_string(t.name);
  s.type = t.type;
  for (uint32_t i = 0; i < t.shape.size(); ++i) s.shape.push_back(t.shape[i]);
  return s;
}

std::string LoadedModel::tensor_name(uint32_t tensor_index) const {
  return to_string(model_.tensor(tensor_index).name);
}

std::string LoadedModel::op_name(uint32_t op_index) const {
  const model::OperatorView op = model_.op(op_index);
  if (op.builtin_code == static_cast<int32_t>(model::BuiltinOp::kCustom) && op.custom_code.ok()) {
    return "CUSTOM:" + to_string(op.custom_code);
  }
  char fallback[16];
  return model::builtin_op_name(op.builtin_code, fallback, sizeof fallback);
}

size_t LoadedModel::weight_bytes() const {
  size_t total = 0;
  for (uint32_t i = 0; i < model_.buffer_count(); ++i) total += model_.buffer(i).size;
  return total;
}

}  // namespace kiln::host
