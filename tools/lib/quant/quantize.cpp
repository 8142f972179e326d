// quantize(): float model + calibration data -> int8 model in TFLite's scheme.
// Steps: read the graph (folding hybrid / DEQUANTIZE weights), calibrate
// activation ranges on the float model, tie ranges the int8 kernels require
// to be equal, then write every tensor and op with the flatbuffers builder.
#include "kiln/quant/quantize.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "calibrate.h"
#include "graph.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/tflite/model_builder.h"
#include "ranges.h"

namespace kiln::quant {

using host::fail;
using model::BuiltinOp;
using model::TensorType;
using namespace detail;

namespace {

bool is(int32_t code, BuiltinOp op) { return code == static_cast<int32_t>(op); }

// Operators kiln can quantize, and the version TFLite gives their int8 form.
int32_t int8_version(int32_t code) {
  switch (static_cast<BuiltinOp>(code)) {
    case BuiltinOp::kConv2d: case BuiltinOp::kDepthwiseConv2d: return 3;
    case BuiltinOp::kFullyConnected: return 4;
    case BuiltinOp::kAdd: case BuiltinOp::kSub: case BuiltinOp::kMul: case BuiltinOp::kAveragePool2d:
    case BuiltinOp::kMaxPool2d: case BuiltinOp::kSoftmax: case BuiltinOp::kConcatenation: case BuiltinOp::kPad:
    case BuiltinOp::kMean: case BuiltinOp::kRelu: case BuiltinOp::kRelu6: case BuiltinOp::kLogistic:
    case BuiltinOp::kTanh: case BuiltinOp::kDequantize: return 2;
    case BuiltinOp::kReshape: case BuiltinOp::kQuantize: return 1;
    default: return 0;
  }
}

// Ops whose int8 output must carry its (first) input's scale and zero point.
bool shares_input_params(int32_t code) {
  return is(code, BuiltinOp::kReshape) || is(code, BuiltinOp::kMaxPool2d) || is(code, BuiltinOp::kAveragePool2d) ||
         is(code, BuiltinOp::kPad) || is(code, BuiltinOp::kConcatenation);
}

bool fixed_output(int32_t code, QParams* p) {
  if (is(code, BuiltinOp::kSoftmax) || is(code, BuiltinOp::kLogistic)) {
    *p = {1.0f / 256.0f, -128};
    return true;
  }
  if (is(code, BuiltinOp::kTanh)) {
    *p = {1.0f / 128.0f, 0};
    return true;
  }
  return false;
}

struct UnionFind {
  std::vector<size_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  size_t find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(size_t a, size_t b) { parent[find(a)] = find(b); }
};

// Folds DEQUANTIZE of a constant into a float constant; returns removed ops.
std::vector<bool> fold_dequantize(Graph& g) {
  std::vector<bool> removed(g.ops.size(), false);
  for (size_t i = 0; i < g.ops.size(); ++i) {
    GraphOp& op = g.ops[i];
    if (!is(op.code, BuiltinOp::kDequantize) || op.inputs.empty() || op.outputs.empty()) continue;
    const GraphTensor& in = g.tensors[static_cast<size_t>(op.inputs[0])];
    if (!in.constant) continue;  // reported as unsupported below
    GraphTensor& out = g.tensors[static_cast<size_t>(op.outputs[0])];
    out.constant = true;
    out.type = TensorType::kFloat32;
    out.values = in.values;
    removed[i] = true;
  }
  return removed;
}

void check_supported(const Graph& g, const std::vector<bool>& removed) {
  std::string bad;
  for (size_t i = 0; i < g.ops.size(); ++i) {
    if (removed[i]) continue;
    const GraphOp& op = g.ops[i];
    if (int8_version(op.code) == 0 || !op.options_known || is(op.code, BuiltinOp::kQuantize) ||
        is(op.code, BuiltinOp::kDequantize)) {
      bad += (bad.empty() ? "" : ", ") + op.name + " (op " + std::to_string(i) + ")";
    }
  }
  if (!bad.empty()) fail("cannot quantize: unsupported operators: " + bad);
  for (size_t i = 0; i < g.ops.size(); ++i) {
    if (removed[i]) continue;
    for (const auto* list : {&g.ops[i].inputs, &g.ops[i].outputs}) {
      for (int32_t t : *list) {
        if (t < 0) continue;
        const GraphTensor& gt = g.tensors[static_cast<size_t>(t)];
        if (!gt.constant && gt.type != TensorType::kFloat32) {
          fail("op " + std::to_string(i) + " (" + g.ops[i].name + "): tensor '" + gt.name + "' is " +
               model::tensor_type_name(gt.type) + ", not float32: quantize takes a float model");
        }
      }
    }
  }
}

class Writer {
 public:
  Writer(const Graph& g, const std::vector<QParams>& act, const std::vector<bool>& has_act,
         const QuantizeOptions& opt, QuantizeReport* report)
      : g_(g), act_(act), has_act_(has_act), opt_(opt), report_(report), index_(g.tensors.size(), -1) {}

