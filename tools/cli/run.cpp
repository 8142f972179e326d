// kiln run MODEL --input FILE... [--output FILE...] [--json] [--repeat N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "kiln/host/csv.h"
#include "kiln/host/file_io.h"
#include "kiln/host/error.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/host/model_report.h"
#include "kiln/host/real_values.h"
#include "kiln/host/run_io.h"
#include "kiln/host/tensor_io.h"

namespace kiln::cli {

namespace {

using nlohmann::json;

struct RunOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  bool json = false;
  bool real = false;
  bool round = false;
  uint32_t repeat = 1;
};

constexpr size_t kPrintedValues = 16;    // text output shows at most this many
constexpr size_t kJsonValues = 65536;    // JSON holds values of outputs up to this size

std::vector<std::vector<uint8_t>> load_inputs(const RunOptions& o, const host::LoadedModel& model,
                                              runtime::Interpreter& interp) {
  host::check_input_count(model, o.inputs.size());
  std::vector<std::vector<uint8_t>> inputs;
  for (uint32_t i = 0; i < interp.input_count(); ++i) {
    inputs.push_back(host::read_run_input(model, static_cast<uint32_t>(interp.input_tensor_index(i)), o.inputs[i],
                                          {o.real, o.round}));
    const runtime::Tensor* t = interp.input(i);
    if (t == nullptr || t->data == nullptr || t->bytes != inputs.back().size()) {
      host::fail("input " + std::to_string(i) + ": the runtime tensor does not match the model's description");
    }
  }
  return inputs;
}

// The planner may reuse an input's memory once it is consumed, so inputs are
// copied in again before every invoke.
void copy_inputs(const std::vector<std::vector<uint8_t>>& inputs, runtime::Interpreter& interp) {
  for (uint32_t i = 0; i < inputs.size(); ++i) std::memcpy(interp.input(i)->data, inputs[i].data(), inputs[i].size());
}

struct Timing {
  std::vector<uint64_t> op_ns;  // summed over runs
  uint64_t total_ns = 0;        // summed over runs
  uint64_t min_ns = UINT64_MAX;
};

Timing run_timed(host::HostInterpreter& interp, const std::vector<std::vector<uint8_t>>& inputs,
                 uint32_t repeat) {
  Timing t;
  t.op_ns.assign(interp.get().op_count(), 0);
  for (uint32_t r = 0; r < repeat; ++r) {
    interp.get().reset_state();  // every run sees the same streaming state
    copy_inputs(inputs, interp.get());
    const auto start = std::chrono::steady_clock::now();
    interp.invoke();
    const auto ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    t.total_ns += ns;
    t.min_ns = std::min(t.min_ns, ns);
    for (uint32_t i = 0; i < t.op_ns.size(); ++i) t.op_ns[i] += interp.get().op_stats(i).ticks;
  }
  return t;
}

json output_json(const RunOptions& o, const host::LoadedModel& model, const runtime::Interpreter& interp,
                 uint32_t i) {
  const runtime::Tensor* t = interp.output(i);
  return host::run_output_json(model, static_cast<uint32_t>(interp.output_tensor_index(i)),
                               std::vector<uint8_t>(t->data, t->data + t->bytes), kJsonValues,
                               i < o.outputs.size() ? o.outputs[i] : std::string(), {o.real, o.round});
}

std::string values_text(const json& out) {
  if (!out.contains("values")) return "(too many values to show)";
  const json& v = out["values"];
  std::string s;
  for (size_t k = 0; k < v.size() && k < kPrintedValues; ++k) s += (k ? " " : "") + v[k].dump();
  if (v.size() > kPrintedValues) s += " ... (" + std::to_string(v.size()) + " values)";
  if (out.contains("reals") && v.size() <= kPrintedValues) {
    s += "  ~ real";
    char buf[32];
    for (const json& r : out["reals"]) {
      std::snprintf(buf, sizeof buf, " %.6g", r.get<double>());
      s += buf;
    }
  }
  return s;
}

void print_text(const json& r) {
  uint64_t macs = 0;
  for (const json& op : r["ops"]) macs += op["macs"].get<uint64_t>();
  std::printf("%s: %u run(s), %s per inference (min %s), %s MACs\n", r["file"].get<std::string>().c_str(),
              r["runs"].get<uint32_t>(), host::human_time(r["mean_ns"].get<uint64_t>()).c_str(),
              host::human_time(r["min_ns"].get<uint64_t>()).c_str(), host::human_count(macs).c_str());
  std::printf("  %4s  %-24s %12s %7s %12s\n", "#", "op", "mean us", "share", "MACs");
  const double total = std::max(1.0, r["mean_ns"].get<double>());
  for (const json& op : r["ops"]) {
    const double ns = op["mean_ns"].get<double>();
    std::printf("  %4u  %-24s %12.3f %6.1f%% %12llu\n", op["index"].get<uint32_t>(),
                op["name"].get<std::string>().c_str(), ns / 1e3, 100.0 * ns / total,
                static_cast<unsigned long long>(op["macs"].get<uint64_t>()));
  }
  for (const json& out : r["outputs"]) {
    std::string shape = out["type"].get<std::string>() + "[";
    for (size_t k = 0; k < out["shape"].size(); ++k) shape += (k ? "," : "") + out["shape"][k].dump();
    std::printf("output t%d '%s' %s]: %s\n", out["index"].get<int>(),
                host::short_name(out["name"].get<std::string>()).c_str(), shape.c_str(), values_text(out).c_str());
    if (out.contains("file")) std::printf("  wrote %s\n", out["file"].get<std::string>().c_str());
  }
}

void run(const RunOptions& o) {
  const host::LoadedModel model(o.model);
  host::HostInterpreter interp(model, /*timed=*/true);
  if (o.outputs.size() > interp.get().output_count()) {
    host::fail("the model has " + std::to_string(interp.get().output_count()) + " output(s), got " +
               std::to_string(o.outputs.size()) + " --output file(s)");
  }
  const auto inputs = load_inputs(o, model, interp.get());
  const Timing t = run_timed(interp, inputs, o.repeat);
  json report = {{"file", o.model}, {"runs", o.repeat}, {"mean_ns", t.total_ns / o.repeat}, {"min_ns", t.min_ns}};
  report["ops"] = json::array();
  for (uint32_t i = 0; i < t.op_ns.size(); ++i) {
    report["ops"].push_back({{"index", i}, {"name", model.op_name(i)}, {"mean_ns", t.op_ns[i] / o.repeat},
                             {"macs", interp.get().op_stats(i).macs}});
  }
  report["outputs"] = json::array();
  for (uint32_t i = 0; i < interp.get().output_count(); ++i) {
    report["outputs"].push_back(output_json(o, model, interp.get(), i));
  }
  if (o.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    print_text(report);
  }
}

}  // namespace

void register_run(CLI::App& app) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a model on input files and write its outputs");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_option("-i,--input", opts->inputs,
                  "Input file, once per model input in order (.bin .npy .csv .txt .bmp .pgm)")
      ->take_all();
  cmd->add_option("-o,--output", opts->outputs, "Output file, in model output order (.bin .npy .csv .txt)")
      ->take_all();
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->add_option("--repeat", opts->repeat, "Run N times; timings are means")->check(CLI::Range(1u, 1000000000u));
  cmd->add_flag("--real", opts->real,
                "Inputs hold real numbers, quantized with each input's scale/zero point; quantized "
                "outputs are written as real float32 values");
  cmd->add_flag("--round", opts->round, "Allow rounding when input data has a wider type than the tensor");
  cmd->callback([opts] { run(*opts); });
}

}  // namespace kiln::cli
