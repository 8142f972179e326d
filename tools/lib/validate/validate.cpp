#include "kiln/validate/validate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <unistd.h>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/host/real_values.h"
#include "kiln/validate/model_io.h"

namespace kiln::validate {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string percent(double fraction_or_pct, bool is_fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", is_fraction ? 100.0 * fraction_or_pct : fraction_or_pct);
  return buf;
}

// One stage's outputs: raw bytes (all outputs concatenated) and dequantized
// reals per sample.
struct StageRun {
  std::vector<std::vector<uint8_t>> raw;
  std::vector<std::vector<float>> reals;
  std::vector<size_t> top1;
  double seconds = 0.0;
};

void add_sample(const ModelIo& io, const std::vector<std::vector<uint8_t>>& outputs, StageRun& run, size_t sample) {
  if (outputs.size() != io.outputs.size()) {
    host::fail("sample " + std::to_string(sample) + ": " + std::to_string(outputs.size()) + " outputs, the model has " +
               std::to_string(io.outputs.size()));
  }
  std::vector<uint8_t> raw;
  std::vector<float> reals;
  size_t first_count = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].size() != io.outputs[i].spec.byte_size()) {
      host::fail("sample " + std::to_string(sample) + ": output " + std::to_string(i) + " has " +
                 std::to_string(outputs[i].size()) + " bytes, expected " + std::to_string(io.outputs[i].spec.byte_size()));
    }
    raw.insert(raw.end(), outputs[i].begin(), outputs[i].end());
    const std::vector<double> r = host::to_reals(outputs[i], io.outputs[i].spec, io.outputs[i].quant);
    if (i == 0) first_count = r.size();
    for (double v : r) reals.push_back(static_cast<float>(v));
  }
  run.top1.push_back(argmax(reals.data(), first_count));
  run.raw.push_back(std::move(raw));
  run.reals.push_back(std::move(reals));
}

// Stage 3 reports progress from its own thread: one line at a time.
Progress serialized(const Progress& progress) {
  if (!progress) return progress;
  auto lock = std::make_shared<std::mutex>();
  return [progress, lock](const std::string& stage, size_t done, size_t total) {
    const std::lock_guard<std::mutex> hold(*lock);
    progress(stage, done, total);
  };
}

StageRun run_on_host(const host::LoadedModel& model, const ModelIo& io, const std::vector<std::vector<uint8_t>>& inputs,
                     const std::string& stage, const Progress& progress) {
  host::HostInterpreter hi(model);
  runtime::Interpreter& in = hi.get();
  StageRun run;
  const auto t0 = Clock::now();
  for (size_t s = 0; s < inputs.size(); ++s) {
    in.reset_state();
    std::memcpy(in.input(0)->data, inputs[s].data(), inputs[s].size());
    hi.invoke();
    std::vector<std::vector<uint8_t>> outputs;
    for (uint32_t i = 0; i < in.output_count(); ++i) {
      const runtime::Tensor* t = in.output(i);
      outputs.emplace_back(t->data, t->data + t->bytes);
    }
    add_sample(io, outputs, run, s);
    if (progress) progress(stage, s + 1, inputs.size());
  }
  run.seconds = seconds_since(t0);
  return run;
}

StageRun run_on_target(Int8Target& target, const std::vector<uint8_t>& model_bytes, const ModelIo& io,
                       const std::vector<std::vector<uint8_t>>& inputs, const std::string& stage,
                       const Progress& progress, uint64_t* instructions, uint64_t* cycles) {
  target.load(model_bytes);
  Batch batch(inputs.size());
  for (size_t s = 0; s < inputs.size(); ++s) batch[s] = {inputs[s]};
  StageRun run;
  const auto t0 = Clock::now();
  const Batch outputs = target.run(batch, [&](size_t done, size_t total) {
    if (progress) progress(stage, done, total);
  });
  run.seconds = seconds_since(t0);
  if (outputs.size() != inputs.size()) {
    host::fail("the target returned outputs for " + std::to_string(outputs.size()) + " of " +
               std::to_string(inputs.size()) + " samples");
  }
  for (size_t s = 0; s < outputs.size(); ++s) add_sample(io, outputs[s], run, s);
  *instructions = target.instructions();
  *cycles = target.cycles();
  return run;
}

