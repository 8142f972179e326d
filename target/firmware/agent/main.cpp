// kiln agent: the device core on a board, served over the kiln target
// protocol (docs/target-protocol.md) on the ns16550 console UART.
// Built per board: KILN_CONSOLE_BASE, KILN_MODEL_SLOT_SIZE and the memory map
// come from boards/<name>/board.dts. The model slot is a static buffer; the
// arena is all RAM between the end of .bss and the stack (picolibc's
// __heap_start/__heap_end, never used as a heap); the stack is painted at boot
// so its high-water mark can be reported.
// Revision 2: a model can also run in place from the board's bulk flash window
// (QEMU virt's first pflash bank), and batches of inputs are read from there
// (kiln/target/bulk_requests.h).
#include <stdint.h>
#include <string.h>

#include "kiln/model/model.h"
#include "kiln/protocol/protocol.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"
#include "kiln/target/bulk_requests.h"
#include "uart.h"

extern "C" {
extern uint8_t __heap_start[];
extern uint32_t __heap_end[];  // stack bottom: the stack is [__heap_end, __stack)
extern uint32_t __stack[];
}

namespace {

using namespace kiln::protocol;
using kiln::runtime::Interpreter;
namespace bulk = kiln::target::bulk;

// Bulk flash window (read-only to the agent): none unless the board has one.
#ifndef KILN_BULK_BASE
#define KILN_BULK_BASE 0
#define KILN_BULK_SIZE 0
#endif
constexpr uint32_t kBulkBase = KILN_BULK_BASE;
constexpr uint32_t kBulkSize = KILN_BULK_SIZE;

// True when [address, address + bytes) lies in the bulk window.
bool in_bulk(uint64_t address, uint64_t bytes) {
  return kBulkSize != 0 && address >= kBulkBase && bytes <= kBulkSize && address - kBulkBase <= kBulkSize - bytes;
}
const uint8_t* bulk_ptr(uint32_t address) { return reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(address)); }

constexpr uint32_t kStackPaint = 0x6B696C6Eu;  // "kiln"
constexpr uint8_t kCapStackPainting = 1, kCapPerOpInstret = 2, kCapCycles = 4;

alignas(16) uint8_t g_slot[KILN_MODEL_SLOT_SIZE];
kiln::agent::Uart g_uart(KILN_CONSOLE_BASE);
Decoder g_decoder;
uint8_t g_tx[kMaxFrame];
uint8_t g_reply[kMaxPayload];

kiln::model::Model g_model;
uint32_t g_model_size = 0;    // bytes announced by LoadBegin (RAM slot loads only)
bool g_model_ready = false;   // LoadEnd accepted it
uint64_t g_instret = 0, g_cycles = 0;

uint64_t read_csr_pair(int which) {
  uint32_t hi, lo, hi2;
  do {
    if (which == 0) {
      __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
      __asm__ volatile("csrr %0, minstret" : "=r"(lo));
      __asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
    } else {
      __asm__ volatile("csrr %0, mcycleh" : "=r"(hi));
      __asm__ volatile("csrr %0, mcycle" : "=r"(lo));
      __asm__ volatile("csrr %0, mcycleh" : "=r"(hi2));
    }
  } while (hi != hi2);
  return (static_cast<uint64_t>(hi) << 32) | lo;
}
uint64_t read_instret(void*) { return read_csr_pair(0); }

uint8_t* arena() { return reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(__heap_start) + 15) & ~uintptr_t{15}); }
size_t arena_size() { return static_cast<size_t>(reinterpret_cast<uint8_t*>(__heap_end) - arena()); }
size_t stack_size() { return static_cast<size_t>(__stack - __heap_end) * 4; }

// Paints the stack below the current frame (minus a margin for this call).
__attribute__((noinline)) void paint_stack() {
  uint8_t here = 0;
  const uintptr_t end = reinterpret_cast<uintptr_t>(&here) - 256;
  for (uint32_t* p = __heap_end; reinterpret_cast<uintptr_t>(p) < end; ++p) *p = kStackPaint;
}
uint32_t stack_high_water() {
  const uint32_t* p = __heap_end;
  while (p < __stack && *p == kStackPaint) ++p;
  return static_cast<uint32_t>(__stack - p) * 4;
}

void send(uint8_t type, uint16_t seq, const uint8_t* payload, size_t size) {
  const size_t n = encode_frame(type, seq, payload, size, g_tx, sizeof g_tx);
  g_uart.write(g_tx, n);
}
void reply(const Frame& req, size_t size) { send(static_cast<uint8_t>(req.type | kReplyBit), req.seq, g_reply, size); }
void error(uint16_t seq, ErrorCode code, const char* message, kiln::Status status = kiln::Status::kOk) {
  uint8_t buf[2 + kiln::Diag::kCapacity];
  buf[0] = static_cast<uint8_t>(code);
  buf[1] = static_cast<uint8_t>(status);
  size_t n = strlen(message);
  if (n > kiln::Diag::kCapacity) n = kiln::Diag::kCapacity;
  memcpy(buf + 2, message, n);
  send(static_cast<uint8_t>(Type::kError), seq, buf, 2 + n);
}

