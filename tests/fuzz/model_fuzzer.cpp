// libFuzzer entry point for long fuzzing runs (see docs/fuzzing.md):
//   cmake -S . -B build/fuzz -DKILN_LIBFUZZER=ON -DCMAKE_CXX_COMPILER=clang++
//   build/fuzz/tests/model_fuzzer testdata/models/tflm
#include "fuzz_one.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)kiln::fuzz::run_model_bytes(data, size);
  return 0;
}
