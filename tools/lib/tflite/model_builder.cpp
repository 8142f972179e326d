#include "kiln/tflite/model_builder.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace kiln::tflite {

namespace fb = flatbuffers;

ModelBuilder::ModelBuilder() { buffers_.push_back({}); }

uint32_t ModelBuilder::add_buffer(const std::vector<uint8_t>& bytes) {
  buffers_.push_back(bytes);
  return static_cast<uint32_t>(buffers_.size() - 1);
}

int32_t ModelBuilder::add_tensor(model::TensorType type, std::vector<int32_t> shape,
                                 const std::string& name, uint32_t buffer, QuantSpec quant,
                                 bool is_variable) {
  tensors_.push_back({type, std::move(shape), name, buffer, std::move(quant), is_variable});
  return static_cast<int32_t>(tensors_.size() - 1);
}

void ModelBuilder::add_op(model::BuiltinOp op, std::vector<int32_t> inputs,
                          std::vector<int32_t> outputs, model::OptionsType options_type,
                          OptionsWriter options) {
  ops_.push_back({static_cast<int32_t>(op), std::move(inputs), std::move(outputs), options_type, std::move(options), 1});
}

std::vector<uint8_t> ModelBuilder::finish(uint32_t schema_version) {
  fb::FlatBufferBuilder b(1024);
  std::vector<fb::Offset<void>> buffers;
  for (const auto& data : buffers_) {
    fb::uoffset_t vec = 0;
    if (!data.empty()) {
      b.ForceVectorAlignment(data.size(), 1, 16);
      vec = b.CreateVector(data).o;
    }
    const auto start = b.StartTable();
    if (vec) b.AddOffset(field(0), fb::Offset<void>(vec));
    buffers.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  std::vector<fb::Offset<void>> tensors;
  for (const auto& t : tensors_) {
    const auto shape = b.CreateVector(t.shape);
    const auto name = b.CreateString(t.name);
    fb::uoffset_t quant = 0;
    if (!t.quant.scale.empty()) {
      const auto scale = b.CreateVector(t.quant.scale);
      const auto zp = b.CreateVector(t.quant.zero_point);
      const auto qs = b.StartTable();
      b.AddOffset(field(2), scale);
      b.AddOffset(field(3), zp);
      b.AddElement<int32_t>(field(6), t.quant.axis, 0);
      quant = b.EndTable(qs);
    }
    const auto start = b.StartTable();
    b.AddOffset(field(0), shape);
    b.AddElement<int8_t>(field(1), static_cast<int8_t>(t.type), 0);
    b.AddElement<uint32_t>(field(2), t.buffer, 0);
    b.AddOffset(field(3), name);
    if (quant) b.AddOffset(field(4), fb::Offset<void>(quant));
    b.AddElement<uint8_t>(field(5), t.variable ? 1 : 0, 0);
    tensors.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  // One operator code per (builtin, version) pair, as the converter writes.
  std::map<std::pair<int32_t, int32_t>, uint32_t> opcode_index;
  std::vector<fb::Offset<void>> opcodes;
  for (const auto& op : ops_) {
    if (opcode_index.count({op.code, op.version})) continue;
    opcode_index[{op.code, op.version}] = static_cast<uint32_t>(opcodes.size());
    const auto start = b.StartTable();
    b.AddElement<int8_t>(field(0), static_cast<int8_t>(std::min(op.code, 127)), 0);
    b.AddElement<int32_t>(field(2), op.version, 0);
    b.AddElement<int32_t>(field(3), op.code, 0);
    opcodes.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  std::vector<fb::Offset<void>> operators;
  for (const auto& op : ops_) {
    const auto in = b.CreateVector(op.in);
    const auto out = b.CreateVector(op.out);
    const fb::uoffset_t options = op.options ? op.options(b) : 0;
    const auto start = b.StartTable();
    b.AddElement<uint32_t>(field(0), opcode_index[{op.code, op.version}], 0);
    b.AddOffset(field(1), in);
    b.AddOffset(field(2), out);
    b.AddElement<uint8_t>(field(3), static_cast<uint8_t>(op.type), 0);
    if (options) b.AddOffset(field(4), fb::Offset<void>(options));
    operators.push_back(fb::Offset<void>(b.EndTable(start)));
  }
  const auto tensors_vec = b.CreateVector(tensors);
  const auto in = b.CreateVector(inputs_);
  const auto out = b.CreateVector(outputs_);
  const auto ops_vec = b.CreateVector(operators);
  const auto sg_start = b.StartTable();
  b.AddOffset(field(0), tensors_vec);
  b.AddOffset(field(1), in);
  b.AddOffset(field(2), out);
  b.AddOffset(field(3), ops_vec);
  const auto subgraph = fb::Offset<void>(b.EndTable(sg_start));
  const auto subgraphs = b.CreateVector(std::vector<fb::Offset<void>>{subgraph});
  const auto opcodes_vec = b.CreateVector(opcodes);
  const auto buffers_vec = b.CreateVector(buffers);
  const auto desc = b.CreateString(description_);
  const auto root = b.StartTable();
  b.AddElement<uint32_t>(field(0), schema_version, 0);
  b.AddOffset(field(1), opcodes_vec);
  b.AddOffset(field(2), subgraphs);
  b.AddOffset(field(3), desc);
  b.AddOffset(field(4), buffers_vec);
  b.Finish(fb::Offset<void>(b.EndTable(root)), "TFL3");
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

OptionsWriter scalar_options(std::vector<ScalarField> fields) {
  return [fields](fb::FlatBufferBuilder& b) {
    const auto start = b.StartTable();
    for (const ScalarField& f : fields) {
      if (f.width == 1) b.AddElement<int8_t>(field(f.index), static_cast<int8_t>(f.value), 0);
      if (f.width == 4) b.AddElement<int32_t>(field(f.index), static_cast<int32_t>(f.value), 0);
      if (f.width == -4) {
        float v;
        const int32_t bits = static_cast<int32_t>(f.value);
        std::memcpy(&v, &bits, 4);
        b.AddElement<float>(field(f.index), v, 0.0f);
      }
    }
    return b.EndTable(start);
  };
}

int64_t float_bits(float f) {
  int32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

}  // namespace kiln::tflite
