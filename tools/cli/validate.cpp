// kiln validate --float FP32.tflite [--int8 INT8.tflite] --data DATA ...
// Stage 1 FP32 on host, stage 2 INT8 on host (quantizing first when no INT8
// model is given), stage 3 INT8 on the board; the gate sets the exit code.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

#include "commands.h"
#include "kiln/dataset/dataset.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/validate/report.h"
#include "kiln/validate/target_stage.h"
#include "kiln/validate/validate.h"

namespace kiln::cli {

namespace {

struct ValidateCli {
  validate::ValidateOptions v;
  std::string data, labels, calibration, calibration_method = "minmax";
  float scale = 1.0f, offset = 0.0f;
  size_t limit = 0;
  target::SessionOptions session;
  bool host_only = false;
  std::string json_path, html_path;
};

// Progress on stderr, one line per stage step. Stage 3 runs beside stages 1
// and 2, so each stage keeps its own clock and step.
class ProgressPrinter {
 public:
  void operator()(const std::string& stage, size_t done, size_t total) {
    // Every 10% on a terminal, every 25% in logs.
    const size_t steps = ::isatty(2) != 0 ? 10 : 4;
    const size_t step = total == 0 ? steps : done * steps / total;
    auto [it, first] = stages_.try_emplace(stage, State{step, std::chrono::steady_clock::now()});
    State& st = it->second;
    if (!first && step == st.last_step && done != total) return;
    st.last_step = step;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - st.start).count();
    std::fprintf(stderr, "  %-22s %6zu/%zu  %5.1f s\n", stage.c_str(), done, total, s);
    std::fflush(stderr);
  }

 private:
  struct State {
    size_t last_step;
    std::chrono::steady_clock::time_point start;
  };
  std::map<std::string, State> stages_;
};

void run(ValidateCli& o) {
  if (o.v.max_drift < 0 || o.v.max_drift > 1) host::fail("--max-drift is a fraction in [0, 1] (0.05 = 5%)");
  dataset::OpenOptions open;
  open.preprocess.scale = o.scale;
  open.preprocess.offset = o.offset;
  open.labels_path = o.labels;
  open.limit = o.limit;
  const dataset::Dataset data = dataset::open_dataset(o.data, open);
  dataset::Dataset calibration;
  if (!o.calibration.empty()) {
    if (!o.v.int8_model.empty()) host::fail("--calibration is for quantizing: not with --int8");
    dataset::OpenOptions c = open;
    c.labels_path.clear();
    c.limit = o.v.calibration_samples;
    calibration = dataset::open_dataset(o.calibration, c);
    o.v.calibration = &calibration;
  }
  o.v.calibration_method = quant::parse_calibration(o.calibration_method);
  ProgressPrinter printer;
  o.v.progress = [&printer](const std::string& stage, size_t done, size_t total) { printer(stage, done, total); };
  std::unique_ptr<validate::Int8Target> board;
  if (!o.host_only) {
    std::fprintf(stderr, "  starting %s...\n", o.session.port.empty() ? o.session.board.c_str() : o.session.port.c_str());
    board = validate::open_board(o.session);
    o.v.target = board.get();
    o.v.board = o.session.port.empty() ? o.session.board : o.session.board + " on " + o.session.port;
  }
  const validate::ValidationReport report = validate::run_validation(data, o.v);
  std::cout << validate::to_text(report) << std::flush;
  if (!o.json_path.empty()) {
    const std::string doc = validate::to_json(report).dump(2) + "\n";
    if (o.json_path == "-") std::cout << doc;
    else host::write_file_text(o.json_path, doc), std::printf("  wrote %s\n", o.json_path.c_str());
  }
  if (!o.html_path.empty()) {
    host::write_file_text(o.html_path, validate::to_html(report));
    std::printf("  wrote %s\n", o.html_path.c_str());
  }
  if (!report.gate.passed) {
    std::string why = report.gate.reasons.front();
    if (report.gate.reasons.size() > 1) why += " (and " + std::to_string(report.gate.reasons.size() - 1) + " more)";
    host::fail("validation failed: " + why);
  }
}

}  // namespace

void register_validate(CLI::App& app) {
  auto o = std::make_shared<ValidateCli>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Compare FP32 on host, INT8 on host and INT8 on the target; fail when INT8 drifts (CI gate)");
  cmd->add_option("--float", o->v.float_model, "The float32 .tflite model (stage 1)")->required();
  cmd->add_option("--int8", o->v.int8_model, "The int8 .tflite model; without it the float model is quantized first");
  cmd->add_option("--data", o->data,
                  "Validation data: IDX (.gz), .npy, a folder of .bin/.bmp/.pgm/.npy files, or a JSON spec")
      ->required();
  cmd->add_option("--labels", o->labels, "Labels: IDX labels file, labels.txt or .csv (accuracy is measured with them)");
  cmd->add_option("--scale", o->scale, "Preprocessing: value = raw * scale + offset");
  cmd->add_option("--offset", o->offset, "Preprocessing offset");
  cmd->add_option("--limit", o->limit, "Use only the first N samples");
  cmd->add_option("--calibration", o->calibration, "Calibration data when quantizing (default: the first samples of --data)");
  cmd->add_option("--calibration-samples", o->v.calibration_samples, "Calibration samples when quantizing")
      ->capture_default_str();
  cmd->add_option("--calibration-method", o->calibration_method, "minmax | percentile | mse")->capture_default_str();
  cmd->add_option("--int8-out", o->v.int8_out, "Keep the model quantized here (when --int8 is not given)");
  cmd->add_option("--board", o->session.board, "Board of stage 3")->capture_default_str();
  cmd->add_option("--port", o->session.port, "Serial device of a real board (default: the emulated board on QEMU)");
  cmd->add_option("--baud", o->session.baud, "Serial baud rate")->capture_default_str();
  cmd->add_option("--firmware", o->session.firmware, "Agent ELF for QEMU (default: $KILN_AGENT_ELF or the cross build)");
  cmd->add_flag("--host-only", o->host_only, "Skip stage 3 (no board)");
  cmd->add_flag("--regression", [o](int64_t) { o->v.classification = false; },
                "Outputs are not class scores: no top-1 agreement or accuracy (drift and stage 3 only)");
  cmd->add_option("--max-drift", o->v.max_drift, "Largest top-1 disagreement with FP32, as a fraction")
      ->capture_default_str();
  cmd->add_option("--max-accuracy-drop", o->v.max_accuracy_drop, "Largest accuracy drop below FP32, in percentage points")
      ->capture_default_str();
  cmd->add_option("--layer-samples", o->v.layer_samples, "Samples for per-layer SQNR")->capture_default_str();
  cmd->add_option("--json", o->json_path, "Write the report as JSON to FILE ('-': standard output)");
  cmd->add_option("--html", o->html_path, "Write a self-contained HTML report with plots");
  cmd->callback([o] { run(*o); });
}

}  // namespace kiln::cli
