#include <cmath>
#include <cstdio>

#include "kiln/validate/report.h"
#include "kiln/validate/svg.h"

namespace kiln::validate {

namespace {

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1120px;color:#222;padding:0 16px}
h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.verdict{display:inline-block;padding:6px 16px;border-radius:6px;font-weight:bold;font-size:20px;color:#fff}
.pass{background:#2ca02c}.fail{background:#d62728}
table{border-collapse:collapse;margin:8px 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}tr.worst td{background:#fde0e0;font-weight:bold}
.facts td{text-align:left;border:none;padding:2px 8px}.facts td:first-child{color:#666;white-space:nowrap;vertical-align:top}
td.t,code{word-break:break-all}td.t{max-width:560px;font-size:12px}
ul.reasons li{color:#d62728;font-weight:bold}ul.notes li{color:#666}
.plot text{font-size:11px;fill:#333}.plot .val{font-size:10px}.plot .cell{font-size:11px}
.muted{color:#666;font-size:13px}
)";

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
std::string pct(const std::optional<double>& v) { return v ? fmt("%.2f%%", *v) : "&ndash;"; }
std::string db(double v) { return std::isinf(v) ? (v > 0 ? "&infin;" : "&minus;&infin;") : fmt("%.1f", v); }
std::string e(const std::string& s) { return html_escape(s); }
std::string grouped(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string stage_table(const ValidationReport& r) {
  std::string h = "<table><tr><th class=\"l\">stage</th><th class=\"l\">where</th><th>samples</th><th>accuracy</th>"
                  "<th>top-1 agreement<br>with FP32</th><th>mean |err|</th><th>max |err|</th><th>cosine<br>(mean / min)</th>"
                  "<th>vs INT8 host<br>(samples / bytes)</th><th>instructions<br>per inference</th><th>time</th></tr>";
  for (const StageReport& s : r.stages) {
    std::string bytes = "&ndash;";
    if (s.compared_bytes) {
      bytes = s.mismatched_samples == 0 ? "identical"
                                        : std::to_string(s.mismatched_samples) + " / " + std::to_string(s.mismatched_bytes);
    }
    h += "<tr><td class=\"l\">" + e(s.title) + "</td><td class=\"l\">" + e(s.where) + "</td><td>" +
         std::to_string(s.samples) + "</td><td>" + pct(s.accuracy) + "</td><td>" + pct(s.agreement) + "</td><td>" +
         fmt("%.4g", s.drift.mean_abs) + "</td><td>" + fmt("%.4g", s.drift.max_abs) + "</td><td>" +
         fmt("%.6f", s.drift.mean_cosine) + " / " + fmt("%.6f", s.drift.min_cosine) + "</td><td>" + bytes +
         "</td><td>" + (s.instructions > 0 ? grouped(s.instructions) : "&ndash;") + "</td><td>" +
         fmt("%.2f s", s.seconds) + "</td></tr>";
  }
  return h + "</table>";
}

std::string layer_section(const ValidationReport& r) {
  const LayerDriftReport& L = r.layers;
  std::string h = "<h2>Per-layer drift</h2><p class=\"muted\">SQNR of each INT8 tensor (dequantized) against the FP32 "
                  "tensor it was matched to (by " + e(L.matching) + "), over the first " + std::to_string(L.samples) +
                  " samples. <em>Lost</em> is the SQNR of a layer's inputs minus its own: the layer that loses the most "
                  "is where accuracy goes.</p>";
  if (L.worst >= 0) {
    const LayerDrift& w = L.layers[static_cast<size_t>(L.worst)];
    h += "<p><b>Worst layer:</b> op " + std::to_string(w.op) + " " + e(w.op_name) + " <code>" + e(w.tensor) +
         "</code> &mdash; SQNR " + db(w.sqnr_db) + " dB, loses " + db(w.loss_db) + " dB.</p>";
  }
  std::vector<Bar> bars;
  for (size_t i = 0; i < L.layers.size(); ++i) {
    const LayerDrift& l = L.layers[i];
    bars.push_back({std::to_string(l.op) + " " + l.op_name, l.tensor + ": " + (std::isinf(l.sqnr_db) ? std::string("inf") : fmt("%.1f", l.sqnr_db)) + " dB",
                    l.sqnr_db, static_cast<int>(i) == L.worst});
  }
  h += bar_chart_svg(bars, "SQNR (dB)");
  h += "<table><tr><th>op</th><th class=\"l\">operator</th><th class=\"l\">tensor</th><th class=\"l\">matched by</th>"
       "<th>SQNR dB</th><th>lost dB</th></tr>";
  for (size_t i = 0; i < L.layers.size(); ++i) {
    const LayerDrift& l = L.layers[i];
    h += std::string("<tr") + (static_cast<int>(i) == L.worst ? " class=\"worst\"" : "") + "><td>" +
         std::to_string(l.op) + "</td><td class=\"l\">" + e(l.op_name) + "</td><td class=\"l t\">" + e(l.tensor) +
         "</td><td class=\"l\">" + e(l.matched_by) + "</td><td>" + db(l.sqnr_db) + "</td><td>" + db(l.loss_db) +
         "</td></tr>";
  }
  h += "</table>";
  if (!L.notes.empty()) {
    h += "<ul class=\"notes\">";
    for (const std::string& n : L.notes) h += "<li>" + e(n) + "</li>";
    h += "</ul>";
  }
  return h;
}

}  // namespace

std::string to_html(const ValidationReport& r) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kiln validate: " +
                  e(r.float_model) + "</title><style>" + kStyle + "</style></head><body>";
  h += "<h1>kiln validate</h1>";
  h += std::string("<p><span class=\"verdict ") + (r.gate.passed ? "pass\">PASS" : "fail\">FAIL") + "</span></p>";
  if (!r.gate.reasons.empty()) {
    h += "<ul class=\"reasons\">";
    for (const std::string& why : r.gate.reasons) h += "<li>" + e(why) + "</li>";
    h += "</ul>";
  }
  h += "<p class=\"muted\">Gate: top-1 disagreement with FP32 &le; " + fmt("%.2f%%", 100.0 * r.max_drift) +
       ", accuracy drop &le; " + fmt("%.2f", r.max_accuracy_drop) +
       " percentage points, INT8 on the target identical to INT8 on the host byte for byte.</p>";
  if (!r.gate.notes.empty()) {
    h += "<ul class=\"notes\">";
    for (const std::string& n : r.gate.notes) h += "<li>" + e(n) + "</li>";
    h += "</ul>";
  }
  h += "<table class=\"facts\">";
  h += "<tr><td>FP32 model</td><td><code>" + e(r.float_model) + "</code></td></tr>";
  h += "<tr><td>INT8 model</td><td><code>" + e(r.int8_model) + "</code>" +
       (r.quantized_here ? " (quantized by kiln: " + e(r.calibration) + ")" : std::string()) + "</td></tr>";
  h += "<tr><td>data</td><td>" + e(r.data) + " &mdash; " + std::to_string(r.samples) + " samples, " +
       (r.has_labels ? "labels" : "no labels") + ", " + std::to_string(r.classes) + " outputs</td></tr>";
  h += "<tr><td>board</td><td>" + (r.board.empty() ? std::string("none (host only)") : e(r.board)) + "</td></tr>";
  if (!r.target.empty()) h += "<tr><td>reached by</td><td><code>" + e(r.target) + "</code></td></tr>";
  for (const std::string& f : r.model_facts) {
    const size_t colon = f.find(": ");
    h += "<tr><td>" + e(f.substr(0, colon)) + "</td><td>" + e(colon == std::string::npos ? "" : f.substr(colon + 2)) +
         "</td></tr>";
  }
  for (const StageReport& s : r.stages) {
    if (s.instructions > 0) {
      h += "<tr><td>on the target</td><td>" + grouped(s.instructions) + " instructions, " + grouped(s.cycles) +
           " cycles per inference</td></tr>";
    }
  }
  h += "</table>";
  h += "<h2>Stages</h2>" + stage_table(r);
  h += layer_section(r);
  if (r.confusion.classes > 0) {
    h += "<h2>Confusion matrix &mdash; " + e(r.confusion_stage) + "</h2>" + confusion_svg(r.confusion);
  }
  h += "<h2>Output drift &mdash; |FP32 &minus; INT8| of every output value, " + e(r.histogram_stage) + "</h2>";
  h += histogram_svg(r.histogram, "|FP32 - INT8| (dequantized output), count on a log scale");
  h += "<p class=\"muted\">Generated by kiln validate.</p></body></html>\n";
  return h;
}

}  // namespace kiln::validate
