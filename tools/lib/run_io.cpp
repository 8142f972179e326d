#include "kiln/host/run_io.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "kiln/host/csv.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/model_report.h"
#include "kiln/host/real_values.h"
#include "kiln/host/tensor_io.h"

namespace kiln::host {

using nlohmann::json;

std::vector<uint8_t> read_run_input(const LoadedModel& model, uint32_t tensor, const std::string& path,
                                    const RunFileOptions& options) {
  const TensorSpec spec = model.spec(tensor);
  if (!options.real) {
    ConvertPolicy policy;
    policy.allow_rounding = options.round;
    try {
      return read_tensor_file(path, spec, policy);
    } catch (const ToolError& e) {
      const bool quantized = model.model().tensor(tensor).quant.present();
      const bool fraction = std::string(e.what()).find("is not an integer") != std::string::npos;
      if (quantized && fraction) fail(std::string(e.what()) + "; to quantize real values use --real");
      throw;
    }
  }
  // Real values: raw .bin files hold float32, text and .npy any number.
  TensorSpec reals = spec;
  const std::string ext = file_extension(path);
  reals.type = ext == ".bin" || ext == ".raw" ? model::TensorType::kFloat32 : model::TensorType::kFloat64;
  const std::vector<uint8_t> raw = read_tensor_file(path, reals, {});
  std::vector<double> values(spec.element_count());
  for (size_t k = 0; k < values.size(); ++k) values[k] = load_scalar(reals.type, raw.data(), k).f;
  return from_reals(values, spec, tensor_quant(model, tensor));
}

void check_input_count(const LoadedModel& model, size_t given) {
  const auto inputs = model.model().inputs();
  if (given == inputs.size()) return;
  std::string names;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    names += (i ? ", " : "") + describe(model.spec(static_cast<uint32_t>(inputs[i])));
  }
  fail("the model has " + std::to_string(inputs.size()) + " input(s) (" + names + "), got " + std::to_string(given) +
       " --input file(s)");
}

json run_output_json(const LoadedModel& model, uint32_t tensor, const std::vector<uint8_t>& data, size_t max_values,
                     const std::string& path, const RunFileOptions& options) {
  const TensorSpec spec = model.spec(tensor);
  const auto quant = tensor_quant(model, tensor);
  json j = {{"index", tensor}, {"name", spec.name}, {"type", type_name(spec.type)}, {"shape", spec.shape}};
  const size_t n = spec.element_count();
  if (n <= max_values) {
    json values = json::array();
    for (size_t k = 0; k < n; ++k) {
      const Scalar v = load_scalar(spec.type, data.data(), k);
      if (!v.is_float) {
        values.push_back(v.i);
      } else if (!std::isfinite(v.f)) {
        values.push_back(nullptr);  // JSON has no NaN or infinity
      } else {
        // Through the shortest text that reads back the same float, so the
        // document shows 0.1 rather than 0.10000000149011612.
        values.push_back(std::strtod(format_element(spec.type, data.data(), k).c_str(), nullptr));
      }
    }
    j["values"] = values;
    if (quant) j["reals"] = to_reals(data, spec, quant);
  }
  if (!path.empty()) {
    if (options.real && quant) {
      TensorSpec reals = spec;
      reals.type = model::TensorType::kFloat32;
      const std::vector<double> r = to_reals(data, spec, quant);
      std::vector<uint8_t> bytes(reals.byte_size());
      for (size_t k = 0; k < n; ++k) {
        const float f = static_cast<float>(r[k]);
        std::memcpy(bytes.data() + 4 * k, &f, 4);
      }
      write_tensor_file(path, reals, bytes);
    } else {
      write_tensor_file(path, spec, data);
    }
    j["file"] = path;
  }
  return j;
}

}  // namespace kiln::host