  std::vector<uint8_t> write(const std::vector<bool>& removed, const std::vector<TensorStats>& stats,
                             const std::vector<std::pair<float, float>>& ranges) {
    stats_ = &stats;
    ranges_ = &ranges;
    b_.set_description(std::string("kiln quantize: int8, ") + calibration_name(opt_.calibration) + " calibration");
    std::vector<int32_t> graph_in, graph_out;
    // Float boundaries: the float tensors keep the model's names, their int8
    // twins are "<name>_int8"; QUANTIZE ops come first.
    for (int32_t t : g_.inputs) {
      if (opt_.int8_io) {
        graph_in.push_back(activation(t, "input"));
        continue;
      }
      const GraphTensor& gt = g_.tensors[static_cast<size_t>(t)];
      const int32_t f = b_.add_tensor(TensorType::kFloat32, gt.shape, gt.name);
      const int32_t q = activation(t, "input", gt.name + "_int8");
      b_.add_op(BuiltinOp::kQuantize, {f}, {q});
      b_.set_last_op_version(int8_version(static_cast<int32_t>(BuiltinOp::kQuantize)));
      op_names_.push_back("QUANTIZE");
      graph_in.push_back(f);
    }
    std::vector<std::pair<int32_t, int32_t>> dequant;  // int8 -> float outputs
    for (int32_t t : g_.outputs) {
      if (opt_.int8_io) {
        graph_out.push_back(activation(t, "output"));
        continue;
      }
      const GraphTensor& gt = g_.tensors[static_cast<size_t>(t)];
      const int32_t q = activation(t, "output", gt.name + "_int8");
      const int32_t f = b_.add_tensor(TensorType::kFloat32, gt.shape, gt.name);
      dequant.push_back({q, f});
      graph_out.push_back(f);
    }
    for (size_t i = 0; i < g_.ops.size(); ++i) {
      if (!removed[i]) write_op(g_.ops[i]);
    }
    for (const auto& [q, f] : dequant) {
      b_.add_op(BuiltinOp::kDequantize, {q}, {f});
      b_.set_last_op_version(int8_version(static_cast<int32_t>(BuiltinOp::kDequantize)));
      op_names_.push_back("DEQUANTIZE");
    }
    b_.set_inputs(graph_in);
    b_.set_outputs(graph_out);
    if (report_ != nullptr) report_->op_names = op_names_;
    return b_.finish();
  }

 private:
  int32_t activation(int32_t t, const char* role = "activation", const std::string& name = "") {
    if (index_[static_cast<size_t>(t)] >= 0) return index_[static_cast<size_t>(t)];
    const GraphTensor& gt = g_.tensors[static_cast<size_t>(t)];
    if (!has_act_[static_cast<size_t>(t)]) fail("tensor '" + gt.name + "' was never computed during calibration");
    const QParams& q = act_[static_cast<size_t>(t)];
    const int32_t idx = b_.add_tensor(TensorType::kInt8, gt.shape, name.empty() ? gt.name : name, 0,
                                      {{q.scale}, {q.zero_point}, 0});
    index_[static_cast<size_t>(t)] = idx;
    if (report_ != nullptr) {
      TensorQuantReport r;
      r.name = name.empty() ? gt.name : name;
      r.role = role;
      const TensorStats& s = (*stats_)[static_cast<size_t>(t)];
      r.observed_min = s.min;
      r.observed_max = s.max;
      r.range_min = (*ranges_)[static_cast<size_t>(t)].first;
      r.range_max = (*ranges_)[static_cast<size_t>(t)].second;
      r.scale = {q.scale};
      r.zero_point = {q.zero_point};
      report_->tensors.push_back(r);
    }
    return idx;
  }

