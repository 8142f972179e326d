#include <cmath>

#include "kiln/validate/report.h"

namespace kiln::validate {

namespace {
using nlohmann::json;

// JSON has no infinity: SQNR of identical tensors is written as null.
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

template <typename T>
json optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json stage_json(const StageReport& s) {
  json j = {{"name", s.name},
            {"title", s.title},
            {"where", s.where},
            {"samples", s.samples},
            {"seconds", s.seconds},
            {"accuracy_percent", optional(s.accuracy)},
            {"top1_agreement_percent", optional(s.agreement)},
            {"drift",
             {{"mean_abs", s.drift.mean_abs},
              {"max_abs", s.drift.max_abs},
              {"mean_cosine", s.drift.mean_cosine},
              {"min_cosine", s.drift.min_cosine}}}};
  if (s.compared_bytes) {
    j["vs_int8_host"] = {{"mismatched_samples", s.mismatched_samples},
                         {"mismatched_bytes", s.mismatched_bytes},
                         {"first_mismatch", s.first_mismatch}};
  }
  if (s.instructions > 0) j["instructions_per_inference"] = s.instructions;
  if (s.cycles > 0) j["cycles_per_inference"] = s.cycles;
  return j;
}
}  // namespace

json to_json(const ValidationReport& r) {
  json j;
  j["passed"] = r.gate.passed;
  j["gate"] = {{"max_drift", r.max_drift},
               {"max_accuracy_drop", r.max_accuracy_drop},
               {"reasons", r.gate.reasons},
               {"notes", r.gate.notes}};
  j["float_model"] = r.float_model;
  j["int8_model"] = r.int8_model;
  j["quantized_by_validate"] = r.quantized_here;
  if (r.quantized_here) j["calibration"] = r.calibration;
  j["data"] = {{"description", r.data}, {"samples", r.samples}, {"labels", r.has_labels}, {"classes", r.classes}};
  j["board"] = r.board.empty() ? json(nullptr) : json(r.board);
  if (!r.target.empty()) j["target"] = r.target;
  j["models"] = r.model_facts;
  j["stages"] = json::array();
  for (const StageReport& s : r.stages) j["stages"].push_back(stage_json(s));
  json layers = json::array();
  for (const LayerDrift& l : r.layers.layers) {
    layers.push_back({{"op", l.op},
                      {"op_name", l.op_name},
                      {"tensor", l.tensor},
                      {"matched_by", l.matched_by},
                      {"sqnr_db", number(l.sqnr_db)},
                      {"loss_db", number(l.loss_db)}});
  }
  j["layers"] = {{"samples", r.layers.samples}, {"matching", r.layers.matching}, {"tensors", layers},
                 {"notes", r.layers.notes}};
  j["worst_layer"] = r.layers.worst >= 0 ? layers[static_cast<size_t>(r.layers.worst)] : json(nullptr);
  if (r.confusion.classes > 0) {
    json rows = json::array();
    for (size_t a = 0; a < r.confusion.classes; ++a) {
      json row = json::array();
      for (size_t b = 0; b < r.confusion.classes; ++b) row.push_back(r.confusion.at(a, b));
      rows.push_back(row);
    }
    j["confusion"] = {{"stage", r.confusion_stage}, {"rows_are", "label"}, {"matrix", rows}};
  }
  j["drift_histogram"] = {{"stage", r.histogram_stage}, {"upper", r.histogram.upper}, {"counts", r.histogram.counts}};
  return j;
}

}  // namespace kiln::validate
