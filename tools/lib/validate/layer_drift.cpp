#include "kiln/validate/layer_drift.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "kiln/host/error.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/validate/metrics.h"

namespace kiln::validate {

namespace {

using model::BuiltinOp;
using model::TensorType;

bool is_conversion(const host::LoadedModel& m, uint32_t op) {
  const int32_t code = m.model().op(op).builtin_code;
  return code == static_cast<int32_t>(BuiltinOp::kQuantize) || code == static_cast<int32_t>(BuiltinOp::kDequantize);
}

// Activations and graph inputs: tensors without constant data.
bool is_activation(const host::LoadedModel& m, uint32_t t) {
  return m.model().tensor_data(t).data == nullptr && !m.model().tensor(t).is_variable;
}

// A tensor's values as reals: float32 copied, per-tensor quantized types
// dequantized. Empty when the tensor holds neither.
std::vector<float> tensor_reals(const runtime::Tensor& t, const model::TensorView& view) {
  const uint32_t n = t.elements();
  std::vector<float> out;
  if (t.data == nullptr) return out;
  if (t.type == TensorType::kFloat32 && t.bytes == n * 4) {
    out.resize(n);
    std::memcpy(out.data(), t.data, t.bytes);
    return out;
  }
  if (!view.quant.present() || view.quant.per_channel()) return out;
  const double scale = view.quant.scale[0];
  const double zp = view.quant.zero_point.size() > 0 ? static_cast<double>(view.quant.zero_point[0]) : 0.0;
  out.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    double q = 0;
    switch (t.type) {
      case TensorType::kInt8: q = static_cast<int8_t>(t.data[i]); break;
      case TensorType::kUInt8: q = t.data[i]; break;
      case TensorType::kInt16: {
        int16_t v;
        std::memcpy(&v, t.data + 2 * i, 2);
        q = v;
        break;
      }
      default: return {};
    }
    out[i] = static_cast<float>((q - zp) * scale);
  }
  return out;
}

struct Match {
  int32_t float_tensor = -1;
  std::string how;
};

// int8 tensor index -> float tensor, following the rules in the header.
std::vector<Match> match_tensors(const host::LoadedModel& fm, const host::LoadedModel& qm, std::string* matching) {
  std::vector<Match> m(qm.model().tensor_count());
  std::map<std::string, int32_t> float_by_name;
  for (uint32_t t = 0; t < fm.model().tensor_count(); ++t) {
    const std::string name = fm.tensor_name(t);
    if (!name.empty() && is_activation(fm, t)) float_by_name.emplace(name, static_cast<int32_t>(t));
  }
  size_t by_name = 0;
  for (uint32_t t = 0; t < qm.model().tensor_count(); ++t) {
    if (!is_activation(qm, t)) continue;
    auto it = float_by_name.find(qm.tensor_name(t));
    if (it != float_by_name.end()) m[t] = {it->second, "name"}, ++by_name;
  }
  *matching = "name";
  if (by_name == 0) {
    *matching = "order";
    std::vector<uint32_t> fops, qops;
    for (uint32_t k = 0; k < fm.model().operator_count(); ++k) {
      if (!is_conversion(fm, k)) fops.push_back(k);
    }
    for (uint32_t k = 0; k < qm.model().operator_count(); ++k) {
      if (!is_conversion(qm, k)) qops.push_back(k);
    }
    for (size_t k = 0; k < std::min(fops.size(), qops.size()); ++k) {
      const auto fo = fm.model().op(fops[k]).outputs;
      const auto qo = qm.model().op(qops[k]).outputs;
      if (fo.size() == 0 || qo.size() == 0 || fo[0] < 0 || qo[0] < 0) continue;
      if (fm.model().tensor(static_cast<uint32_t>(fo[0])).element_count() !=
          qm.model().tensor(static_cast<uint32_t>(qo[0])).element_count()) {
        continue;
      }
      m[static_cast<uint32_t>(qo[0])] = {fo[0], "order"};
    }
  }
  const auto fin = fm.model().inputs();
  const auto qin = qm.model().inputs();
  for (uint32_t i = 0; i < std::min(fin.size(), qin.size()); ++i) {
    Match& q = m[static_cast<uint32_t>(qin[i])];
    if (q.float_tensor < 0) q = {fin[i], "input"};
  }
  for (uint32_t k = 0; k < qm.model().operator_count(); ++k) {
    if (!is_conversion(qm, k)) continue;
    const model::OperatorView op = qm.model().op(k);
    if (op.inputs.size() < 1 || op.outputs.size() < 1 || op.inputs[0] < 0 || op.outputs[0] < 0) continue;
    Match& in = m[static_cast<uint32_t>(op.inputs[0])];
    Match& out = m[static_cast<uint32_t>(op.outputs[0])];
    if (out.float_tensor < 0 && in.float_tensor >= 0) out = {in.float_tensor, "quantize"};
  }
  // Backwards too: the int8 tensor a final DEQUANTIZE reads stands for the
  // float output its result was named after.
  for (uint32_t k = qm.model().operator_count(); k-- > 0;) {
    if (!is_conversion(qm, k)) continue;
    const model::OperatorView op = qm.model().op(k);
    if (op.inputs.size() < 1 || op.outputs.size() < 1 || op.inputs[0] < 0 || op.outputs[0] < 0) continue;
    Match& in = m[static_cast<uint32_t>(op.inputs[0])];
    const Match& out = m[static_cast<uint32_t>(op.outputs[0])];
    if (in.float_tensor < 0 && out.float_tensor >= 0) in = {out.float_tensor, "quantize"};
  }
  return m;
}

// What the observers share during one run.
struct Capture {
  const host::LoadedModel* model = nullptr;
  runtime::Interpreter* interp = nullptr;
  // Float run: values of watched float tensors. Int8 run: compared against them.
  std::map<int32_t, std::vector<float>>* float_values = nullptr;
  const std::vector<Match>* matches = nullptr;        // int8 run only
  std::map<int32_t, PowerSums>* sums = nullptr;       // int8 run only, by int8 tensor
  std::map<int32_t, std::string>* notes = nullptr;
  const std::vector<bool>* watched = nullptr;         // float run only
};

void record(Capture& c, int32_t t) {
  const runtime::Tensor* rt = c.interp->tensor(static_cast<uint32_t>(t));
  if (rt == nullptr) return;
  std::vector<float> reals = tensor_reals(*rt, c.model->model().tensor(static_cast<uint32_t>(t)));
  const std::string name = c.model->tensor_name(static_cast<uint32_t>(t));
  if (c.sums == nullptr) {  // float run
    if (!(*c.watched)[static_cast<uint32_t>(t)]) return;
    if (reals.empty()) {
      (*c.notes)[t] = "float tensor '" + name + "' is not float32";
      return;
    }
    (*c.float_values)[t] = std::move(reals);
    return;
  }
  const Match& m = (*c.matches)[static_cast<uint32_t>(t)];
  if (m.float_tensor < 0) return;
  auto ref = c.float_values->find(m.float_tensor);
  if (ref == c.float_values->end()) return;
  if (reals.empty()) {
    (*c.notes)[t] = "int8 tensor '" + name + "' is neither float32 nor quantized per tensor";
    return;
  }
  if (reals.size() != ref->second.size()) {
    (*c.notes)[t] = "tensor '" + name + "': " + std::to_string(reals.size()) + " values in the int8 model, " +
                    std::to_string(ref->second.size()) + " in the float model";
    return;
  }
  (*c.sums)[t].add(ref->second.data(), reals.data(), reals.size());
}

void after_op(void* user, uint32_t op) {
  Capture& c = *static_cast<Capture*>(user);
  const auto outs = c.model->model().op(op).outputs;
  for (uint32_t i = 0; i < outs.size(); ++i) {
    if (outs[i] >= 0) record(c, outs[i]);
  }
}

void run_with_capture(host::HostInterpreter& hi, Capture& c, const std::vector<uint8_t>& input) {
  runtime::Interpreter& in = hi.get();
  if (in.input(0)->bytes != input.size()) host::fail("internal: input size differs from the model's");
  in.reset_state();
  std::memcpy(in.input(0)->data, input.data(), input.size());
  for (uint32_t i = 0; i < in.input_count(); ++i) record(c, in.input_tensor_index(i));
  in.set_observer({&after_op, &c});
  hi.invoke();
  in.set_observer({});
}

double capped(double db) { return std::max(-kSqnrCapDb, std::min(kSqnrCapDb, db)); }

}  // namespace

