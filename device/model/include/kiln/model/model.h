// Zero-copy reader of a TFLite model (schema version 3, subgraph 0).
//
// Model::load() verifies every table, vector, string, index and buffer range
// the runtime will ever touch, once. After it returns kOk, the accessors below
// cannot read outside the model bytes. The model bytes are borrowed: they must
// outlive the Model (they usually sit in flash). Memory cost: ~64 bytes.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/model/flatbuffer.h"
#include "kiln/model/schema.h"

namespace kiln::model {

// Tensors kiln can hold have at most this many dimensions.
constexpr uint32_t kMaxRank = 6;

struct Quantization {
  Vec<float> scale;          // 1 entry (per-tensor) or one per channel
  Vec<int64_t> zero_point;   // same count as scale, or empty
  int32_t quantized_dimension = 0;
  bool present() const { return scale.size() > 0; }
  bool per_channel() const { return scale.size() > 1; }
};

struct TensorView {
  TensorType type = TensorType::kFloat32;
  Vec<int32_t> shape;        // checked: rank <= kMaxRank, dims >= 0, 4-aligned
  uint32_t buffer = 0;       // 0 = no data (activation)
  Str name;
  Quantization quant;
  bool is_variable = false;

  uint32_t rank() const { return shape.size(); }
  // Elements; 0 on overflow (load() rejects tensors whose bytes overflow).
  uint32_t element_count() const;
};

struct BufferView {
  const uint8_t* data = nullptr;  // null when the buffer is empty
  uint32_t size = 0;
};

struct OperatorView {
  int32_t builtin_code = 0;    // BuiltinOp value (max of the two schema fields)
  int32_t version = 1;
  Str custom_code;             // for CUSTOM ops
  Vec<int32_t> inputs;         // tensor indices; -1 marks an omitted optional input
  Vec<int32_t> outputs;
  Vec<int32_t> intermediates;
  OptionsType options_type = OptionsType::kNone;
  Table options;               // the builtin options table (may be absent)
};

class Model {
 public:
  // Verifies `data` (size bytes) as a TFLite model. `data` must be 4-byte
  // aligned (16 recommended, as TFLite's converter aligns buffers).
  Status load(const void* data, size_t size, Diag& diag);

  uint32_t schema_version() const { return version_; }
  Str description() const { return description_; }
  const uint8_t* bytes() const { return buf_.data; }
  uint32_t byte_size() const { return buf_.size; }

  uint32_t tensor_count() const { return tensors_.size(); }
  uint32_t operator_count() const { return operators_.size(); }
  uint32_t buffer_count() const { return buffers_.size(); }
  uint32_t subgraph_count() const { return subgraph_count_; }

  TensorView tensor(uint32_t index) const;
  OperatorView op(uint32_t index) const;
  BufferView buffer(uint32_t index) const;
  // Constant data of a tensor (its buffer), empty for activations.
  BufferView tensor_data(uint32_t tensor_index) const { return buffer(tensor(tensor_index).buffer); }

  Vec<int32_t> inputs() const { return inputs_; }
  Vec<int32_t> outputs() const { return outputs_; }

 private:
  Status verify_buffers(Diag& diag);
  Status verify_tensors(Diag& diag);
  Status verify_tensor(uint32_t i, Diag& diag);
  Status verify_opcodes(Diag& diag);
  Status verify_operators(Diag& diag);
  Status verify_operator(uint32_t i, Diag& diag);
  Status verify_index_list(const Vec<int32_t>& v, bool allow_omitted, const char* what,
                           uint32_t op, Diag& diag);

  Bytes buf_;
  uint32_t version_ = 0;
  uint32_t subgraph_count_ = 0;
  Str description_;
  TableVec opcodes_;
  TableVec buffers_;
  TableVec tensors_;
  TableVec operators_;
  Vec<int32_t> inputs_;
  Vec<int32_t> outputs_;
};

}  // namespace kiln::model
