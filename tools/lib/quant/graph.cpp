// Reads a float (or hybrid) model into a Graph, folding quantized constant
// weights and constant DEQUANTIZE ops into float constants.
#include "graph.h"

#include <cstring>
#include <map>

#include "kiln/host/error.h"
#include "kiln/host/model_file.h"
#include "kiln/host/scalar.h"

namespace kiln::quant::detail {

using host::fail;
using model::OptionsType;
using model::TensorType;

namespace {

// Field layouts of the option tables kiln copies: {index, size}; size 0 is
// an int32 vector. Anything else is reported as unsupported.
const std::map<OptionsType, std::vector<std::pair<int, int>>>& layouts() {
  static const std::map<OptionsType, std::vector<std::pair<int, int>>> m = {
      {OptionsType::kConv2d, {{0, 1}, {1, 4}, {2, 4}, {3, 1}, {4, 4}, {5, 4}}},
      {OptionsType::kDepthwiseConv2d, {{0, 1}, {1, 4}, {2, 4}, {3, 4}, {4, 1}, {5, 4}, {6, 4}}},
      {OptionsType::kPool2d, {{0, 1}, {1, 4}, {2, 4}, {3, 4}, {4, 4}, {5, 1}}},
      {OptionsType::kFullyConnected, {{0, 1}, {1, 1}, {2, 1}, {3, 1}}},
      {OptionsType::kSoftmax, {{0, 4}}},
      {OptionsType::kConcatenation, {{0, 4}, {1, 1}}},
      {OptionsType::kAdd, {{0, 1}, {1, 1}}},
      {OptionsType::kSub, {{0, 1}, {1, 1}}},
      {OptionsType::kMul, {{0, 1}}},
      {OptionsType::kReshape, {{0, 0}}},
      {OptionsType::kReducer, {{0, 1}}},
      {OptionsType::kPad, {}},
      {OptionsType::kDequantize, {}},
      {OptionsType::kQuantize, {}},
  };
  return m;
}

// Index of the fused activation field, -1 when the options have none.
int activation_field(OptionsType t) {
  switch (t) {
    case OptionsType::kConv2d: return 3;
    case OptionsType::kDepthwiseConv2d: return 4;
    case OptionsType::kPool2d: return 5;
    case OptionsType::kFullyConnected: case OptionsType::kAdd: case OptionsType::kSub:
    case OptionsType::kMul: return 0;
    case OptionsType::kConcatenation: return 1;
    default: return -1;
  }
}

std::vector<float> constant_as_float(const model::Model& m, uint32_t index, const std::string& name) {
  const model::TensorView t = m.tensor(index);
  const model::BufferView b = m.tensor_data(index);
  const uint32_t n = t.element_count();
  std::vector<float> out(n);
  const uint32_t size = model::tensor_type_size(t.type);
  if (size == 0 || b.size < n * size) fail("constant tensor '" + name + "' has too little data");
  if (t.type == TensorType::kFloat32) {
    std::memcpy(out.data(), b.data, n * 4);
    return out;
  }
  if (t.type == TensorType::kFloat16) {
    for (uint32_t i = 0; i < n; ++i) out[i] = static_cast<float>(host::load_scalar(t.type, b.data, i).f);
    return out;
  }
  if (t.type != TensorType::kInt8 && t.type != TensorType::kUInt8 && t.type != TensorType::kInt16 &&
      t.type != TensorType::kInt32) {
    fail("constant tensor '" + name + "' of type " + model::tensor_type_name(t.type) + " cannot be read as weights");
  }
  if (!t.quant.present()) fail("quantized constant '" + name + "' has no scale");
  // Per channel along quantized_dimension (hybrid weights), or per tensor.
  const uint32_t axis = static_cast<uint32_t>(t.quant.quantized_dimension);
  const uint32_t channels = t.quant.scale.size();
  uint32_t inner = 1;
  for (uint32_t d = axis + 1; d < t.rank(); ++d) inner *= static_cast<uint32_t>(t.shape[d]);
  if (channels > 1 && (axis >= t.rank() || static_cast<uint32_t>(t.shape[axis]) != channels)) {
    fail("quantized constant '" + name + "': " + std::to_string(channels) + " scales do not match dimension " +
         std::to_string(axis));
  }
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t c = channels > 1 ? (i / inner) % channels : 0;
    const int64_t zp = t.quant.zero_point.size() > c ? t.quant.zero_point[c] : 0;
    const int64_t q = host::load_scalar(t.type, b.data, i).i;
    out[i] = static_cast<float>(static_cast<double>(q - zp) * static_cast<double>(t.quant.scale[c]));
  }
  return out;
}

}  // namespace

