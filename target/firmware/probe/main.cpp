// kiln-probe: the device core on the emulated RISC-V board (QEMU virt,
// semihosting). Reads a model (and optionally input 0) from the host, runs
// it, and prints what a firmware engineer needs to know as key=value lines:
// exact arena bytes on this ABI, retired instructions per invoke and per op,
// and the output bytes (written back to the host when a path is given).
//
//   qemu-system-riscv32 -machine virt -bios none -nographic -icount shift=0
//     -semihosting-config enable=on,target=native,arg=probe,arg=MODEL[,arg=IN.bin[,arg=OUT.bin]]
//     -kernel kiln_probe.elf
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"

namespace {

constexpr size_t kModelCapacity = 2u << 20;
constexpr size_t kArenaCapacity = 1u << 20;
alignas(16) uint8_t g_model[kModelCapacity];
alignas(16) uint8_t g_arena[kArenaCapacity];

uint64_t read_instret(void*) {
  uint32_t hi, lo, hi2;
  do {
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
    __asm__ volatile("csrr %0, minstret" : "=r"(lo));
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
  } while (hi != hi2);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

long read_file(const char* path, uint8_t* dst, size_t capacity) {
  FILE* f = fopen(path, "rb");
  if (f == nullptr) return -1;
  const size_t n = fread(dst, 1, capacity, f);
  const bool more = fgetc(f) != EOF;
  fclose(f);
  return more ? -2 : static_cast<long>(n);
}

void print_report(const kiln::runtime::ArenaReport& r) {
  printf("arena_required=%lu\narena_planned=%lu\narena_lower_bound=%lu\narena_persistent=%lu\n",
         (unsigned long)r.required_bytes, (unsigned long)r.planned_bytes,
         (unsigned long)r.lower_bound_bytes, (unsigned long)r.persistent_bytes);
  printf("arena_tensor_table=%lu\narena_op_table=%lu\narena_kernel_data=%lu\narena_state=%lu\n",
         (unsigned long)r.tensor_table_bytes, (unsigned long)r.op_table_bytes,
         (unsigned long)r.kernel_data_bytes, (unsigned long)r.state_bytes);
}

int fail(const char* what, const kiln::Diag& d) {
  printf("error=%s: %s\n", what, d.message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // argv[0] is QEMU's placeholder, argv[1] our own name.
  if (argc < 3) {
    printf("error=usage: probe MODEL [INPUT.bin [OUTPUT.bin]]\n");
    return 2;
  }
  const long model_size = read_file(argv[2], g_model, kModelCapacity);
  if (model_size < 0) {
    printf("error=cannot read model %s\n", argv[2]);
    return 2;
  }
  kiln::Diag diag;
  kiln::model::Model model;
  if (model.load(g_model, static_cast<size_t>(model_size), diag) != kiln::Status::kOk) return fail("load", diag);
  {
    // Measured without a clock: the arena a production firmware needs.
    kiln::runtime::Interpreter sizing(model, kiln::runtime::all_ops(), g_arena, kArenaCapacity);
    if (sizing.init() != kiln::Status::kOk) return fail("init", sizing.diag());
    print_report(sizing.arena_report());
  }
  kiln::runtime::Interpreter interp(model, kiln::runtime::all_ops(), g_arena, kArenaCapacity);
  interp.set_clock(kiln::runtime::Clock{read_instret, nullptr});
  if (interp.init() != kiln::Status::kOk) return fail("init", interp.diag());
  kiln::runtime::Tensor* in = interp.input(0);
  memset(in->data, 0, in->bytes);
  if (argc > 3 && read_file(argv[3], in->data, in->bytes) != static_cast<long>(in->bytes)) {
    printf("error=input %s must be exactly %lu bytes\n", argv[3], (unsigned long)in->bytes);
    return 2;
  }
  const uint64_t start = read_instret(nullptr);
  if (interp.invoke() != kiln::Status::kOk) return fail("invoke", interp.diag());
  const uint64_t instret = read_instret(nullptr) - start;
  printf("invoke_instret=%llu\nmacs=%llu\n", (unsigned long long)instret,
         (unsigned long long)interp.total_macs());
  for (uint32_t i = 0; i < interp.op_count(); ++i) {
    printf("op_instret[%lu]=%llu\n", (unsigned long)i, (unsigned long long)interp.op_stats(i).ticks);
  }
  const kiln::runtime::Tensor* out = interp.output(0);
  printf("output_bytes=");
  for (uint32_t i = 0; i < out->bytes && i < 64; ++i) printf("%02x", out->data[i]);
  printf("\n");
  if (argc > 4) {
    FILE* f = fopen(argv[4], "wb");
    if (f == nullptr || fwrite(out->data, 1, out->bytes, f) != out->bytes) {
      printf("error=cannot write %s\n", argv[4]);
      return 2;
    }
    fclose(f);
  }
  return 0;
}
