// kiln quantize FP32.tflite --calibration DATA -o INT8.tflite
//   [--method minmax|percentile|mse] [--percentile P] [--int8-io] [--limit N]
//   [--scale S --offset O --labels FILE] [--per-channel-fc] [--json]
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.h"
#include "kiln/dataset/dataset.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/quant/quantize.h"
#include "nlohmann/json.hpp"

namespace kiln::cli {

namespace {

using nlohmann::json;

struct QuantizeArgs {
  std::string model;
  std::string data;
  std::string output;
  std::string method = "minmax";
  float percentile = 99.99f;
  float scale = 1.0f;
  float offset = 0.0f;
  size_t limit = 0;
  bool int8_io = false;
  bool per_channel_fc = false;
  bool json = false;
};

// One line on stderr, rewritten in place, at most every 1 % of the work.
void progress(size_t done, size_t total) {
  static size_t last = SIZE_MAX;
  const size_t pct = total == 0 ? 100 : done * 100 / total;
  if (pct == last && done != total) return;
  last = pct;
  std::fprintf(stderr, "\rkiln: calibrating %zu/%zu (%zu%%)%s", done, total, pct, done == total ? "\n" : "");
  std::fflush(stderr);
}

json report_json(const QuantizeArgs& a, const dataset::Dataset& ds, const quant::QuantizeReport& r, size_t bytes) {
  json j = {{"model", a.model},       {"output", a.output},
            {"data", ds.description}, {"method", quant::calibration_name(r.calibration)},
            {"samples", r.samples_used}, {"int8_io", a.int8_io},
            {"ops_quantized", r.ops_quantized}, {"ops", r.op_names},
            {"bytes", bytes}};
  j["tensors"] = json::array();
  for (const quant::TensorQuantReport& t : r.tensors) {
    json e = {{"name", t.name}, {"role", t.role}, {"scale", t.scale}, {"zero_point", t.zero_point}};
    if (t.role == "activation" || t.role == "input" || t.role == "output") {
      e["observed"] = {t.observed_min, t.observed_max};
      e["range"] = {t.range_min, t.range_max};
    } else if (t.scale.size() > 1) {
      e["axis"] = t.axis;
    }
    j["tensors"].push_back(e);
  }
  return j;
}

void print_text(const json& j) {
  std::printf("%s -> %s: %zu ops quantized (%s calibration on %zu samples), %zu bytes\n",
              j["model"].get<std::string>().c_str(), j["output"].get<std::string>().c_str(),
              j["ops_quantized"].get<size_t>(), j["method"].get<std::string>().c_str(), j["samples"].get<size_t>(),
              j["bytes"].get<size_t>());
  std::printf("data: %s\n", j["data"].get<std::string>().c_str());
  std::printf("%-12s %-14s %-24s %s\n", "role", "scale", "range", "name");
  for (const json& t : j["tensors"]) {
    const std::string role = t["role"];
    if (role == "weight" || role == "bias") continue;  // per-channel lists: see --json
    char range[64] = "";
    if (t.contains("range")) {
      std::snprintf(range, sizeof(range), "[%.4g, %.4g] zp %lld", t["range"][0].get<double>(),
                    t["range"][1].get<double>(), static_cast<long long>(t["zero_point"][0].get<int64_t>()));
    }
    std::printf("%-12s %-14.6g %-24s %s\n", role.c_str(), t["scale"][0].get<double>(), range,
                t["name"].get<std::string>().c_str());
  }
}

void run(const QuantizeArgs& a) {
  dataset::OpenOptions open;
  open.preprocess = {a.scale, a.offset};
  open.limit = a.limit;
  const dataset::Dataset ds = dataset::open_dataset(a.data, open);
  quant::QuantizeOptions o;
  o.calibration = quant::parse_calibration(a.method);
  o.percentile = a.percentile;
  o.int8_io = a.int8_io;
  o.per_channel_fc = a.per_channel_fc;
  o.progress = progress;
  quant::QuantizeReport report;
  const std::vector<uint8_t> out = quant::quantize(host::read_file_bytes(a.model), ds, o, &report);
  host::write_file_bytes(a.output, out);
  const json j = report_json(a, ds, report, out.size());
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(j);
  }
}

}  // namespace

void register_quantize(CLI::App& app) {
  auto a = std::make_shared<QuantizeArgs>();
  CLI::App* cmd = app.add_subcommand("quantize", "Post-training int8 quantization of a float model, calibrated on data");
  cmd->add_option("model", a->model, "Float TFLite model")->required();
  cmd->add_option("-c,--calibration,--data", a->data,
                  "Calibration data: IDX (.gz), .npy, a folder of .bin/.bmp/.pgm/.npy, or a JSON data set spec")
      ->required();
  cmd->add_option("-o,--output", a->output, "Int8 TFLite model to write")->required();
  cmd->add_option("--method", a->method, "Calibration: minmax, percentile or mse")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}));
  cmd->add_option("--percentile", a->percentile, "Percentile kept by --method percentile")
      ->check(CLI::Range(50.0f, 100.0f));
  cmd->add_option("--scale", a->scale, "Preprocessing: value = raw * scale + offset");
  cmd->add_option("--offset", a->offset, "Preprocessing: value = raw * scale + offset");
  cmd->add_option("--limit", a->limit, "Use at most N calibration samples (0 = all)");
  cmd->add_flag("--int8-io", a->int8_io, "Int8 model inputs and outputs (default: float, with QUANTIZE/DEQUANTIZE)");
  cmd->add_flag("--per-channel-fc", a->per_channel_fc, "Per-channel FULLY_CONNECTED weights (default per tensor)");
  cmd->add_flag("--json", a->json, "Print a JSON report instead of text");
  cmd->callback([a] { run(*a); });
}

}  // namespace kiln::cli