  const GraphTensor& constant(int32_t t, const GraphOp& op, const char* what) {
    const GraphTensor& gt = g_.tensors[static_cast<size_t>(t)];
    if (!gt.constant || gt.values.empty()) {
      fail(op.name + ": the " + std::string(what) + " '" + gt.name + "' is not a constant float tensor");
    }
    return gt;
  }

  void add_report(const std::string& name, const char* role, const std::vector<float>& scales, int32_t axis) {
    if (report_ == nullptr) return;
    TensorQuantReport r;
    r.name = name;
    r.role = role;
    r.scale = scales;
    r.zero_point.assign(scales.size(), 0);
    r.axis = axis;
    report_->tensors.push_back(r);
  }

  // Weights quantized once per (tensor, axis); their scales feed the bias.
  int32_t weights(int32_t t, int axis, const GraphOp& op, std::vector<float>* scales) {
    const auto key = std::make_pair(t, axis);
    const auto it = weights_.find(key);
    if (it != weights_.end()) {
      *scales = it->second.second;
      return it->second.first;
    }
    const GraphTensor& gt = constant(t, op, "weights");
    if (axis >= static_cast<int>(gt.shape.size())) fail(op.name + ": weights '" + gt.name + "' have too few dimensions");
    const QuantizedWeights q = quantize_weights(gt.values, gt.shape, axis);
    const uint32_t buf = b_.add_buffer_of(q.values);
    const int32_t idx = b_.add_tensor(TensorType::kInt8, gt.shape, gt.name, buf,
                                      {q.scales, std::vector<int64_t>(q.scales.size(), 0), axis < 0 ? 0 : axis});
    weights_[key] = {idx, q.scales};
    *scales = q.scales;
    add_report(gt.name, "weight", q.scales, axis < 0 ? 0 : axis);
    return idx;
  }

  int32_t bias(int32_t t, float input_scale, const std::vector<float>& w_scales, const GraphOp& op) {
    const GraphTensor& gt = constant(t, op, "bias");
    if (w_scales.size() > 1 && gt.values.size() != w_scales.size()) {
      fail(op.name + ": bias '" + gt.name + "' has " + std::to_string(gt.values.size()) + " values for " +
           std::to_string(w_scales.size()) + " output channels");
    }
    std::vector<float> scales;
    const std::vector<int32_t> q = quantize_bias(gt.values, input_scale, w_scales, &scales);
    const uint32_t buf = b_.add_buffer_of(q);
    add_report(gt.name, "bias", scales, 0);
    return b_.add_tensor(TensorType::kInt32, gt.shape, gt.name, buf,
                         {scales, std::vector<int64_t>(scales.size(), 0), 0});
  }

  // A constant operand of an elementwise/concat op: int8 per tensor (with
  // `shared` params when the op requires them), or int32 data kept as is.
  int32_t operand(int32_t t, const GraphOp& op, const QParams* shared) {
    const GraphTensor& gt = g_.tensors[static_cast<size_t>(t)];
    if (!gt.constant) return activation(t);
    if (!gt.raw.empty()) return b_.add_tensor(gt.type, gt.shape, gt.name, b_.add_buffer(gt.raw));
    QParams p;
    std::vector<int8_t> q;
    if (shared != nullptr) {
      p = *shared;
      for (float v : gt.values) q.push_back(quantize_value(v, p));
    } else {
      q = quantize_asymmetric(gt.values, &p);
    }
    (void)op;
    add_report(gt.name, "constant", {p.scale}, 0);
    if (report_ != nullptr) report_->tensors.back().zero_point = {p.zero_point};
    return b_.add_tensor(TensorType::kInt8, gt.shape, gt.name, b_.add_buffer_of(q), {{p.scale}, {p.zero_point}, 0});
  }

