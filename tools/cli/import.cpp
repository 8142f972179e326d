// kiln import MODEL.onnx -o MODEL.tflite [--json]
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/file_io.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/onnx/importer.h"

namespace kiln::cli {

namespace {

using nlohmann::json;

struct ImportOptions {
  std::string model;
  std::string output;
  bool json = false;
};

std::string shape_text(const std::vector<int32_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? "," : "") + std::to_string(s[i]);
  return t + "]";
}

json tensors_json(const std::vector<onnx::ImportedTensor>& tensors) {
  json list = json::array();
  for (const auto& t : tensors) {
    list.push_back({{"name", t.name}, {"shape", t.shape}, {"layout", t.nhwc_from_nchw ? "NHWC (ONNX NCHW)" : "as ONNX"}});
  }
  return list;
}

void print_text(const ImportOptions& o, const onnx::ImportReport& r, size_t bytes, size_t arena) {
  std::cout << "imported " << o.model << " (opset " << r.opset << (r.producer.empty() ? "" : ", " + r.producer)
            << "): " << r.onnx_nodes << " ONNX nodes → " << r.tflite_op_count << " TFLite operators\n";
  for (const auto& [name, count] : r.tflite_ops) std::cout << "  " << count << " × " << name << "\n";
  std::cout << "  folded BatchNormalization: " << r.folded_batch_norms << ", fused activations: "
            << r.fused_activations << ", removed Identity/Dropout: " << r.removed_nodes << "\n";
  for (const auto& t : r.inputs) {
    std::cout << "  input  " << t.name << " float32 " << shape_text(t.shape) << (t.nhwc_from_nchw ? " (NHWC)" : "") << "\n";
  }
  for (const auto& t : r.outputs) {
    std::cout << "  output " << t.name << " float32 " << shape_text(t.shape) << (t.nhwc_from_nchw ? " (NHWC)" : "") << "\n";
  }
  std::cout << "wrote " << o.output << ": " << bytes << " bytes (" << r.weight_bytes << " of constants), arena "
            << arena << " bytes in kiln\n";
}

void import_model(const ImportOptions& o) {
  const onnx::ImportResult result = onnx::import_onnx_file(o.model);
  host::write_file_bytes(o.output, result.tflite);
  // Prove kiln runs every operator written: load and prepare the model.
  const host::LoadedModel model(o.output);
  const host::HostInterpreter interp(model);
  const size_t arena = interp.get().arena_report().required_bytes;
  const onnx::ImportReport& r = result.report;
  if (!o.json) return print_text(o, r, result.tflite.size(), arena);
  const json out = {{"model", o.model},
                    {"output", o.output},
                    {"opset", r.opset},
                    {"producer", r.producer},
                    {"onnx_nodes", r.onnx_nodes},
                    {"tflite_operators", r.tflite_op_count},
                    {"operator_counts", r.tflite_ops},
                    {"folded_batch_norms", r.folded_batch_norms},
                    {"fused_activations", r.fused_activations},
                    {"removed_nodes", r.removed_nodes},
                    {"bytes", result.tflite.size()},
                    {"constant_bytes", r.weight_bytes},
                    {"arena_bytes", arena},
                    {"inputs", tensors_json(r.inputs)},
                    {"outputs", tensors_json(r.outputs)}};
  std::cout << out.dump(2) << "\n";
}

}  // namespace

void register_import(CLI::App& app) {
  auto opts = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Convert an ONNX model (PyTorch export) into a float32 TFLite model that kiln runs");
  cmd->add_option("model", opts->model, "ONNX model file")->required();
  cmd->add_option("-o,--output", opts->output, "TFLite file to write")->required();
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->callback([opts] { import_model(*opts); });
}

}  // namespace kiln::cli