StageReport compare(const std::string& name, const std::string& title, const std::string& where, const StageRun& run,
                    const StageRun& reference, const dataset::Dataset& data, size_t classes) {
  StageReport r;
  r.name = name;
  r.title = title;
  r.where = where;
  r.samples = run.reals.size();
  r.seconds = run.seconds;
  DriftAccumulator drift;
  size_t agree = 0, correct = 0;
  for (size_t s = 0; s < r.samples; ++s) {
    drift.add(reference.reals[s], run.reals[s]);
    if (run.top1[s] == reference.top1[s]) ++agree;
    if (data.has_labels() && run.top1[s] == static_cast<size_t>(data.labels[s])) ++correct;
  }
  r.drift = drift.result();
  if (r.samples > 0 && classes >= 2) {
    r.agreement = 100.0 * static_cast<double>(agree) / static_cast<double>(r.samples);
    if (data.has_labels()) r.accuracy = 100.0 * static_cast<double>(correct) / static_cast<double>(r.samples);
  }
  return r;
}

void compare_bytes(StageReport& r, const StageRun& target, const StageRun& host) {
  r.compared_bytes = true;
  for (size_t s = 0; s < target.raw.size(); ++s) {
    size_t diff = 0;
    for (size_t b = 0; b < target.raw[s].size(); ++b) diff += target.raw[s][b] != host.raw[s][b];
    if (diff > 0) {
      if (r.first_mismatch < 0) r.first_mismatch = static_cast<int64_t>(s);
      ++r.mismatched_samples;
      r.mismatched_bytes += diff;
    }
  }
}

void check_data(const dataset::Dataset& data, const ModelIo& io, const std::string& which, size_t classes) {
  if (data.samples.empty()) host::fail("the data set has no samples: " + data.description);
  const size_t need = io.input.spec.element_count();
  for (size_t s = 0; s < data.samples.size(); ++s) {
    if (data.samples[s].size() != need) {
      host::fail("data samples are " + host::shape_string(data.sample_shape) + " (" +
                 std::to_string(data.samples[s].size()) + " values) but the " + which + " model's input is " +
                 host::describe(io.input.spec) + " (" + std::to_string(need) + " values)");
    }
  }
  if (!data.has_labels()) return;
  if (data.labels.size() != data.samples.size()) {
    host::fail(std::to_string(data.labels.size()) + " labels for " + std::to_string(data.samples.size()) + " samples");
  }
  if (classes < 2) host::fail("labels were given but the model is not a classifier (its first output has one value, or --regression)");
  for (size_t s = 0; s < data.labels.size(); ++s) {
    if (data.labels[s] < 0 || static_cast<size_t>(data.labels[s]) >= classes) {
      host::fail("label " + std::to_string(data.labels[s]) + " of sample " + std::to_string(s) +
                 " is outside the model's " + std::to_string(classes) + " classes");
    }
  }
}

std::vector<std::vector<uint8_t>> input_bytes(const dataset::Dataset& data, const ModelIo& io, size_t limit) {
  std::vector<std::vector<uint8_t>> out;
  const size_t n = std::min(limit, data.samples.size());
  out.reserve(n);
  for (size_t s = 0; s < n; ++s) {
    std::vector<double> v(data.samples[s].begin(), data.samples[s].end());
    out.push_back(host::from_reals(v, io.input.spec, io.input.quant));
  }
  return out;
}