  void write_op(const GraphOp& op) {
    std::vector<int32_t> in, out;
    std::vector<int> drop;
    const bool weighted = is(op.code, BuiltinOp::kConv2d) || is(op.code, BuiltinOp::kDepthwiseConv2d) ||
                          is(op.code, BuiltinOp::kFullyConnected);
    if (weighted) {
      if (op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) fail(op.name + ": missing input or weights");
      const int axis = is(op.code, BuiltinOp::kConv2d) ? 0
                       : is(op.code, BuiltinOp::kDepthwiseConv2d) ? 3
                       : opt_.per_channel_fc ? 0 : -1;
      in.push_back(activation(op.inputs[0]));
      std::vector<float> w_scales;
      in.push_back(weights(op.inputs[1], axis, op, &w_scales));
      if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
        in.push_back(bias(op.inputs[2], act_[static_cast<size_t>(op.inputs[0])].scale, w_scales, op));
      } else if (op.inputs.size() > 2) {
        in.push_back(-1);
      }
      if (is(op.code, BuiltinOp::kFullyConnected)) drop = {3};  // asymmetric_quantize_inputs: hybrid only
    } else {
      const bool concat = is(op.code, BuiltinOp::kConcatenation);
      const QParams* shared = concat && !op.outputs.empty() ? &act_[static_cast<size_t>(op.outputs[0])] : nullptr;
      for (int32_t t : op.inputs) in.push_back(t < 0 ? -1 : operand(t, op, shared));
    }
    for (int32_t t : op.outputs) out.push_back(activation(t));
    b_.add_op(static_cast<BuiltinOp>(op.code), in, out, op.options_type, op.writer(drop));
    b_.set_last_op_version(int8_version(op.code));
    op_names_.push_back(op.name);
  }

  const Graph& g_;
  const std::vector<QParams>& act_;
  const std::vector<bool>& has_act_;
  const QuantizeOptions& opt_;
  QuantizeReport* report_;
  const std::vector<TensorStats>* stats_ = nullptr;
  const std::vector<std::pair<float, float>>* ranges_ = nullptr;
  std::vector<int32_t> index_;
  std::map<std::pair<int32_t, int>, std::pair<int32_t, std::vector<float>>> weights_;
  std::vector<std::string> op_names_;
  tflite::ModelBuilder b_;
};

// The written model must load and initialize in kiln's own runtime.
void check_loads(const std::vector<uint8_t>& bytes) {
  host::AlignedBuffer aligned(bytes);
  model::Model m;
  Diag diag;
  const Status st = m.load(aligned.data(), aligned.size(), diag);
  if (st != Status::kOk) fail("internal error: the quantized model does not load: " + host::diag_text(st, diag));
  struct alignas(16) Block { uint8_t b[16]; };
  std::vector<Block> arena((size_t{32} << 20) / sizeof(Block));
  runtime::Interpreter interp(m, runtime::all_ops(), reinterpret_cast<uint8_t*>(arena.data()),
                              arena.size() * sizeof(Block));
  const Status init = interp.init();
  if (init != Status::kOk) {
    fail("the quantized model does not initialize in kiln: " + host::diag_text(init, interp.diag()));
  }
}

}  // namespace

Calibration parse_calibration(const std::string& name) {
  if (name == "minmax") return Calibration::kMinMax;
  if (name == "percentile") return Calibration::kPercentile;
  if (name == "mse") return Calibration::kMse;
  fail("unknown calibration method '" + name + "' (expected minmax, percentile or mse)");
}

const char* calibration_name(Calibration c) {
  switch (c) {
    case Calibration::kMinMax: return "minmax";
    case Calibration::kPercentile: return "percentile";
    case Calibration::kMse: return "mse";
  }
  return "?";
}

