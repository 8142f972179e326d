// Ahead-of-time compilation of a .tflite model into plain C++ for the device
// core: the interpreter prepares the model on the host, then every operator
// becomes one kernel call with its prepared parameters as constants.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/model_file.h"

namespace kiln::aot {

struct CompiledOp {
  uint32_t index = 0;
  std::string op;      // builtin name, e.g. CONV_2D
  std::string output;  // name of its first output tensor
  std::string kernel;  // the kernel function it calls
};

struct CompiledFile {
  std::string name;  // file name, e.g. kws_aot.cpp
  std::string text;
};

struct CompiledModel {
  std::string id;                  // C++ identifier: namespace kiln_aot_<id>
  size_t arena_bytes = 0;          // kArenaSize: activations + scratch + state
  size_t planned_bytes = 0;        // activations + scratch
  size_t state_bytes = 0;          // variable tensors (e.g. SVDF state)
  size_t flash_bytes = 0;          // weight and requantization arrays
  std::vector<CompiledOp> ops;
  std::vector<CompiledFile> files;  // <id>_aot.h, <id>_aot.cpp, <id>_aot_weights.cpp
};

// A valid identifier from a file stem or name: lower case, [a-z0-9_],
// never starting with a digit.
std::string identifier_from(const std::string& text);
// True when `id` can be used as given (C identifier, at most 64 characters).
bool valid_id(const std::string& id);

// Compiles `model`; throws host::ToolError naming the operator (index, name,
// reason) for anything it cannot emit, or the interpreter's prepare error.
CompiledModel compile(const host::LoadedModel& model, const std::string& id);

// Writes the files into `dir` (created if missing); returns their paths.
// Files whose content is unchanged are not rewritten, so builds stay incremental.
std::vector<std::string> write_files(const CompiledModel& compiled, const std::string& dir);

}  // namespace kiln::aot