void hello(const Frame& f) {
  size_t n = 0;
  g_reply[n++] = kVersion;
  g_reply[n++] = static_cast<uint8_t>(sizeof(void*) * 8);
  g_reply[n++] = static_cast<uint8_t>(kCapStackPainting | kCapPerOpInstret | kCapCycles |
                                      (kBulkSize != 0 ? bulk::kCapBulkFlash : 0));
  g_reply[n++] = bulk::kRevision;
  put_u32(g_reply + n, static_cast<uint32_t>(sizeof g_slot)), n += 4;
  put_u32(g_reply + n, static_cast<uint32_t>(arena_size())), n += 4;
  put_u32(g_reply + n, static_cast<uint32_t>(stack_size())), n += 4;
  put_u16(g_reply + n, static_cast<uint16_t>(kMaxPayload)), n += 2;
  const char* name = "kiln-agent " KILN_BOARD_NAME;
  const size_t len = strlen(name);
  memcpy(g_reply + n, name, len);
  reply(f, n + len);
}

enum class Next { kContinue, kModelChanged, kModelLoaded };

// Requests that do not need an interpreter; Next tells the caller to rebuild it.
Next handle_load(const Frame& f) {
  Reader r{f.payload, f.length};
  const Type type = static_cast<Type>(f.type);
  if (f.type == bulk::kLoadFromFlash) {
    uint32_t address = 0, size = 0, crc = 0;
    if (!r.u32(&address) || !r.u32(&size) || !r.u32(&crc) || r.remaining() != 0) {
      return error(f.seq, ErrorCode::kBadPayload, "LoadFromFlash: u32 address, u32 size, u32 crc"), Next::kContinue;
    }
    if (size == 0 || !in_bulk(address, size)) {
      return error(f.seq, ErrorCode::kBadPayload, "LoadFromFlash: range outside the bulk flash window"), Next::kContinue;
    }
    g_model_size = 0;  // the RAM slot no longer holds the active model
    g_model_ready = false;
    if (crc32_update(0, bulk_ptr(address), size) != crc) {
      return error(f.seq, ErrorCode::kBadPayload, "model CRC mismatch in flash"), Next::kModelChanged;
    }
    kiln::Diag diag;
    const kiln::Status st = g_model.load(bulk_ptr(address), size, diag);
    if (st != kiln::Status::kOk) return error(f.seq, ErrorCode::kModelRejected, diag.message(), st), Next::kModelChanged;
    g_model_ready = true;
    return Next::kModelLoaded;
  }
  if (type == Type::kLoadBegin) {
    uint32_t size = 0;
    if (!r.u32(&size) || r.remaining() != 0) return error(f.seq, ErrorCode::kBadPayload, "LoadBegin: u32 size"), Next::kContinue;
    if (size > sizeof g_slot || size == 0) {
      return error(f.seq, ErrorCode::kModelTooLarge, "model does not fit the board's model slot"), Next::kContinue;
    }
    g_model_size = size;
    g_model_ready = false;
    reply(f, 0);
    return Next::kModelChanged;
  }
  if (type == Type::kLoadChunk) {
    uint32_t offset = 0;
    if (!r.u32(&offset) || offset > g_model_size || r.remaining() > g_model_size - offset || g_model_ready) {
      return error(f.seq, ErrorCode::kBadPayload, "LoadChunk outside the announced model"), Next::kContinue;
    }
    memcpy(g_slot + offset, r.here(), r.remaining());
    reply(f, 0);
    return Next::kContinue;
  }
  // kLoadEnd
  uint32_t crc = 0;
  if (!r.u32(&crc) || r.remaining() != 0 || g_model_size == 0) {
    return error(f.seq, ErrorCode::kBadPayload, "LoadEnd: u32 crc after LoadBegin"), Next::kContinue;
  }
  if (crc32_update(0, g_slot, g_model_size) != crc) {
    return error(f.seq, ErrorCode::kBadPayload, "model CRC mismatch: chunks lost or corrupted"), Next::kContinue;
  }
  kiln::Diag diag;
  const kiln::Status st = g_model.load(g_slot, g_model_size, diag);
  if (st != kiln::Status::kOk) return error(f.seq, ErrorCode::kModelRejected, diag.message(), st), Next::kContinue;
  g_model_ready = true;
  return Next::kModelLoaded;  // the caller builds the interpreter and replies
}