std::vector<uint8_t> quantize(const std::vector<uint8_t>& float_model, const dataset::Dataset& calibration,
                              const QuantizeOptions& options, QuantizeReport* report) {
  host::AlignedBuffer aligned(float_model);
  model::Model m;
  Diag diag;
  const Status st = m.load(aligned.data(), aligned.size(), diag);
  if (st != Status::kOk) fail("float model: " + host::diag_text(st, diag));
  if (m.subgraph_count() != 1) fail("the model has " + std::to_string(m.subgraph_count()) + " subgraphs; kiln quantizes one");
  Graph g = read_graph(m);
  const std::vector<bool> removed = fold_dequantize(g);
  check_supported(g, removed);
  if (calibration.samples.empty()) fail("the calibration data set is empty");

  const bool histograms = options.calibration != Calibration::kMinMax;
  const std::vector<TensorStats> stats =
      calibrate(float_model, calibration, options.max_samples, histograms, options.progress);

  // Calibrated range of every activation, then groups that must share params.
  const size_t n = g.tensors.size();
  std::vector<std::pair<float, float>> ranges(n, {0.0f, 0.0f});
  for (size_t t = 0; t < n; ++t) {
    if (stats[t].seen) choose_range(stats[t], options.calibration, options.percentile, &ranges[t].first, &ranges[t].second);
  }
  UnionFind groups(n);
  std::vector<bool> fixed(n, false);
  std::vector<QParams> fixed_params(n);
  for (size_t i = 0; i < g.ops.size(); ++i) {
    if (removed[i]) continue;
    const GraphOp& op = g.ops[i];
    if (op.outputs.empty()) continue;
    const size_t out = static_cast<size_t>(op.outputs[0]);
    QParams p;
    if (fixed_output(op.code, &p)) fixed[out] = true, fixed_params[out] = p;
    if (!shares_input_params(op.code)) continue;
    const size_t inputs = is(op.code, BuiltinOp::kConcatenation) ? op.inputs.size() : 1;
    for (size_t k = 0; k < inputs; ++k) {
      const int32_t t = op.inputs[k];
      if (t >= 0 && !g.tensors[static_cast<size_t>(t)].constant) groups.unite(static_cast<size_t>(t), out);
    }
  }
  std::vector<std::pair<float, float>> group_range(n, {0.0f, 0.0f});
  std::vector<bool> group_seen(n, false), group_fixed(n, false);
  std::vector<QParams> group_params(n);
  for (size_t t = 0; t < n; ++t) {
    const size_t r = groups.find(t);
    if (fixed[t] && !group_fixed[r]) group_fixed[r] = true, group_params[r] = fixed_params[t];
    if (!stats[t].seen) continue;
    if (!group_seen[r]) {
      group_range[r] = ranges[t];
      group_seen[r] = true;
    }
    group_range[r].first = std::min(group_range[r].first, ranges[t].first);
    group_range[r].second = std::max(group_range[r].second, ranges[t].second);
  }
  std::vector<QParams> act(n);
  std::vector<bool> has_act(n, false);
  for (size_t t = 0; t < n; ++t) {
    const size_t r = groups.find(t);
    if (group_fixed[r]) {
      act[t] = group_params[r];
      has_act[t] = true;
    } else if (group_seen[r]) {
      act[t] = asymmetric_int8(group_range[r].first, group_range[r].second);
      has_act[t] = true;
    }
  }

  QuantizeReport local;
  QuantizeReport* rep = report != nullptr ? report : &local;
  *rep = QuantizeReport{};
  rep->calibration = options.calibration;
  rep->samples_used = options.max_samples == 0 ? calibration.samples.size()
                                               : std::min(options.max_samples, calibration.samples.size());
  Writer writer(g, act, has_act, options, rep);
  std::vector<uint8_t> out = writer.write(removed, stats, ranges);
  rep->ops_total = rep->op_names.size();
  rep->ops_quantized = static_cast<size_t>(std::count(removed.begin(), removed.end(), false));
  check_loads(out);
  return out;
}

}  // namespace kiln::quant
