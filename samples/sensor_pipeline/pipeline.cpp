// Sensor pipeline threads; see pipeline.h for the structure.
#include "pipeline.h"

#include <string.h>

#include "kiln/runtime/ops.h"

// Host defaults (ASan needs room); an RTOS build sets them from its config.
#ifndef KILN_PIPELINE_STACK_BYTES
#define KILN_PIPELINE_STACK_BYTES (64 * 1024)
#endif
#ifndef KILN_PIPELINE_INFERENCE_STACK_BYTES
#define KILN_PIPELINE_INFERENCE_STACK_BYTES (256 * 1024)
#endif

namespace kiln::samples {

namespace {

KILN_OSAL_STACK_DEFINE(sampler_stack, KILN_PIPELINE_STACK_BYTES);
KILN_OSAL_STACK_DEFINE(comms_stack, KILN_PIPELINE_STACK_BYTES);
KILN_OSAL_STACK_DEFINE(inference_stack, KILN_PIPELINE_INFERENCE_STACK_BYTES);

void update_max(uint64_t* m, uint64_t v) {
  if (v > *m) *m = v;
}

// A synthetic sensor: a slow triangle wave with a little structure.
int16_t sensor_read(uint32_t n) {
  const int32_t phase = static_cast<int32_t>(n % 200);
  return static_cast<int16_t>((phase < 100 ? phase : 200 - phase) * 50 - 2500 + static_cast<int32_t>(n % 7));
}

}  // namespace

SensorPipeline::SensorPipeline(const model::Model& model, uint8_t* arena, size_t arena_size)
    : service_(model, runtime::all_ops(), arena, arena_size) {}

bool SensorPipeline::stopping() const { return __atomic_load_n(&stop_, __ATOMIC_ACQUIRE) != 0; }

void SensorPipeline::sampler_main(void* self) {
  SensorPipeline& p = *static_cast<SensorPipeline*>(self);
  const PipelineConfig& c = p.config_;
  PipelineReport& r = p.report_;
  uint64_t release = p.start_us_;
  while (!p.stopping()) {
    release += c.sample_period_us;
    osal::sleep_until_us(release);
    const uint64_t woke = osal::now_us();
    const int16_t value = sensor_read(r.samples);
    p.ring_lock_.lock();
    const uint64_t locked = osal::now_us();
    p.ring_[p.ring_head_ % kRingSamples] = value;
    ++p.ring_head_;
    p.ring_lock_.unlock();
    const uint64_t done = osal::now_us();
    ++r.samples;
    update_max(&r.sampler_max_jitter_us, woke - release);
    update_max(&r.sampler_max_lock_wait_us, locked - woke);
    update_max(&r.sampler_max_exec_us, done - woke);
    update_max(&r.sampler_max_response_us, done - release);
    if (done > release + c.sample_period_us) {
      ++r.sampler_misses;
      // Nothing in the pipeline outranks the sampler: only the ring mutex can
      // delay it. A miss that happens even without that wait is the OS's
      // wake-up latency (a host kernel / VM is not an RTOS).
      if (done - (locked - woke) > release + c.sample_period_us) ++r.sampler_misses_wakeup;
    }
    if (r.samples % c.window_samples == 0) {
      // A full window: ask for an inference, never wait for the queue.
      service::Request req;
      req.id = r.samples / c.window_samples;
      req.deadline_us = done + static_cast<uint64_t>(c.sample_period_us) * c.window_samples;
      req.fill = fill_window;
      req.fill_user = &p;
      req.done = on_result;
      req.done_user = &p;
      ++r.windows;
      if (!p.service_.submit(req, 0)) ++r.windows_dropped;
    }
  }
}

void SensorPipeline::comms_main(void* self) {
  SensorPipeline& p = *static_cast<SensorPipeline*>(self);
  const PipelineConfig& c = p.config_;
  PipelineReport& r = p.report_;
  uint64_t release = p.start_us_;
  volatile uint32_t checksum = 0;
  while (!p.stopping()) {
    release += c.comms_period_us;
    osal::sleep_until_us(release);
    // "Encode and send a packet": busy work standing in for a radio stack.
    const uint64_t woke = osal::now_us();
    const uint64_t until = woke + c.comms_work_us;
    while (osal::now_us() < until) checksum = checksum * 31u + static_cast<uint32_t>(p.last_score_);
    const uint64_t done = osal::now_us();
    ++r.comms_cycles;
    update_max(&r.comms_max_response_us, done - release);
    update_max(&r.comms_max_exec_us, done - woke);
    if (done > release + c.comms_period_us) ++r.comms_misses;
  }
}

// Service thread: copy the latest window into the model input, tiled. The
// ring mutex is held for the copy only: this is the sampler's blocking term.
bool SensorPipeline::fill_window(runtime::Interpreter& interp, void* self) {
  SensorPipeline& p = *static_cast<SensorPipeline*>(self);
  runtime::Tensor* in = interp.input(0);
  if (in == nullptr || in->bytes == 0) return false;
  const uint32_t window = p.config_.window_samples;
  p.ring_lock_.lock();
  const uint64_t t0 = osal::now_us();
  const uint32_t end = p.ring_head_;
  for (size_t i = 0; i < in->bytes; ++i) {
    const uint32_t idx = (end - window + static_cast<uint32_t>(i % window)) % kRingSamples;
    in->data[i] = static_cast<uint8_t>(p.ring_[idx] >> 5);
  }
  update_max(&p.report_.inference_max_section_us, osal::now_us() - t0);
  p.ring_lock_.unlock();
  return true;
}

void SensorPipeline::on_result(const service::Result& r, runtime::Interpreter& interp, void* self) {
  SensorPipeline& p = *static_cast<SensorPipeline*>(self);
  const runtime::Tensor* out = interp.output(0);
  if (r.status == Status::kOk && out != nullptr && out->bytes >= 2) {
    p.last_score_ = static_cast<int8_t>(out->data[1]);
  }
}

Status SensorPipeline::run(const PipelineConfig& config, PipelineReport* report) {
  if (report == nullptr || config.window_samples == 0 || config.window_samples > kRingSamples ||
      config.sample_period_us == 0 || config.comms_period_us == 0) {
    return diag_.fail(Status::kInvalidArgument, "pipeline: window must be 1..%lu samples, periods > 0",
                      static_cast<unsigned long>(kRingSamples));
  }
  config_ = config;
  report_ = PipelineReport();
  ring_head_ = 0;
  __atomic_store_n(&stop_, 0, __ATOMIC_RELEASE);
  KILN_TRY(ring_lock_.init(osal::Mutex::Protocol::kInherit, diag_));

  service::ServiceConfig sc;
  sc.name = "inference";
  sc.priority = config.inference_priority;
  sc.stack = inference_stack;
  sc.stack_bytes = KILN_OSAL_STACK_SIZEOF(inference_stack);
  sc.cpu = config.cpu;
  if (service_.start(sc) != Status::kOk) {
    diag_ = service_.diag();
    return diag_.status();
  }
  osal::Thread sampler, comms;
  osal::ThreadSpec s;
  s.name = "sampler";
  s.priority = config.sampler_priority;
  s.stack = sampler_stack;
  s.stack_bytes = KILN_OSAL_STACK_SIZEOF(sampler_stack);
  s.entry = sampler_main;
  s.arg = this;
  s.cpu = config.cpu;
  osal::ThreadSpec m = s;
  m.name = "comms";
  m.priority = config.comms_priority;
  m.stack = comms_stack;
  m.stack_bytes = KILN_OSAL_STACK_SIZEOF(comms_stack);
  m.entry = comms_main;
  start_us_ = osal::now_us() + 2000;  // everyone starts on the same release
  Status st = sampler.start(s, diag_);
  if (st == Status::kOk) st = comms.start(m, diag_);
  if (st == Status::kOk) osal::sleep_until_us(start_us_ + config.duration_us);
  __atomic_store_n(&stop_, 1, __ATOMIC_RELEASE);
  sampler.join();
  comms.join();
  service_.stop();
  report_.inference = service_.stats();
  report_.realtime = sampler.realtime() && comms.realtime();
  *report = report_;
  return st;
}

}  // namespace kiln::samples