// Summary sent in LoadEnd's reply once the interpreter is initialised.
void model_summary(const Frame& f, const Interpreter& in) {
  size_t n = 0;
  const kiln::runtime::ArenaReport& rep = in.arena_report();
  put_u32(g_reply + n, rep.required_bytes), n += 4;
  put_u32(g_reply + n, in.op_count()), n += 4;
  g_reply[n++] = static_cast<uint8_t>(in.input_count());
  g_reply[n++] = static_cast<uint8_t>(in.output_count());
  for (uint32_t i = 0; i < in.input_count() && n + 4 <= 64; ++i) put_u32(g_reply + n, static_cast<uint32_t>(in.input(i)->bytes)), n += 4;
  for (uint32_t i = 0; i < in.output_count() && n + 4 <= 128; ++i) put_u32(g_reply + n, static_cast<uint32_t>(in.output(i)->bytes)), n += 4;
  reply(f, n);
}

bool tensor_range(const kiln::runtime::Tensor* t, uint32_t offset, size_t len) {
  return t != nullptr && offset <= t->bytes && len <= t->bytes - offset;
}

void invoke_measured(Interpreter& in, kiln::Status* st) {
  const uint64_t c0 = read_csr_pair(1), i0 = read_csr_pair(0);
  *st = in.invoke();
  g_instret = read_csr_pair(0) - i0;
  g_cycles = read_csr_pair(1) - c0;
}

// InvokeBatch: inputs from the bulk window, outputs in the reply.
void invoke_batch(const Frame& f, Interpreter& in) {
  Reader r{f.payload, f.length};
  uint32_t address = 0, stride = 0, count = 0;
  uint8_t flags = 0;
  if (!r.u32(&address) || !r.u32(&stride) || !r.u32(&count) || !r.u8(&flags) || r.remaining() != 0) {
    return error(f.seq, ErrorCode::kBadPayload, "InvokeBatch: u32 address, u32 stride, u32 count, u8 flags");
  }
  uint64_t in_bytes = 0, out_bytes = 0;
  for (uint32_t i = 0; i < in.input_count(); ++i) in_bytes += in.input(i)->bytes;
  for (uint32_t i = 0; i < in.output_count(); ++i) out_bytes += in.output(i)->bytes;
  if (count == 0 || stride < in_bytes ||
      !in_bulk(address, static_cast<uint64_t>(count - 1) * stride + in_bytes)) {
    return error(f.seq, ErrorCode::kBadPayload, "InvokeBatch: samples outside the bulk flash window");
  }
  const bool outputs = (flags & bulk::kReturnOutputs) != 0;
  if (outputs && bulk::kBatchReplyHeader + count * out_bytes > kMaxPayload) {
    return error(f.seq, ErrorCode::kBadPayload, "InvokeBatch: outputs of that many samples exceed one reply");
  }
  size_t n = bulk::kBatchReplyHeader;
  for (uint32_t s = 0; s < count; ++s) {
    const uint8_t* src = bulk_ptr(address + s * stride);
    in.reset_state();
    for (uint32_t i = 0; i < in.input_count(); ++i) {
      memcpy(in.input(i)->data, src, in.input(i)->bytes);
      src += in.input(i)->bytes;
    }
    kiln::Status st = kiln::Status::kOk;
    invoke_measured(in, &st);
    if (st != kiln::Status::kOk) return error(f.seq, ErrorCode::kInvokeFailed, in.diag().message(), st);
    for (uint32_t i = 0; outputs && i < in.output_count(); ++i) {
      memcpy(g_reply + n, in.output(i)->data, in.output(i)->bytes);
      n += in.output(i)->bytes;
    }
  }
  put_u32(g_reply, count);
  put_u64(g_reply + 4, g_instret);
  put_u64(g_reply + 12, g_cycles);
  reply(f, n);
}

