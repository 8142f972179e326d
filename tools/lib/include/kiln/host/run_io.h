// Input and output files of a model run, as `kiln run` and `kiln target run`
// read and write them: tensor files (tensor_io), or real values quantized
// with --real; outputs as JSON values (+ dequantized reals) and files.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/model_file.h"

namespace kiln::host {

struct RunFileOptions {
  bool real = false;   // files hold real values: quantize inputs, dequantize outputs
  bool round = false;  // allow rounding fractional values into integer tensors
};

// Bytes for model tensor `tensor` from `path`.
std::vector<uint8_t> read_run_input(const LoadedModel& model, uint32_t tensor, const std::string& path,
                                    const RunFileOptions& options);

// Fails naming the model's inputs when the number of --input files is wrong.
void check_input_count(const LoadedModel& model, size_t given);

// {"index","name","type","shape", "values" and "reals" when at most
// max_values elements}; writes `path` when not empty and adds "file".
nlohmann::json run_output_json(const LoadedModel& model, uint32_t tensor, const std::vector<uint8_t>& data,
                               size_t max_values, const std::string& path, const RunFileOptions& options);

}  // namespace kiln::host