std::string quantize_to_file(const ValidateOptions& o, const dataset::Dataset& data, std::string* calibration_text) {
  dataset::Dataset subset;
  const dataset::Dataset* calib = o.calibration;
  if (calib == nullptr) {
    subset.sample_shape = data.sample_shape;
    const size_t n = std::min(o.calibration_samples, data.samples.size());
    subset.samples.assign(data.samples.begin(), data.samples.begin() + static_cast<std::ptrdiff_t>(n));
    subset.description = "the first " + std::to_string(n) + " samples of the validation data";
    calib = &subset;
  }
  quant::QuantizeOptions qo;
  qo.calibration = o.calibration_method;
  qo.max_samples = o.calibration == nullptr ? 0 : o.calibration_samples;
  qo.progress = [&](size_t done, size_t total) {
    if (o.progress) o.progress("calibration", done, total);
  };
  quant::QuantizeReport qr;
  const std::vector<uint8_t> bytes = quant::quantize(host::read_file_bytes(o.float_model), *calib, qo, &qr);
  *calibration_text = std::string(quant::calibration_name(o.calibration_method)) + " calibration on " +
                      std::to_string(qr.samples_used) + " samples: " +
                      (o.calibration == nullptr ? subset.description : calib->description);
  std::string path = o.int8_out;
  if (path.empty()) {
    path = (std::filesystem::temp_directory_path() /
            ("kiln-validate-" + std::to_string(static_cast<long>(::getpid())) + ".int8.tflite"))
               .string();
  }
  host::write_file_bytes(path, bytes);
  return path;
}

std::string kib(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f KB", static_cast<double>(bytes) / 1024.0);
  return buf;
}

std::string model_fact(const char* label, const host::LoadedModel& m) {
  host::HostInterpreter hi(m);
  return std::string(label) + ": " + std::to_string(m.model().operator_count()) + " ops, " + kib(m.file_bytes()) +
         " file, " + kib(m.weight_bytes()) + " weights, " + std::to_string(hi.get().total_macs()) +
         " MACs, host arena " + std::to_string(hi.get().arena_report().required_bytes) + " B";
}

void gate(ValidationReport& r) {
  const StageReport& fp32 = r.stages[0];
  for (size_t k = 1; k < r.stages.size(); ++k) {
    const StageReport& s = r.stages[k];
    if (s.agreement) {
      const double disagreement = 1.0 - *s.agreement / 100.0;
      if (disagreement > r.max_drift) {
        r.gate.reasons.push_back(s.title + ": top-1 disagreement with FP32 is " + percent(disagreement, true) +
                                 ", above --max-drift " + percent(r.max_drift, true));
      }
    }
    if (s.accuracy && fp32.accuracy) {
      const double drop = *fp32.accuracy - *s.accuracy;
      if (drop > r.max_accuracy_drop) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "accuracy %.2f%% is %.2f points below FP32's %.2f%%, above --max-accuracy-drop %.2f",
                      *s.accuracy, drop, *fp32.accuracy, r.max_accuracy_drop);
        r.gate.reasons.push_back(s.title + ": " + buf);
      }
    }
    if (s.compared_bytes && s.mismatched_samples > 0) {
      r.gate.reasons.push_back(s.title + ": outputs differ from INT8 on host in " + std::to_string(s.mismatched_samples) +
                               " sample(s), " + std::to_string(s.mismatched_bytes) + " byte(s) (first: sample " +
                               std::to_string(s.first_mismatch) + ")");
    }
  }
  if (r.classes < 2) r.gate.notes.push_back("not a classifier (one output value, or --regression): no top-1 agreement or accuracy");
  else if (!r.has_labels) r.gate.notes.push_back("no labels: accuracy not measured, top-1 agreement only");
  if (r.board.empty()) r.gate.notes.push_back("host only: stage 3 (INT8 on the target) not run");
  r.gate.passed = r.gate.reasons.empty();
}

}  // namespace

