// TensorFlow Lite Micro's figures on this kind of machine, from
// ../shared/notes/tflm-figures.md and testdata/models/golden/README.md
// (TFLM commit 90b983c, reference kernels, GCC 12.2). 0 = not reported.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::bench {

struct TflmFigures {
  std::string model;            // path under testdata/models
  std::string golden;           // golden folder with input_0.bin, or ""
  uint32_t arena_x86 = 0;       // arena_used_bytes(), x86-64 host
  uint32_t arena_rv32 = 0;      // arena_used_bytes(), rv32imac
  uint32_t lower_bound = 0;     // activation lower bound (no in-place tricks)
  double host_us = 0;           // median µs per invoke, x86-64 host
  double rv32_minstret = 0;     // retired instructions per invoke, rv32imac -O2
};

inline const std::vector<TflmFigures>& tflm_figures() {
  static const std::vector<TflmFigures> figures = {
      {"tflm/hello_world_int8.tflite", "hello_world_int8", 1184, 0, 32, 0, 0},
      {"tflm/hello_world_float.tflite", "hello_world_float", 1216, 0, 0, 0, 0},
      {"tflm/micro_speech_quantized.tflite", "micro_speech_quantized", 7312, 0, 5968, 0, 0},
      {"tflm/keyword_scrambled_8bit.tflite", "keyword_scrambled_8bit", 9600, 0, 0, 0, 0},
      {"tflm/person_detect.tflite", "person_detect", 85024, 82300, 55296, 8080, 105.32e6},
      {"mlperf-tiny/kws_ref_model_int8.tflite", "kws_ref_model_int8", 24000, 22780, 16000, 3330, 44.38e6},
      {"mlperf-tiny/kws_ref_model_float32.tflite", "", 0, 0, 0, 0, 0},
      {"mlperf-tiny/ad01_int8.tflite", "ad01_int8", 3424, 2380, 768, 180, 2.48e6},
      {"mlperf-tiny/ad01_fp32.tflite", "ad01_fp32", 5664, 0, 0, 180, 0},
  };
  return figures;
}

// TFLM firmware text with an all-operators resolver, minus model and input.
constexpr uint32_t kTflmCodeBytesO2 = 112 * 1024;

}  // namespace kiln::bench
