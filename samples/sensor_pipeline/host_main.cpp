// Host run of the sensor pipeline: sensor_pipeline MODEL.tflite [seconds] [tasks.yaml]
// Prints the report; with tasks.yaml also writes the measured task set for
// `kiln sched`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "kiln/osal/osal.h"
#include "pipeline.h"
#include "report_text.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sensor_pipeline MODEL.tflite [seconds] [tasks.yaml]\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (f == nullptr) {
    fprintf(stderr, "sensor_pipeline: error: cannot open %s\n", argv[1]);
    return 1;
  }
  struct alignas(16) Block { uint8_t b[16]; };
  std::vector<Block> model_bytes;
  std::vector<uint8_t> raw;
  for (int c; (c = fgetc(f)) != EOF;) raw.push_back(static_cast<uint8_t>(c));
  fclose(f);
  model_bytes.resize(raw.size() / 16 + 1);
  memcpy(model_bytes.data(), raw.data(), raw.size());
  static std::vector<Block> arena(1 << 16);  // 1 MiB

  kiln::Diag diag;
  kiln::model::Model model;
  if (model.load(reinterpret_cast<uint8_t*>(model_bytes.data()), raw.size(), diag) != kiln::Status::kOk) {
    fprintf(stderr, "sensor_pipeline: error: %s\n", diag.message());
    return 1;
  }
  kiln::samples::PipelineConfig config;
  if (argc > 2) config.duration_us = static_cast<uint64_t>(atof(argv[2]) * 1e6);
  printf("osal: %s\n", kiln::osal::enforcement().note);
  static kiln::samples::SensorPipeline pipeline(model, reinterpret_cast<uint8_t*>(arena.data()),
                                                arena.size() * sizeof(Block));
  kiln::samples::PipelineReport report;
  if (pipeline.run(config, &report) != kiln::Status::kOk) {
    fprintf(stderr, "sensor_pipeline: error: %s\n", pipeline.diag().message());
    return 1;
  }
  kiln::samples::print_report(report, stdout);
  if (argc > 3) {
    FILE* y = fopen(argv[3], "w");
    if (y == nullptr) {
      fprintf(stderr, "sensor_pipeline: error: cannot write %s\n", argv[3]);
      return 1;
    }
    kiln::samples::print_task_set(config, report, y);
    fclose(y);
  }
  return 0;
}
