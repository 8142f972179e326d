// kiln target run --board NAME MODEL --input FILE... [--output FILE...] [--json]
//                 [--port DEV --baud N] [--firmware ELF]
// Runs a model on a board through the firmware agent (QEMU for emulated
// boards, a serial port for real ones). Input and output files are read and
// written exactly as `kiln run` does (kiln_host tensor_io, --real/--round).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "kiln/host/csv.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/model_file.h"
#include "kiln/host/model_report.h"
#include "kiln/host/run_io.h"
#include "kiln/host/tensor_io.h"
#include "target_session.h"

namespace kiln::cli {

namespace {

using nlohmann::json;

struct TargetRunOptions {
  std::string model;
  std::vector<std::string> inputs, outputs;
  target::SessionOptions session;
  bool json = false, real = false, round = false;
};

constexpr size_t kPrintedValues = 16;

uint32_t input_tensor(const host::LoadedModel& m, uint32_t i) { return static_cast<uint32_t>(m.model().inputs()[i]); }
uint32_t output_tensor(const host::LoadedModel& m, uint32_t i) { return static_cast<uint32_t>(m.model().outputs()[i]); }

json output_json(const TargetRunOptions& o, const host::LoadedModel& m, uint32_t i, const std::vector<uint8_t>& data) {
  const host::TensorSpec spec = m.spec(output_tensor(m, i));
  if (data.size() != spec.byte_size()) host::fail("output " + std::to_string(i) + ": the agent returned " +
                                                  std::to_string(data.size()) + " bytes, expected " + std::to_string(spec.byte_size()));
  return host::run_output_json(m, output_tensor(m, i), data, SIZE_MAX, i < o.outputs.size() ? o.outputs[i] : std::string(),
                               {o.real, o.round});
}

void print_text(const json& r) {
  std::printf("%s on %s (%s)\n", r["file"].get<std::string>().c_str(), r["board"].get<std::string>().c_str(),
              r["agent"].get<std::string>().c_str());
  const json& s = r["stats"];
  std::printf("  %s instructions retired, %s cycles per inference\n",
              host::human_count(s["instret"].get<uint64_t>()).c_str(), host::human_count(s["cycles"].get<uint64_t>()).c_str());
  std::printf("  arena %u of %u bytes, stack high-water %u of %u bytes\n", s["arena_required"].get<uint32_t>(),
              s["arena_available"].get<uint32_t>(), s["stack_high_water"].get<uint32_t>(), s["stack_bytes"].get<uint32_t>());
  std::printf("  %4s  %-24s %14s %7s\n", "#", "op", "instret", "share");
  const double total = std::max(1.0, s["instret"].get<double>());
  for (const json& op : s["ops"]) {
    const double n = op["instret"].get<double>();
    std::printf("  %4u  %-24s %14.0f %6.1f%%\n", op["index"].get<uint32_t>(), op["name"].get<std::string>().c_str(), n,
                100.0 * n / total);
  }
  for (const json& out : r["outputs"]) {
    std::string text;
    const json& v = out["values"];
    for (size_t k = 0; k < v.size() && k < kPrintedValues; ++k) text += (k ? " " : "") + v[k].dump();
    if (v.size() > kPrintedValues) text += " ... (" + std::to_string(v.size()) + " values)";
    std::printf("output t%d '%s' %s%s: %s\n", out["index"].get<int>(), host::short_name(out["name"].get<std::string>()).c_str(),
                out["type"].get<std::string>().c_str(), host::shape_string(out["shape"].get<std::vector<int32_t>>()).c_str(),
                text.c_str());
    if (out.contains("file")) std::printf("  wrote %s\n", out["file"].get<std::string>().c_str());
  }
}

void target_run(const TargetRunOptions& o) {
  const host::LoadedModel m(o.model);
  const uint32_t inputs = m.model().inputs().size(), outputs = m.model().outputs().size();
  host::check_input_count(m, o.inputs.size());
  if (o.outputs.size() > outputs) {
    host::fail("the model has " + std::to_string(outputs) + " output(s), got " + std::to_string(o.outputs.size()) +
               " --output file(s)");
  }
  std::vector<std::vector<uint8_t>> sample;
  for (uint32_t i = 0; i < inputs; ++i) sample.push_back(host::read_run_input(m, input_tensor(m, i), o.inputs[i], {o.real, o.round}));

  std::unique_ptr<target::TargetSession> session;
  json report = {{"file", o.model}, {"board", o.session.board}};
  try {
    session = target::TargetSession::open(o.session);
    session->load_model(host::read_file_bytes(o.model));
    const auto result = session->run_batch({sample});
    const target::InvokeStats st = session->last_stats();
    report["agent"] = session->info().name;
    json ops = json::array();
    for (uint32_t i = 0; i < st.op_instret.size(); ++i) {
      ops.push_back({{"index", i}, {"name", m.op_name(i)}, {"instret", st.op_instret[i]}});
    }
    report["stats"] = {{"instret", st.instret}, {"cycles", st.cycles}, {"arena_required", st.arena_required},
                       {"arena_available", st.arena_available}, {"stack_high_water", st.stack_high_water},
                       {"stack_bytes", st.stack_bytes}, {"ops", ops}};
    report["outputs"] = json::array();
    for (uint32_t i = 0; i < outputs; ++i) report["outputs"].push_back(output_json(o, m, i, result.at(0).at(i)));
  } catch (const host::ToolError&) {
    throw;
  } catch (const std::runtime_error& e) {
    host::fail(e.what());
  }
  if (o.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    print_text(report);
  }
}

}  // namespace

void register_target(CLI::App& app) {
  CLI::App* group = app.add_subcommand("target", "Run models on a board through the kiln firmware agent");
  group->require_subcommand(1);
  auto opts = std::make_shared<TargetRunOptions>();
  CLI::App* cmd = group->add_subcommand("run", "Run a model on a board (QEMU for emulated boards) and report its statistics");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_option("--board", opts->session.board, "Board (boards/<name>)")->capture_default_str();
  cmd->add_option("-i,--input", opts->inputs, "Input file, once per model input in order (as `kiln run`)")->take_all();
  cmd->add_option("-o,--output", opts->outputs, "Output file, in model output order (as `kiln run`)")->take_all();
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->add_flag("--real", opts->real, "Inputs hold real numbers; quantized outputs are written as float32 reals");
  cmd->add_flag("--round", opts->round, "Allow rounding when input data has a wider type than the tensor");
  cmd->add_option("--port", opts->session.port, "Serial device of a real board (default: QEMU)");
  cmd->add_option("--baud", opts->session.baud, "Serial baud rate")->capture_default_str();
  cmd->add_option("--firmware", opts->session.firmware,
                  "Agent ELF for QEMU (default: $KILN_AGENT_ELF, else the rv32imac cross build's kiln_agent.elf)");
  cmd->callback([opts] { target_run(*opts); });
}

}  // namespace kiln::cli
