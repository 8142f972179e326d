#include <cmath>
#include <cstdio>

#include "kiln/validate/report.h"

namespace kiln::validate {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pct(const std::optional<double>& v) { return v ? fmt("%.2f%%", *v) : "-"; }

std::string db(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt("%.1f", v);
}

std::string grouped(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace

std::string to_text(const ValidationReport& r) {
  std::string out;
  char line[512];
  out += std::string("kiln validate: ") + (r.gate.passed ? "PASS" : "FAIL") + "\n";
  out += "  float model  " + r.float_model + "\n";
  out += "  int8 model   " + r.int8_model + (r.quantized_here ? "  (quantized: " + r.calibration + ")" : "") + "\n";
  out += "  data         " + r.data + (r.has_labels ? ", with labels" : ", no labels") + "\n";
  out += "  board        " + (r.board.empty() ? std::string("none (host only)") : r.board) + "\n";
  for (const std::string& f : r.model_facts) out += "  " + f + "\n";
  out += "\n";
  std::snprintf(line, sizeof line, "  %-32s %8s %9s %10s %10s %10s %9s %16s %9s\n", "stage", "samples", "accuracy",
                "top-1 agr", "mean|err|", "max|err|", "cosine", "vs INT8 host", "time");
  out += line;
  for (const StageReport& s : r.stages) {
    std::string bytes = "-";
    if (s.compared_bytes) {
      bytes = s.mismatched_samples == 0 ? "identical"
                                        : std::to_string(s.mismatched_samples) + " smp/" +
                                              std::to_string(s.mismatched_bytes) + " B";
    }
    std::snprintf(line, sizeof line, "  %-32s %8zu %9s %10s %10.4g %10.4g %9.6f %16s %8.2fs\n", s.title.c_str(),
                  s.samples, pct(s.accuracy).c_str(), pct(s.agreement).c_str(), s.drift.mean_abs, s.drift.max_abs,
                  s.drift.mean_cosine, bytes.c_str(), s.seconds);
    out += line;
    if (s.instructions > 0) {
      out += "      on the target: " + grouped(s.instructions) + " instructions, " + grouped(s.cycles) +
             " cycles per inference\n";
    }
  }
  out += "\n  per-layer SQNR of INT8 tensors vs FP32 (" + std::to_string(r.layers.samples) +
         " samples, matched by " + r.layers.matching + "; 'lost' = input SQNR - output SQNR)\n";
  std::snprintf(line, sizeof line, "  %4s  %-20s %-36s %9s %9s\n", "op", "operator", "tensor", "SQNR dB", "lost dB");
  out += line;
  for (size_t i = 0; i < r.layers.layers.size(); ++i) {
    const LayerDrift& l = r.layers.layers[i];
    std::string name = l.tensor.size() > 36 ? "..." + l.tensor.substr(l.tensor.size() - 33) : l.tensor;
    std::snprintf(line, sizeof line, "  %4u  %-20s %-36s %9s %9s%s\n", l.op, l.op_name.c_str(), name.c_str(),
                  db(l.sqnr_db).c_str(), db(l.loss_db).c_str(),
                  static_cast<int>(i) == r.layers.worst ? "  <- worst" : "");
    out += line;
  }
  if (r.layers.worst >= 0) {
    const LayerDrift& w = r.layers.layers[static_cast<size_t>(r.layers.worst)];
    out += "  worst layer: op " + std::to_string(w.op) + " " + w.op_name + " '" + w.tensor + "' (SQNR " +
           db(w.sqnr_db) + " dB, loses " + db(w.loss_db) + " dB)\n";
  }
  for (const std::string& n : r.layers.notes) out += "  note: " + n + "\n";
  out += "\n";
  for (const std::string& n : r.gate.notes) out += "  note: " + n + "\n";
  if (r.gate.passed) {
    out += "  gate: PASS (top-1 disagreement <= " + fmt("%.2f%%", 100.0 * r.max_drift) + ", accuracy drop <= " +
           fmt("%.2f", r.max_accuracy_drop) + " points, target == host byte for byte)\n";
  } else {
    for (const std::string& why : r.gate.reasons) out += "  gate: FAIL: " + why + "\n";
  }
  return out;
}

}  // namespace kiln::validate
