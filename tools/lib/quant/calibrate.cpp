// Calibration: the float model runs op by op on the host interpreter; an
// OpObserver reads every float output while it is live in the arena.
#include "calibrate.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/tensor_spec.h"
#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"

namespace kiln::quant::detail {

using host::fail;

namespace {

struct Observer {
  const model::Model* model = nullptr;
  runtime::Interpreter* interp = nullptr;
  std::vector<TensorStats>* stats = nullptr;
  bool histogram_pass = false;

  void record(uint32_t index) {
    const runtime::Tensor* t = interp->tensor(index);
    if (t == nullptr || t->type != model::TensorType::kFloat32 || t->is_constant() || t->data == nullptr) return;
    TensorStats& s = (*stats)[index];
    const float* v = t->as<float>();
    const uint32_t n = t->elements();
    if (!histogram_pass) {
      for (uint32_t i = 0; i < n; ++i) {
        const float x = v[i];
        if (!std::isfinite(x)) continue;  // a NaN must not poison the range
        if (!s.seen) {
          s.min = s.max = x;
          s.seen = true;
        }
        s.min = std::min(s.min, x);
        s.max = std::max(s.max, x);
      }
      return;
    }
    if (!s.seen || s.histogram.empty()) return;
    const double width = (static_cast<double>(s.max) - s.min) / kHistogramBins;
    for (uint32_t i = 0; i < n; ++i) {
      if (!std::isfinite(v[i])) continue;
      size_t bin = width > 0 ? static_cast<size_t>((v[i] - static_cast<double>(s.min)) / width) : 0;
      s.histogram[std::min(bin, kHistogramBins - 1)] += 1;
    }
  }

  static void after_op(void* user, uint32_t op) {
    auto* self = static_cast<Observer*>(user);
    const model::OperatorView o = self->model->op(op);
    for (uint32_t k = 0; k < o.outputs.size(); ++k) {
      if (o.outputs[k] >= 0) self->record(static_cast<uint32_t>(o.outputs[k]));
    }
  }
};

}  // namespace

uint64_t TensorStats::count() const {
  uint64_t n = 0;
  for (uint64_t c : histogram) n += c;
  return n;
}

std::vector<TensorStats> calibrate(const std::vector<uint8_t>& model_bytes, const dataset::Dataset& data,
                                   size_t max_samples, bool histograms,
                                   const std::function<void(size_t, size_t)>& progress) {
  if (data.samples.empty()) fail("the calibration data set is empty");
  const size_t n = max_samples == 0 ? data.samples.size() : std::min(max_samples, data.samples.size());
  host::AlignedBuffer bytes(model_bytes);
  model::Model m;
  Diag diag;
  const Status st = m.load(bytes.data(), bytes.size(), diag);
  if (st != Status::kOk) fail("float model: " + host::diag_text(st, diag));
  if (m.inputs().size() != 1) {
    fail("calibration feeds one input per sample; the model has " + std::to_string(m.inputs().size()) + " inputs");
  }
  struct alignas(16) Block { uint8_t b[16]; };
  std::vector<Block> arena((size_t{64} << 20) / sizeof(Block));
  runtime::Interpreter interp(m, runtime::all_ops(), reinterpret_cast<uint8_t*>(arena.data()),
                              arena.size() * sizeof(Block));
  const Status init = interp.init();
  if (init != Status::kOk) fail("float model: " + host::diag_text(init, interp.diag()));
  runtime::Tensor* in = interp.input(0);
  if (in->type != model::TensorType::kFloat32) {
    fail(std::string("the model's input is ") + model::tensor_type_name(in->type) +
         ", not float32: quantize takes a float model");
  }
  if (data.samples.front().size() != in->elements()) {
    fail("calibration samples have " + std::to_string(data.samples.front().size()) + " values (" +
         host::shape_string(data.sample_shape) + ") but the model's input takes " + std::to_string(in->elements()));
  }

  std::vector<TensorStats> stats(m.tensor_count());
  Observer obs{&m, &interp, &stats, false};
  interp.set_observer({&Observer::after_op, &obs});
  const int passes = histograms ? 2 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    obs.histogram_pass = pass == 1;
    if (obs.histogram_pass) {
      for (TensorStats& s : stats) {
        if (s.seen) s.histogram.assign(kHistogramBins, 0);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      const std::vector<float>& sample = data.samples[i];
      if (sample.size() != in->elements()) {
        fail("calibration sample " + std::to_string(i) + " has " + std::to_string(sample.size()) +
             " values, the model's input takes " + std::to_string(in->elements()));
      }
      std::memcpy(in->data, sample.data(), in->bytes);
      obs.record(static_cast<uint32_t>(interp.input_tensor_index(0)));
      const Status run = interp.invoke();
      if (run != Status::kOk) fail("float model, sample " + std::to_string(i) + ": " + host::diag_text(run, interp.diag()));
      if (progress) progress(pass * n + i + 1, passes * n);
    }
  }
  return stats;
}

}  // namespace kiln::quant::detail
