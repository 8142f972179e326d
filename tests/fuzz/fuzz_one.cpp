#include "fuzz_one.h"

#include <cstring>
#include <vector>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"

namespace kiln::fuzz {

namespace {
// 1 MiB: large enough for every shipped model but person_detect's plan, small
// enough that hostile shapes fail fast with kArenaTooSmall.
constexpr size_t kArenaBytes = 1 << 20;
struct alignas(16) Block { uint8_t b[16]; };
}  // namespace

FuzzOutcome run_model_bytes(const uint8_t* data, size_t size) {
  FuzzOutcome out;
  // Copy into exactly-sized aligned storage so ASan sees any over-read.
  std::vector<Block> model_storage((size + 15) / 16 + 1);
  uint8_t* model_bytes = reinterpret_cast<uint8_t*>(model_storage.data());
  if (size) std::memcpy(model_bytes, data, size);
  static std::vector<Block> arena(kArenaBytes / 16);
  Diag diag;
  model::Model model;
  out.load = model.load(model_bytes, size, diag);
  if (out.load != Status::kOk) return out;
  runtime::Interpreter interp(model, runtime::all_ops(), reinterpret_cast<uint8_t*>(arena.data()), kArenaBytes);
  out.init = interp.init();
  if (out.init != Status::kOk) return out;
  for (uint32_t i = 0; i < interp.input_count(); ++i) {
    runtime::Tensor* t = interp.input(i);
    if (t != nullptr && t->data != nullptr) std::memset(t->data, 0x5A, t->bytes);
  }
  out.invoke = interp.invoke();
  out.invoked = true;
  return out;
}

}  // namespace kiln::fuzz
