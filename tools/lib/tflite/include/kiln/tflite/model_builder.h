// Writes TFLite models with the flatbuffers library, field by
// field (no generated schema code): used by kiln quantize/import and by the
// tests (single-op models, fuzz seeds). Host only.
#pragma once
#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kiln/model/schema.h"

namespace kiln::tflite {

struct QuantSpec {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t axis = 0;
};

// Writes an options table and returns its offset (0 for none).
using OptionsWriter = std::function<flatbuffers::uoffset_t(flatbuffers::FlatBufferBuilder&)>;

class ModelBuilder {
 public:
  ModelBuilder();
  // Constant data; returns the buffer index (0 is the empty buffer).
  uint32_t add_buffer(const std::vector<uint8_t>& bytes);
  template <typename T>
  uint32_t add_buffer_of(const std::vector<T>& values) {
    std::vector<uint8_t> b(values.size() * sizeof(T));
    if (!b.empty()) std::memcpy(b.data(), values.data(), b.size());
    return add_buffer(b);
  }
  int32_t add_tensor(model::TensorType type, std::vector<int32_t> shape, const std::string& name,
                     uint32_t buffer = 0, QuantSpec quant = {}, bool is_variable = false);
  void add_op(model::BuiltinOp op, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
              model::OptionsType options_type = model::OptionsType::kNone,
              OptionsWriter options = nullptr);
  // Operator version of the op added last (default 1): int8 kernels need the
  // versions TFLite's converter writes (e.g. CONV_2D 3) for other runtimes.
  void set_last_op_version(int32_t version) { if (!ops_.empty()) ops_.back().version = version; }
  void set_description(std::string description) { description_ = std::move(description); }
  void set_inputs(std::vector<int32_t> inputs) { inputs_ = std::move(inputs); }
  void set_outputs(std::vector<int32_t> outputs) { outputs_ = std::move(outputs); }
  std::vector<uint8_t> finish(uint32_t schema_version = 3);

 private:
  struct Tensor { model::TensorType type; std::vector<int32_t> shape; std::string name; uint32_t buffer; QuantSpec quant; bool variable; };
  struct Op { int32_t code; std::vector<int32_t> in, out; model::OptionsType type; OptionsWriter options; int32_t version = 1; };
  std::vector<std::vector<uint8_t>> buffers_;
  std::vector<Tensor> tensors_;
  std::vector<Op> ops_;
  std::vector<int32_t> inputs_, outputs_;
  std::string description_ = "kiln test model";
};

// Slot of schema field `index` in a table's vtable.
constexpr flatbuffers::voffset_t field(int index) { return static_cast<flatbuffers::voffset_t>(4 + 2 * index); }

// One scalar field of an options table: schema field index, value, and byte
// width (1, 4, or -4 for a float whose bits are `value`, see float_bits).
struct ScalarField {
  int index;
  int64_t value;
  int width;
};
// An options table holding only scalar fields (most builtin options).
OptionsWriter scalar_options(std::vector<ScalarField> fields);
// The bits of a float, for a ScalarField of width -4.
int64_t float_bits(float f);

}  // namespace kiln::tflite
