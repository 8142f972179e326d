// kiln_fw_kws: a production-shaped firmware. The KWS model is embedded in
// flash by kiln_add_model, its arena is a static array of exactly the bytes
// the planner computed, and only the kernels KWS uses are linked (the
// generated op_resolver()); at boot it reports the model's identity, runs
// one inference on a fixed input and prints the scores, then halts.
#include <stdint.h>
#include <string.h>

#include "../agent/uart.h"
#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "kws_model.h"

namespace {

kiln::agent::Uart g_uart(KILN_CONSOLE_BASE);

void print(const char* s) { g_uart.write(reinterpret_cast<const uint8_t*>(s), strlen(s)); }
void print_int(int32_t v) {
  char buf[12];
  int n = 0;
  uint32_t u = v < 0 ? 0u - static_cast<uint32_t>(v) : static_cast<uint32_t>(v);
  do buf[n++] = static_cast<char>('0' + u % 10);
  while ((u /= 10) != 0);
  if (v < 0) buf[n++] = '-';
  while (n > 0) g_uart.write(reinterpret_cast<const uint8_t*>(&buf[--n]), 1);
}

[[noreturn]] void halt() {
  for (;;) __asm__ volatile("wfi");
}

}  // namespace

int main() {
  namespace m = kiln_model_kws;
  print("kiln_fw_kws: " KILN_BOARD_NAME ", model ");
  print_int(static_cast<int32_t>(m::model_size));
  print(" B in flash, arena ");
  print_int(static_cast<int32_t>(m::arena_size));
  print(" B\nkiln_fw_kws: model ");
  print(m::kName);
  print(" version ");
  print(m::kVersion);
  print(" sha256 ");
  print(m::kSha256);
  print(" op set ");
  print(m::kOpSetFingerprint);
  print(" runtime ABI ");
  print_int(static_cast<int32_t>(m::kRuntimeAbi));
  print("\n");
  kiln::Diag diag;
  kiln::model::Model model;
  if (model.load(m::model_data, m::model_size, diag) != kiln::Status::kOk) {
    print("kiln_fw_kws: model rejected: ");
    print(diag.message());
    print("\n");
    halt();
  }
  kiln::runtime::Interpreter interp(model, m::op_resolver(), m::arena, m::arena_size);
  if (interp.init() != kiln::Status::kOk) {
    print("kiln_fw_kws: init failed: ");
    print(interp.diag().message());
    print("\n");
    halt();
  }
  // A fixed input: a ramp, so the result is reproducible on host and target.
  kiln::runtime::Tensor* in = interp.input(0);
  for (size_t i = 0; i < in->bytes; ++i) in->data[i] = static_cast<uint8_t>(i * 7);
  if (interp.invoke() != kiln::Status::kOk) {
    print("kiln_fw_kws: invoke failed: ");
    print(interp.diag().message());
    print("\n");
    halt();
  }
  const kiln::runtime::Tensor* out = interp.output(0);
  print("kiln_fw_kws: arena used ");
  print_int(static_cast<int32_t>(interp.arena_report().required_bytes));
  print(" B, scores");
  int best = 0;
  for (size_t i = 0; i < out->bytes; ++i) {
    const int8_t v = static_cast<int8_t>(out->data[i]);
    if (v > static_cast<int8_t>(out->data[best])) best = static_cast<int>(i);
    print(" ");
    print_int(v);
  }
  print("\nkiln_fw_kws: class ");
  print_int(best);
  print("\n");
  halt();
}