ValidationReport run_validation(const dataset::Dataset& data, const ValidateOptions& o) {
  ValidationReport r;
  r.float_model = o.float_model;
  r.max_drift = o.max_drift;
  r.max_accuracy_drop = o.max_accuracy_drop;
  r.data = data.description;
  r.samples = data.samples.size();
  r.has_labels = data.has_labels();
  r.board = o.target != nullptr ? o.board : "";

  const host::LoadedModel fm(o.float_model);
  const ModelIo fio = model_io(fm);
  const size_t output0 = fio.outputs[0].spec.element_count();
  r.classes = o.classification ? output0 : 0;
  check_data(data, fio, "float", r.classes);

  std::string int8_path = o.int8_model;
  if (int8_path.empty()) {
    int8_path = quantize_to_file(o, data, &r.calibration);
    r.quantized_here = true;
  }
  r.int8_model = int8_path;
  const host::LoadedModel qm(int8_path);
  if (r.quantized_here && o.int8_out.empty()) {
    std::error_code ec;
    std::filesystem::remove(int8_path, ec);  // LoadedModel holds the bytes
    r.int8_model = "(quantized in memory)";
  }
  const ModelIo qio = model_io(qm);
  check_data(data, qio, "int8", r.classes);
  if (qio.outputs.size() != fio.outputs.size() || qio.outputs[0].spec.element_count() != output0) {
    host::fail("the int8 and float models' outputs differ: " + host::describe(qio.outputs[0].spec) + " vs " +
               host::describe(fio.outputs[0].spec));
  }
  r.model_facts.push_back(model_fact("FP32 model", fm));
  r.model_facts.push_back(model_fact("INT8 model", qm));

  const auto float_inputs = input_bytes(data, fio, data.samples.size());
  const auto int8_inputs = input_bytes(data, qio, data.samples.size());

  // Stage 3 runs on the target (under QEMU: its own process, its own core)
  // while stages 1 and 2 run here.
  const Progress progress = serialized(o.progress);
  uint64_t instructions = 0, cycles = 0;
  std::future<StageRun> on_target;
  if (o.target != nullptr) {
    on_target = std::async(std::launch::async, [&] {
      const std::vector<uint8_t> bytes(qm.model().bytes(), qm.model().bytes() + qm.model().byte_size());
      return run_on_target(*o.target, bytes, qio, int8_inputs, "stage 3 int8 target", progress, &instructions, &cycles);
    });
  }
  const StageRun s1 = run_on_host(fm, fio, float_inputs, "stage 1 fp32 host", progress);
  const StageRun s2 = run_on_host(qm, qio, int8_inputs, "stage 2 int8 host", progress);
  r.stages.push_back(compare("fp32-host", "Stage 1: FP32 on host", "host", s1, s1, data, r.classes));
  r.stages.push_back(compare("int8-host", "Stage 2: INT8 on host", "host", s2, s1, data, r.classes));
  const StageRun* last = &s2;
  StageRun s3;
  if (o.target != nullptr) {
    s3 = on_target.get();
    StageReport st = compare("int8-target", "Stage 3: INT8 on " + o.board, o.board, s3, s1, data, r.classes);
    r.target = o.target->describe();
    compare_bytes(st, s3, s2);
    st.instructions = instructions;
    st.cycles = cycles;
    r.stages.push_back(st);
    last = &s3;
  }

  const size_t layer_n = std::min(o.layer_samples, data.samples.size());
  if (o.progress) o.progress("per-layer drift", 0, layer_n);
  r.layers = measure_layer_drift(fm, qm, input_bytes(data, fio, layer_n), input_bytes(data, qio, layer_n));
  if (o.progress) o.progress("per-layer drift", layer_n, layer_n);

  r.confusion_stage = r.stages.back().title;
  if (r.has_labels && r.classes >= 2 && r.classes <= 100) {
    r.confusion = ConfusionMatrix(r.classes);
    for (size_t s = 0; s < last->top1.size(); ++s) r.confusion.add(static_cast<size_t>(data.labels[s]), last->top1[s]);
  }
  r.histogram_stage = r.stages.back().title;
  std::vector<float> diffs;
  for (size_t s = 0; s < last->reals.size(); ++s) {
    for (size_t i = 0; i < last->reals[s].size(); ++i) diffs.push_back(std::fabs(s1.reals[s][i] - last->reals[s][i]));
  }
  r.histogram = Histogram::of(diffs, 40);
  gate(r);
  return r;
}

}  // namespace kiln::validate
