// Loads a model file and initializes an interpreter on a host arena: the
// common set-up of golden, fuzz and CLI tests.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "testdata.h"

namespace kiln::testing {

class ModelRunner {
 public:
  // Loads `bytes` and inits with all_ops() on an arena of `arena_bytes`.
  // Check status() / message() afterwards.
  explicit ModelRunner(const std::vector<uint8_t>& bytes, size_t arena_bytes = 4 << 20);
  static std::unique_ptr<ModelRunner> from_file(const std::string& path, size_t arena_bytes = 4 << 20);
  // The interpreter refers to members: not copyable, not movable.
  ModelRunner(const ModelRunner&) = delete;
  ModelRunner& operator=(const ModelRunner&) = delete;

  Status status() const { return status_; }
  std::string message() const { return diag_.message(); }
  runtime::Interpreter& interpreter() { return *interpreter_; }
  const model::Model& model() const { return model_; }

  // Copies raw bytes into input i; false if the size differs.
  bool set_input(uint32_t i, const std::vector<uint8_t>& bytes);
  std::vector<uint8_t> output_bytes(uint32_t i) const;
  Status invoke();

 private:
  AlignedBytes model_bytes_;
  AlignedBytes arena_;
  model::Model model_;
  Diag diag_;
  std::unique_ptr<runtime::Interpreter> interpreter_;
  Status status_ = Status::kOk;
};

// Parses a comma/whitespace separated list of integers.
std::vector<int64_t> read_csv_integers(const std::string& path);

}  // namespace kiln::testing
