// Sensor pipeline sample: the structure kiln recommends for edge AI on an RTOS.
//   sampler   (high priority, 1 kHz)  writes a ring buffer; every window it
//                                      asks for an inference (never blocks)
//   comms     (medium, 50 Hz)          "radio" work, publishes the last score
//   inference (low, 10 Hz)             the InferenceService thread; copies the
//                                      window out of the ring, runs the model
//                                      under a deadline of one window period
// The ring buffer is shared by sampler and inference under a priority-
// inheritance mutex, so a sampler waiting for it is never held up by comms.
// Device code: OSAL only, no heap, C headers only (runs on any OSAL port).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/model/model.h"
#include "kiln/osal/osal.h"
#include "kiln/service/inference_service.h"

namespace kiln::samples {

struct PipelineConfig {
  uint32_t sample_period_us = 1000;  // 1 kHz
  uint32_t window_samples = 100;     // one inference per 100 samples: 10 Hz
  uint32_t comms_period_us = 20000;  // 50 Hz
  uint32_t comms_work_us = 2000;     // busy time per comms cycle
  uint64_t duration_us = 3000000;
  int sampler_priority = 20;
  int comms_priority = 10;
  int inference_priority = 3;
  int cpu = 0;  // every thread on this CPU, so priorities decide (-1: any)
};

struct PipelineReport {
  // Sampler: deadline = its next release.
  uint32_t samples = 0;
  uint32_t sampler_misses = 0;
  uint32_t sampler_misses_wakeup = 0;     // of which: woke up too late (OS latency)
  uint64_t sampler_max_jitter_us = 0;     // release -> wake-up
  uint64_t sampler_max_response_us = 0;   // release -> sample stored
  uint64_t sampler_max_exec_us = 0;       // wake-up -> sample stored
  uint64_t sampler_max_lock_wait_us = 0;  // waiting for the ring mutex
  // Comms.
  uint32_t comms_cycles = 0;
  uint32_t comms_misses = 0;
  uint64_t comms_max_response_us = 0;
  uint64_t comms_max_exec_us = 0;  // wake-up -> done (its measured WCET)
  // Inference.
  uint32_t windows = 0;
  uint32_t windows_dropped = 0;  // service queue full
  uint64_t inference_max_section_us = 0;  // ring mutex held while copying a window
  service::Stats inference;
  bool realtime = false;  // priorities were enforced
};

class SensorPipeline {
 public:
  // The service thread gets `inference_stack`; the model must be loaded.
  SensorPipeline(const model::Model& model, uint8_t* arena, size_t arena_size);
  // Runs for config.duration_us and fills `report`.
  Status run(const PipelineConfig& config, PipelineReport* report);
  const Diag& diag() const { return diag_; }

 private:
  static void sampler_main(void* self);
  static void comms_main(void* self);
  static bool fill_window(runtime::Interpreter& interp, void* self);
  static void on_result(const service::Result& r, runtime::Interpreter& interp, void* self);
  bool stopping() const;

  static constexpr uint32_t kRingSamples = 1024;
  service::InferenceService service_;
  osal::Mutex ring_lock_;
  int16_t ring_[kRingSamples] = {};
  uint32_t ring_head_ = 0;  // total samples written
  volatile int32_t last_score_ = 0;
  int stop_ = 0;
  uint64_t start_us_ = 0;
  PipelineConfig config_;
  PipelineReport report_;
  Diag diag_;
};

}  // namespace kiln::samples
