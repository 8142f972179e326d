// Sensor pipeline on Zephyr: same pipeline.cpp as the host sample, Zephyr OSAL.
#include <stdio.h>
#include <zephyr/kernel.h>

#include "pipeline.h"

namespace {
alignas(16) const uint8_t model_data[] = {
#include "person_detect.tflite.inc"
};
alignas(16) uint8_t arena[CONFIG_KILN_ARENA_SIZE];
}  // namespace

int main() {
  kiln::Diag diag;
  static kiln::model::Model model;
  if (model.load(model_data, sizeof(model_data), diag) != kiln::Status::kOk) {
    printf("kiln: model: %s\n", diag.message());
    return 1;
  }
  static kiln::samples::SensorPipeline pipeline(model, arena, sizeof(arena));
  kiln::samples::PipelineConfig config;
  config.cpu = -1;
  config.duration_us = 5000000;
  kiln::samples::PipelineReport r;
  if (pipeline.run(config, &r) != kiln::Status::kOk) {
    printf("kiln: pipeline: %s\n", pipeline.diag().message());
    return 1;
  }
  printf("sampler: %u samples, %u misses, max jitter %llu us\n", r.samples, r.sampler_misses,
         (unsigned long long)r.sampler_max_jitter_us);
  printf("inference: %u ok, %u timed out, worst run %llu us\n", r.inference.succeeded, r.inference.timed_out,
         (unsigned long long)r.inference.worst_run_us);
  return 0;
}