void handle_model_request(const Frame& f, Interpreter& in) {
  Reader r{f.payload, f.length};
  switch (static_cast<Type>(f.type)) {
    case Type::kSetInput: {
      uint8_t index = 0;
      uint32_t offset = 0;
      if (!r.u8(&index) || !r.u32(&offset) || index >= in.input_count() ||
          !tensor_range(in.input(index), offset, r.remaining())) {
        return error(f.seq, ErrorCode::kBadPayload, "SetInput: input index or range outside the tensor");
      }
      memcpy(in.input(index)->data + offset, r.here(), r.remaining());
      return reply(f, 0);
    }
    case Type::kInvoke: {
      if (f.length != 0) return error(f.seq, ErrorCode::kBadPayload, "Invoke takes no payload");
      kiln::Status st = kiln::Status::kOk;
      invoke_measured(in, &st);
      if (st != kiln::Status::kOk) return error(f.seq, ErrorCode::kInvokeFailed, in.diag().message(), st);
      put_u64(g_reply, g_instret);
      put_u64(g_reply + 8, g_cycles);
      return reply(f, 16);
    }
    case Type::kReadOutput: {
      uint8_t index = 0;
      uint32_t offset = 0;
      uint16_t len = 0;
      if (!r.u8(&index) || !r.u32(&offset) || !r.u16(&len) || r.remaining() != 0 || index >= in.output_count() ||
          len > kMaxPayload || !tensor_range(in.output(index), offset, len)) {
        return error(f.seq, ErrorCode::kBadPayload, "ReadOutput: output index or range outside the tensor");
      }
      memcpy(g_reply, in.output(index)->data + offset, len);
      return reply(f, len);
    }
    case Type::kReadStats: {
      uint32_t first = 0;
      if (!r.u32(&first) || r.remaining() != 0) return error(f.seq, ErrorCode::kBadPayload, "ReadStats: u32 first op");
      size_t n = 0;
      put_u64(g_reply + n, g_instret), n += 8;
      put_u64(g_reply + n, g_cycles), n += 8;
      put_u32(g_reply + n, in.arena_report().required_bytes), n += 4;
      put_u32(g_reply + n, static_cast<uint32_t>(arena_size())), n += 4;
      put_u32(g_reply + n, stack_high_water()), n += 4;
      put_u32(g_reply + n, static_cast<uint32_t>(stack_size())), n += 4;
      put_u32(g_reply + n, in.op_count()), n += 4;
      put_u32(g_reply + n, first), n += 4;
      for (uint32_t op = first; op < in.op_count() && n + 8 <= kMaxPayload; ++op) put_u64(g_reply + n, in.op_stats(op).ticks), n += 8;
      return reply(f, n);
    }
    default:
      if (f.type == bulk::kInvokeBatch) return invoke_batch(f, in);
      return error(f.seq, ErrorCode::kUnknownType, "unknown request type");
  }
}

void bulk_window(const Frame& f) {
  if (f.length != 0) return error(f.seq, ErrorCode::kBadPayload, "BulkWindow takes no payload");
  put_u32(g_reply, kBulkBase);
  put_u32(g_reply + 4, kBulkSize);
  reply(f, 8);
}

// Serves requests until the model changes; `in` is null without a model.
Next serve(Interpreter* in, const Frame** pending) {
  for (;;) {
    const Decoder::Event ev = g_decoder.feed(g_uart.read());
    if (ev == Decoder::Event::kError) {
      error(g_decoder.error_seq(), g_decoder.error(), g_decoder.error() == ErrorCode::kBadCrc ? "bad CRC" :
            g_decoder.error() == ErrorCode::kTooLong ? "frame longer than the maximum payload" : "unsupported protocol version");
      continue;
    }
    if (ev != Decoder::Event::kFrame) continue;
    const Frame& f = g_decoder.frame();
    if (f.type == bulk::kBulkWindow) {
      bulk_window(f);
      continue;
    }
    if (f.type == bulk::kLoadFromFlash) {
      const Next next = handle_load(f);
      if (next == Next::kModelLoaded) *pending = &f;
      if (next != Next::kContinue) return next;
      continue;
    }
    if (f.type == bulk::kInvokeBatch) {
      if (in == nullptr) {
        error(f.seq, ErrorCode::kNoModel, "no model loaded");
      } else {
        handle_model_request(f, *in);
      }
      continue;
    }
    switch (static_cast<Type>(f.type)) {
      case Type::kHello:
        hello(f);
        break;
      case Type::kLoadBegin:
      case Type::kLoadChunk:
      case Type::kLoadEnd: {
        const Next next = handle_load(f);
        if (next == Next::kModelLoaded) *pending = &f;
        if (next != Next::kContinue) return next;
        break;
      }
      case Type::kSetInput:
      case Type::kInvoke:
      case Type::kReadOutput:
      case Type::kReadStats:
        if (in == nullptr) {
          error(f.seq, ErrorCode::kNoModel, "no model loaded");
        } else {
          handle_model_request(f, *in);
        }
        break;
      default:
        error(f.seq, ErrorCode::kUnknownType, "unknown request type");
    }
  }
}

}  // namespace

int main() {
  paint_stack();
  g_uart.init();
  const Frame* pending = nullptr;
  for (;;) {
    if (!g_model_ready) {
      serve(nullptr, &pending);
      continue;
    }
    // One interpreter per loaded model, on the stack: no heap, and a new
    // LoadBegin ends its scope.
    Interpreter in(g_model, kiln::runtime::all_ops(), arena(), arena_size());
    in.set_clock(kiln::runtime::Clock{read_instret, nullptr});
    const kiln::Status st = in.init();
    if (st != kiln::Status::kOk) {
      g_model_ready = false;
      error(pending->seq, ErrorCode::kModelRejected, in.diag().message(), st);
      continue;
    }
    g_instret = g_cycles = 0;
    model_summary(*pending, in);
    serve(&in, &pending);
  }
}
