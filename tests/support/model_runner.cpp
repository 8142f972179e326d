#include "model_runner.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "kiln/runtime/op_resolver.h"

namespace kiln::testing {

ModelRunner::ModelRunner(const std::vector<uint8_t>& bytes, size_t arena_bytes)
    : model_bytes_(bytes), arena_(std::vector<uint8_t>(arena_bytes)) {
  status_ = model_.load(model_bytes_.data(), model_bytes_.size(), diag_);
  interpreter_ = std::make_unique<runtime::Interpreter>(model_, runtime::all_ops(), arena_.data(), arena_.size());
  if (status_ != Status::kOk) return;
  status_ = interpreter_->init();
  if (status_ != Status::kOk) diag_ = interpreter_->diag();
}

std::unique_ptr<ModelRunner> ModelRunner::from_file(const std::string& path, size_t arena_bytes) {
  return std::make_unique<ModelRunner>(read_file(path), arena_bytes);
}

bool ModelRunner::set_input(uint32_t i, const std::vector<uint8_t>& bytes) {
  runtime::Tensor* t = interpreter_->input(i);
  if (t == nullptr || t->bytes != bytes.size()) return false;
  if (!bytes.empty()) std::memcpy(t->data, bytes.data(), bytes.size());
  return true;
}

std::vector<uint8_t> ModelRunner::output_bytes(uint32_t i) const {
  const runtime::Tensor* t = interpreter_->output(i);
  if (t == nullptr) return {};
  return std::vector<uint8_t>(t->data, t->data + t->bytes);
}

Status ModelRunner::invoke() {
  const Status s = interpreter_->invoke();
  if (s != Status::kOk) diag_ = interpreter_->diag();
  return s;
}

std::vector<int64_t> read_csv_integers(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : text) {
    if (c == ',') c = ' ';
  }
  std::istringstream ss(text);
  std::vector<int64_t> values;
  int64_t v = 0;
  while (ss >> v) values.push_back(v);
  return values;
}

}  // namespace kiln::testing