LayerDriftReport measure_layer_drift(const host::LoadedModel& float_model, const host::LoadedModel& int8_model,
                                     const std::vector<std::vector<uint8_t>>& float_inputs,
                                     const std::vector<std::vector<uint8_t>>& int8_inputs) {
  LayerDriftReport report;
  const std::vector<Match> matches = match_tensors(float_model, int8_model, &report.matching);
  std::vector<bool> watched(float_model.model().tensor_count(), false);
  for (const Match& m : matches) {
    if (m.float_tensor >= 0) watched[static_cast<uint32_t>(m.float_tensor)] = true;
  }
  host::HostInterpreter fi(float_model);
  host::HostInterpreter qi(int8_model);
  std::map<int32_t, std::vector<float>> float_values;
  std::map<int32_t, PowerSums> sums;
  std::map<int32_t, std::string> notes;
  Capture fc{&float_model, &fi.get(), &float_values, nullptr, nullptr, &notes, &watched};
  Capture qc{&int8_model, &qi.get(), &float_values, &matches, &sums, &notes, nullptr};
  const size_t n = std::min(float_inputs.size(), int8_inputs.size());
  for (size_t s = 0; s < n; ++s) {
    float_values.clear();
    run_with_capture(fi, fc, float_inputs[s]);
    run_with_capture(qi, qc, int8_inputs[s]);
  }
  report.samples = n;
  for (const auto& kv : notes) report.notes.push_back(kv.second);

  auto measured = [&](int32_t t, double* db) {
    auto it = sums.find(t);
    if (it == sums.end()) return false;
    *db = it->second.sqnr();
    return true;
  };
  double worst_loss = 0.0;
  for (uint32_t k = 0; k < int8_model.model().operator_count(); ++k) {
    const model::OperatorView op = int8_model.model().op(k);
    double own = kSqnrCapDb * 2, db = 0;
    int32_t first = -1;
    for (uint32_t i = 0; i < op.outputs.size(); ++i) {
      if (op.outputs[i] >= 0 && measured(op.outputs[i], &db)) {
        if (first < 0 || db < own) own = db;
        if (first < 0) first = op.outputs[i];
      }
    }
    if (first < 0) continue;
    double in = kSqnrCapDb;
    for (uint32_t i = 0; i < op.inputs.size(); ++i) {
      if (op.inputs[i] >= 0 && measured(op.inputs[i], &db)) in = std::min(in, capped(db));
    }
    LayerDrift l;
    l.op = k;
    l.op_name = int8_model.op_name(k);
    l.tensor = int8_model.tensor_name(static_cast<uint32_t>(first));
    l.matched_by = matches[static_cast<uint32_t>(first)].how;
    l.sqnr_db = own;
    l.loss_db = capped(in) - capped(own);
    report.layers.push_back(l);
    // Conversions at the graph's edges are not layers a user can fix.
    if (!is_conversion(int8_model, k) && (report.worst < 0 || l.loss_db > worst_loss)) {
      worst_loss = l.loss_db;
      report.worst = static_cast<int>(report.layers.size() - 1);
    }
  }
  return report;
}

}  // namespace kiln::validate
