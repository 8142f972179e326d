// What one operator's emitter sees: its prepared data, its tensors as C++
// expressions (arena offsets, flash arrays, state), and where to put
// constants and the kernel call. Private to kiln_aot.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "c_text.h"
#include "kiln/host/model_file.h"
#include "kiln/runtime/interpreter.h"

namespace kiln::aot {

// Text accumulated for the three files.
struct ModelText {
  std::string params;        // constexpr parameter structs (anonymous namespace)
  std::string body;          // statements of invoke()
  std::string weight_decls;  // extern declarations used by <id>_aot.cpp
  std::string weight_defs;   // definitions in <id>_aot_weights.cpp
  size_t flash_bytes = 0;
  std::set<std::string> headers;  // kiln/kernels/*.h the calls need
};

class Emitter {
 public:
  Emitter(const host::LoadedModel& model, const runtime::Interpreter& interp, const uint8_t* arena,
          const std::map<int32_t, uint32_t>& state_offsets, ModelText& text);

  void begin_op(uint32_t op);
  uint32_t op() const { return op_; }
  std::string prefix() const { return "op" + std::to_string(op_); }
  const std::string& op_name() const { return op_name_; }

  // The op's prepared data as the op_data/<op>.h struct.
  template <typename T>
  const T& data() const {
    const void* d = interp_.op_data(op_);
    if (d == nullptr) unsupported("the interpreter kept no prepared data for it");
    return *static_cast<const T*>(d);
  }

  const runtime::Tensor* input_tensor(uint32_t i) const;   // nullptr when omitted
  const runtime::Tensor& output_tensor(uint32_t i) const;
  uint32_t input_count() const;
  // Typed pointer expressions: "at<int8_t>(arena, t3_conv)", "weights::w2_filter",
  // "nullptr" for an omitted input.
  std::string input(uint32_t i);
  std::string output(uint32_t i);
  // The op's scratch buffer typed as `ctype`, or nullptr when it has none.
  std::string scratch(const std::string& ctype);

  // An op-owned flash array (e.g. per-channel multipliers); returns its name.
  std::string flash(const std::string& suffix, model::TensorType type, const void* data, size_t bytes);
  // Adds a constexpr parameter struct; returns its name (op<N>_<suffix>).
  std::string param(const StructText& s, const std::string& suffix, const std::string& comment);
  // One statement of invoke(); `kernel` is recorded for the report.
  void call(const std::string& statement, const std::string& kernel);
  const std::string& kernel() const { return kernel_; }

  [[noreturn]] void unsupported(const std::string& why) const;

  // Activation tensors referenced so far, in index order (for the offsets table).
  const std::set<int32_t>& activations() const { return activations_; }
  std::string tensor_ident(int32_t t) const;  // t<idx>_<name>
  std::string tensor_expr(int32_t t, bool writable);

 private:
  std::string weight_ident(int32_t t) const;

  const host::LoadedModel& model_;
  const runtime::Interpreter& interp_;
  const uint8_t* arena_;
  const std::map<int32_t, uint32_t>& state_offsets_;
  ModelText& text_;
  uint32_t op_ = 0;
  std::string op_name_;
  std::string kernel_;
  std::set<int32_t> activations_;
  std::set<int32_t> weights_;
};

// Emits operator `e.op()` (dispatch on its builtin code); throws through
// e.unsupported() for anything it cannot emit.
void emit_op(Emitter& e, int32_t builtin_code);

}  // namespace kiln::aot
