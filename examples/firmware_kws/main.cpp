// A firmware built with find_package(kiln) + kiln_add_model: reports its
// model's identity, runs one inference on a fixed input and prints what the
// host needs to check it, as key=value lines on the console UART:
//   identity (sha256, version, op set fingerprint, runtime ABI), arena bytes,
//   retired instructions of init and of the first invoke, stack high-water
//   mark (painted stack), CRC-32 of the output bytes.
// The same source builds for either mode; CMake names the model:
//   KILN_FW_ID=<id>  (kiln_add_model NAME), KILN_FW_HEADER="<id>_model.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include KILN_FW_HEADER

#define KILN_FW_CAT_(a, b) a##b
#define KILN_FW_CAT(a, b) KILN_FW_CAT_(a, b)
namespace m = KILN_FW_CAT(kiln_model_, KILN_FW_ID);

#if KILN_FW_AOT
namespace aot = KILN_FW_CAT(kiln_aot_, KILN_FW_ID);
#else
#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#endif

extern "C" char __heap_end[];  // stack bottom and top (kiln_add_model's link options)
extern "C" char __stack[];

namespace {

// ns16550 transmit, polled.
void putc_uart(char c) {
  volatile uint8_t* uart = reinterpret_cast<volatile uint8_t*>(KILN_CONSOLE_BASE);
  while ((uart[5] & 0x20) == 0) {
  }
  uart[0] = static_cast<uint8_t>(c);
}
void print(const char* s) {
  while (*s) putc_uart(*s++);
}
void print_u32(uint32_t v) {
  char buf[11];
  int n = 0;
  do buf[n++] = static_cast<char>('0' + v % 10);
  while ((v /= 10) != 0);
  while (n > 0) putc_uart(buf[--n]);
}
void print_hex32(uint32_t v) {
  for (int s = 28; s >= 0; s -= 4) putc_uart("0123456789abcdef"[(v >> s) & 15]);
}
void line(const char* key, const char* value) {
  print(key);
  print("=");
  print(value);
  print("\n");
}
void line(const char* key, uint32_t value) {
  print(key);
  print("=");
  print_u32(value);
  print("\n");
}

uint32_t instret() {
  uint32_t v;
  __asm__ volatile("csrr %0, minstret" : "=r"(v));
  return v;
}

uint32_t crc32(uint32_t crc, const uint8_t* data, size_t size) {
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// Painted stack: everything below the current frame (minus a margin) gets
// a pattern; the deepest overwritten byte is the high-water mark.
constexpr uint8_t kPaint = 0xa5;
uintptr_t stack_top() {
  uintptr_t sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  return sp;
}
void paint_stack(uintptr_t below) {
  for (volatile uint8_t* p = reinterpret_cast<uint8_t*>(__heap_end); reinterpret_cast<uintptr_t>(p) < below; ++p) {
    *p = kPaint;
  }
}
// Bytes between the stack's top and the deepest byte ever written.
uint32_t stack_used(uintptr_t painted_up_to) {
  const volatile uint8_t* p = reinterpret_cast<uint8_t*>(__heap_end);
  while (reinterpret_cast<uintptr_t>(p) < painted_up_to && *p == kPaint) ++p;
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(__stack) - reinterpret_cast<uintptr_t>(p));
}

[[noreturn]] void finish(bool ok) {
  print(ok ? "status=ok\n" : "status=error\n");
#ifdef KILN_QEMU_EXIT
  // QEMU virt's test device: 0x5555 exits with status 0, 0x3333 with (code << 16).
  *reinterpret_cast<volatile uint32_t*>(KILN_QEMU_EXIT) = ok ? 0x5555u : (1u << 16) | 0x3333u;
#endif
  for (;;) __asm__ volatile("wfi");
}

void fill_input(uint8_t* data, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<uint8_t>(i * 7);  // a ramp: same on host
}

}  // namespace

int main() {
  const uintptr_t frame = stack_top() - 256;  // main's own frame stays unpainted
  paint_stack(frame);
  line("model", m::kName);
  line("mode", m::kAot ? "aot" : "interpreter");
  line("board", KILN_BOARD_NAME);
  line("sha256", m::kSha256);
  line("version", m::kVersion);
  line("op_set", m::kOpSetFingerprint);
  line("runtime_abi", m::kRuntimeAbi);
  line("arena_bytes", static_cast<uint32_t>(m::arena_size));
  uint32_t crc = 0;
#if KILN_FW_AOT
  const uint32_t t0 = instret();
  if (aot::init(m::arena) != kiln::Status::kOk) finish(false);
  const uint32_t t1 = instret();
  for (int i = 0; i < aot::kNumInputs; ++i) fill_input(aot::input(m::arena, i), aot::input_bytes(i));
  const uint32_t t2 = instret();
  if (aot::invoke(m::arena) != kiln::Status::kOk) finish(false);
  const uint32_t t3 = instret();
  for (int i = 0; i < aot::kNumOutputs; ++i) crc = crc32(crc, aot::output(m::arena, i), aot::output_bytes(i));
#else
  kiln::Diag diag;
  kiln::model::Model model;
  const uint32_t t0 = instret();
  if (model.load(m::model_data, m::model_size, diag) != kiln::Status::kOk) {
    line("error", diag.message());
    finish(false);
  }
#ifdef KILN_FW_ALL_OPS
  const kiln::runtime::OpResolver& ops = kiln::runtime::all_ops();  // size baseline: every kernel
#else
  const kiln::runtime::OpResolver& ops = m::op_resolver();  // only the model's kernels
#endif
  kiln::runtime::Interpreter interp(model, ops, m::arena, m::arena_size);
  if (interp.init() != kiln::Status::kOk) {
    line("error", interp.diag().message());
    finish(false);
  }
  const uint32_t t1 = instret();
  line("arena_used", interp.arena_report().required_bytes);  // on this target (32-bit tables)
  for (uint32_t i = 0; i < interp.input_count(); ++i) fill_input(interp.input(i)->data, interp.input(i)->bytes);
  const uint32_t t2 = instret();
  if (interp.invoke() != kiln::Status::kOk) {
    line("error", interp.diag().message());
    finish(false);
  }
  const uint32_t t3 = instret();
  for (uint32_t i = 0; i < interp.output_count(); ++i) crc = crc32(crc, interp.output(i)->data, interp.output(i)->bytes);
#endif
  line("init_instret", t1 - t0);
  line("invoke_instret", t3 - t2);
  line("stack_bytes", stack_used(frame));
  print("crc32=");
  print_hex32(crc);
  print("\n");
  finish(true);
}