size_t GraphTensor::elements() const {
  size_t n = 1;
  for (int32_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

model::Activation GraphOp::activation() const {
  const int f = activation_field(options_type);
  for (const OptionField& o : options) {
    if (o.index == f && !o.bytes.empty()) return static_cast<model::Activation>(static_cast<int8_t>(o.bytes[0]));
  }
  return model::Activation::kNone;
}

tflite::OptionsWriter GraphOp::writer(std::vector<int> drop) const {
  if (options_type == OptionsType::kNone) return nullptr;
  std::vector<OptionField> fields;
  for (const OptionField& o : options) {
    bool dropped = false;
    for (int d : drop) dropped = dropped || d == o.index;
    if (!dropped) fields.push_back(o);
  }
  return [fields](flatbuffers::FlatBufferBuilder& b) -> flatbuffers::uoffset_t {
    std::vector<flatbuffers::uoffset_t> vectors(fields.size(), 0);
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].size != 0) continue;
      std::vector<int32_t> v(fields[i].bytes.size() / 4);
      if (!v.empty()) std::memcpy(v.data(), fields[i].bytes.data(), v.size() * 4);
      vectors[i] = b.CreateVector(v).o;
    }
    // Present fields are written even when equal to the schema default: the
    // copy then says exactly what the original said.
    b.ForceDefaults(true);
    const auto start = b.StartTable();
    for (size_t i = 0; i < fields.size(); ++i) {
      const OptionField& f = fields[i];
      const auto slot = tflite::field(f.index);
      if (f.size == 0) {
        b.AddOffset(slot, flatbuffers::Offset<void>(vectors[i]));
      } else if (f.size == 1) {
        b.AddElement<uint8_t>(slot, f.bytes[0], 0);
      } else {
        uint32_t u;
        std::memcpy(&u, f.bytes.data(), 4);
        b.AddElement<uint32_t>(slot, u, 0);
      }
    }
    const auto end = b.EndTable(start);
    b.ForceDefaults(false);
    return end;
  };
}

Graph read_graph(const model::Model& m) {
  Graph g;
  for (uint32_t i = 0; i < m.tensor_count(); ++i) {
    const model::TensorView t = m.tensor(i);
    GraphTensor gt;
    gt.name = host::to_string(t.name);
    gt.type = t.type;
    for (uint32_t d = 0; d < t.rank(); ++d) gt.shape.push_back(t.shape[d]);
    const model::BufferView b = m.tensor_data(i);
    gt.constant = b.data != nullptr && b.size > 0;
    if (t.is_variable) fail("tensor '" + gt.name + "' is a variable (state) tensor: stateful models cannot be quantized");
    if (gt.constant) {
      if (t.type != TensorType::kFloat32 && t.type != TensorType::kFloat16 && !t.quant.present()) {
        gt.raw.assign(b.data, b.data + b.size);  // shapes, axes, paddings: kept as they are
      } else {
        gt.values = constant_as_float(m, i, gt.name);
        gt.type = TensorType::kFloat32;
      }
    }
    g.tensors.push_back(std::move(gt));
  }
  for (uint32_t i = 0; i < m.operator_count(); ++i) {
    const model::OperatorView o = m.op(i);
    GraphOp op;
    op.code = o.builtin_code;
    char fallback[16];
    op.name = model::builtin_op_name(o.builtin_code, fallback, sizeof(fallback));
    for (uint32_t k = 0; k < o.inputs.size(); ++k) op.inputs.push_back(o.inputs[k]);
    for (uint32_t k = 0; k < o.outputs.size(); ++k) op.outputs.push_back(o.outputs[k]);
    op.options_type = o.options_type;
    if (o.options_type != OptionsType::kNone) {
      const auto it = layouts().find(o.options_type);
      op.options_known = it != layouts().end();
      for (const auto& [index, size] : op.options_known ? it->second : std::vector<std::pair<int, int>>{}) {
        if (!o.options.has(static_cast<uint32_t>(index))) continue;
        OptionField f{index, size, {}};
        const uint32_t slot = static_cast<uint32_t>(index);  // the reader takes field numbers
        if (size == 0) {
          const model::Vec<int32_t> v = o.options.vec<int32_t>(slot);
          for (uint32_t k = 0; k < v.size(); ++k) {
            const int32_t x = v[k];
            const auto* p = reinterpret_cast<const uint8_t*>(&x);
            f.bytes.insert(f.bytes.end(), p, p + 4);
          }
        } else if (size == 1) {
          f.bytes.push_back(o.options.scalar<uint8_t>(slot, 0));
        } else {
          const uint32_t u = o.options.scalar<uint32_t>(slot, 0);
          const auto* p = reinterpret_cast<const uint8_t*>(&u);
          f.bytes.assign(p, p + 4);
        }
        op.options.push_back(std::move(f));
      }
    }
    g.ops.push_back(std::move(op));
  }
  for (uint32_t k = 0; k < m.inputs().size(); ++k) g.inputs.push_back(m.inputs()[k]);
  for (uint32_t k = 0; k < m.outputs().size(); ++k) g.outputs.push_back(m.outputs()[k]);
  return g;
}

}  // namespace kiln::quant::detail
