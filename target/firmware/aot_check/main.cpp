// aot-check: every model under testdata/models, run ON THE TARGET by the
// interpreter (the embedded .tflite, all_ops) and by its ahead-of-time code
// (`kiln compile` at build time), on the same deterministic inputs, twice in
// a row (streaming state, e.g. SVDF, is carried from run 1 to run 2). Output
// bytes must be equal. Prints key=value lines: models=, mismatches=,
// first_mismatch=, errors=, interp_instret=, aot_instret=.
// Static buffers only: one interpreter arena (bound checked by init) and one
// AOT arena sized at compile time from the largest generated kArenaSize.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"

#include "aot_check_registry.inc"  // generated: includes, KILN_AOT_MODELS, model symbols

namespace {

struct AotModel {
  const char* id;
  const uint8_t* model_begin;  // the .tflite, in flash (.incbin)
  const uint8_t* model_end;
  size_t arena_size;
  int num_inputs, num_outputs;
  uint8_t* (*input)(uint8_t*, int);
  size_t (*input_bytes)(int);
  const uint8_t* (*output)(const uint8_t*, int);
  size_t (*output_bytes)(int);
  kiln::Status (*init)(uint8_t*);
  kiln::Status (*invoke)(uint8_t*);
};

#define KILN_AOT_ENTRY(id)                                                                         \
  AotModel {                                                                                       \
    #id, kiln_model_##id, kiln_model_##id##_end, kiln_aot_##id::kArenaSize,                        \
        kiln_aot_##id::kNumInputs, kiln_aot_##id::kNumOutputs, kiln_aot_##id::input,               \
        kiln_aot_##id::input_bytes, kiln_aot_##id::output, kiln_aot_##id::output_bytes,            \
        kiln_aot_##id::init, kiln_aot_##id::invoke                                                 \
  }

constexpr AotModel kModels[] = {KILN_AOT_MODELS};
constexpr size_t kModelCount = sizeof(kModels) / sizeof(kModels[0]);

constexpr size_t largest_aot_arena() {
  size_t m = 16;
  for (const AotModel& a : kModels) m = a.arena_size > m ? a.arena_size : m;
  return (m + 15) / 16 * 16;
}

// The interpreter's arena also holds its tensor/op tables and op data; the
// largest shipped model (hybrid KWS float) needs about 140 KB on rv32.
// init() fails with kArenaTooSmall and the bytes it needs when this is short.
constexpr size_t kInterpArenaSize = 1u << 20;
alignas(16) uint8_t g_interp_arena[kInterpArenaSize];
alignas(16) uint8_t g_aot_arena[largest_aot_arena()];

uint64_t read_instret() {
  uint32_t hi, lo, hi2;
  do {
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
    __asm__ volatile("csrr %0, minstret" : "=r"(lo));
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
  } while (hi != hi2);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

uint32_t g_state = 0x2545F491u;
uint32_t next_u32() {  // xorshift32: the same inputs on every run
  g_state ^= g_state << 13;
  g_state ^= g_state >> 17;
  g_state ^= g_state << 5;
  return g_state;
}

// Random bytes for integer tensors; finite floats in [-2, 2] for float ones.
void fill_input(uint8_t* dst, const kiln::runtime::Tensor& t) {
  if (t.type == kiln::model::TensorType::kFloat32) {
    for (uint32_t i = 0; i + 4 <= t.bytes; i += 4) {
      const float v = static_cast<float>(static_cast<int32_t>(next_u32() % 4001u) - 2000) / 1000.0f;
      memcpy(dst + i, &v, 4);
    }
  } else {
    for (uint32_t i = 0; i < t.bytes; ++i) dst[i] = static_cast<uint8_t>(next_u32() >> 24);
  }
}

struct Totals {
  uint32_t mismatches = 0;
  uint32_t errors = 0;
  uint64_t interp_instret = 0;
  uint64_t aot_instret = 0;
  const char* first_mismatch = "none";
};

void report_error(Totals& t, const AotModel& m, const char* what, const char* message) {
  if (t.errors == 0) printf("first_error=%s %s: %s\n", m.id, what, message);
  ++t.errors;
  if (t.mismatches++ == 0) t.first_mismatch = m.id;
}

// One model: interpreter and AOT, two runs each, outputs compared byte by byte.
void check_model(const AotModel& m, Totals& t) {
  kiln::Diag diag;
  kiln::model::Model model;
  const size_t model_size = static_cast<size_t>(m.model_end - m.model_begin);
  if (model.load(m.model_begin, model_size, diag) != kiln::Status::kOk) return report_error(t, m, "load", diag.message());
  kiln::runtime::Interpreter interp(model, kiln::runtime::all_ops(), g_interp_arena, kInterpArenaSize);
  if (interp.init() != kiln::Status::kOk) return report_error(t, m, "interpreter init", interp.diag().message());
  if (interp.input_count() != static_cast<uint32_t>(m.num_inputs) ||
      interp.output_count() != static_cast<uint32_t>(m.num_outputs)) {
    return report_error(t, m, "contract", "input/output counts differ between interpreter and AOT");
  }
  memset(g_aot_arena, 0xA5, sizeof(g_aot_arena));  // stale bytes must not matter
  if (m.init(g_aot_arena) != kiln::Status::kOk) return report_error(t, m, "aot init", "init failed");
  for (int run = 0; run < 2; ++run) {
    for (int i = 0; i < m.num_inputs; ++i) {
      kiln::runtime::Tensor* in = interp.input(static_cast<uint32_t>(i));
      if (m.input_bytes(i) != in->bytes) return report_error(t, m, "contract", "input sizes differ");
      fill_input(in->data, *in);
      memcpy(m.input(g_aot_arena, i), in->data, in->bytes);
    }
    uint64_t start = read_instret();
    if (interp.invoke() != kiln::Status::kOk) return report_error(t, m, "interpreter invoke", interp.diag().message());
    t.interp_instret += read_instret() - start;
    start = read_instret();
    if (m.invoke(g_aot_arena) != kiln::Status::kOk) return report_error(t, m, "aot invoke", "invoke failed");
    t.aot_instret += read_instret() - start;
    for (int o = 0; o < m.num_outputs; ++o) {
      const kiln::runtime::Tensor* want = interp.output(static_cast<uint32_t>(o));
      if (m.output_bytes(o) != want->bytes || memcmp(m.output(g_aot_arena, o), want->data, want->bytes) != 0) {
        printf("mismatch=%s run %d output %d\n", m.id, run, o);
        if (t.mismatches++ == 0) t.first_mismatch = m.id;
        return;
      }
    }
  }
}

}  // namespace

int main() {
  printf("aot_arena_bytes=%lu\ninterp_arena_bytes=%lu\n", (unsigned long)sizeof(g_aot_arena),
         (unsigned long)kInterpArenaSize);
  Totals totals;
  for (const AotModel& m : kModels) check_model(m, totals);
  printf("models=%lu\nmismatches=%lu\nfirst_mismatch=%s\nerrors=%lu\n", (unsigned long)kModelCount,
         (unsigned long)totals.mismatches, totals.first_mismatch, (unsigned long)totals.errors);
  printf("interp_instret=%llu\naot_instret=%llu\n", (unsigned long long)totals.interp_instret,
         (unsigned long long)totals.aot_instret);
  return 0;
}
