#include "kiln/model/model.h"

namespace kiln::model {

namespace {

// Schema field numbers (order of declaration in TFLite's schema.fbs).
enum ModelField : uint32_t { kModelVersion = 0, kModelOpcodes = 1, kModelSubgraphs = 2,
                             kModelDescription = 3, kModelBuffers = 4 };
enum SubgraphField : uint32_t { kSgTensors = 0, kSgInputs = 1, kSgOutputs = 2, kSgOperators = 3 };
enum TensorField : uint32_t { kTShape = 0, kTType = 1, kTBuffer = 2, kTName = 3, kTQuant = 4,
                              kTIsVariable = 5, kTSparsity = 6 };
enum QuantField : uint32_t { kQScale = 2, kQZeroPoint = 3, kQDetailsType = 4, kQAxis = 6 };
enum OpcodeField : uint32_t { kOcDeprecatedCode = 0, kOcCustom = 1, kOcVersion = 2, kOcCode = 3 };
enum OperatorField : uint32_t { kOpOpcode = 0, kOpInputs = 1, kOpOutputs = 2, kOpOptionsType = 3,
                                kOpOptions = 4, kOpIntermediates = 8 };
enum BufferField : uint32_t { kBufData = 0, kBufOffset = 1, kBufSize = 2 };

constexpr uint32_t kSchemaVersion = 3;

int32_t builtin_code_of(const Table& opcode) {
  // Codes above 127 live only in the newer int32 field; older files only
  // fill the int8 one. TFLite takes the larger of the two.
  const int32_t deprecated = opcode.scalar<int8_t>(kOcDeprecatedCode, 0);
  const int32_t code = opcode.scalar<int32_t>(kOcCode, 0);
  return code > deprecated ? code : deprecated;
}

}  // namespace

uint32_t TensorView::element_count() const {
  uint64_t n = 1;
  for (uint32_t i = 0; i < shape.size(); ++i) {
    const int32_t d = shape[i];
    if (d < 0) return 0;
    n *= static_cast<uint64_t>(d);
    if (n > UINT32_MAX) return 0;
  }
  return static_cast<uint32_t>(n);
}

Status Model::load(const void* data, size_t size, Diag& diag) {
  *this = Model();
  if (data == nullptr) return diag.fail(Status::kInvalidArgument, "model data is null");
  if ((reinterpret_cast<uintptr_t>(data) & 3u) != 0) {
    return diag.fail(Status::kInvalidArgument, "model data must be 4-byte aligned (16 recommended)");
  }
  if (size < 16) return diag.fail(Status::kInvalidModel, "model is %lu bytes: too small to be a TFLite file", static_cast<unsigned long>(size));
  if (size > 0x7FFFFFF0u) return diag.fail(Status::kInvalidModel, "model larger than 2 GiB is not supported");
  buf_.data = static_cast<const uint8_t*>(data);
  buf_.size = static_cast<uint32_t>(size);
  if (memcmp(buf_.data + 4, "TFL3", 4) != 0) {
    return diag.fail(Status::kInvalidModel, "not a TFLite model: file identifier is not 'TFL3'");
  }
  const Table root = Table::at_offset(buf_, 0);
  if (!root.ok()) return diag.fail(Status::kInvalidModel, "root table is out of bounds");
  version_ = root.scalar<uint32_t>(kModelVersion, 0);
  if (version_ != kSchemaVersion) {
    return diag.fail(Status::kUnsupported, "schema version %lu is not supported (kiln reads version 3)",
                     static_cast<unsigned long>(version_));
  }
  description_ = root.str(kModelDescription);
  const TableVec subgraphs = root.tables(kModelSubgraphs);
  if (!subgraphs.ok() || subgraphs.size() == 0) {
    return diag.fail(Status::kInvalidModel, "model has no subgraph (or its subgraph list is corrupt)");
  }
  subgraph_count_ = subgraphs.size();
  const Table sg = subgraphs.at(0);
  if (!sg.ok()) return diag.fail(Status::kInvalidModel, "subgraph 0 is out of bounds");
  opcodes_ = root.tables(kModelOpcodes);
  buffers_ = root.tables(kModelBuffers);
  tensors_ = sg.tables(kSgTensors);
  operators_ = sg.tables(kSgOperators);
  inputs_ = sg.vec<int32_t>(kSgInputs);
  outputs_ = sg.vec<int32_t>(kSgOutputs);
  if (!opcodes_.ok() && opcodes_.present()) return diag.fail(Status::kInvalidModel, "operator code list is corrupt");
  if (!buffers_.ok()) return diag.fail(Status::kInvalidModel, "buffer list is missing or corrupt");
  if (!tensors_.ok()) return diag.fail(Status::kInvalidModel, "tensor list is missing or corrupt");
  if (operators_.broken()) return diag.fail(Status::kInvalidModel, "operator list is corrupt");
  KILN_TRY(verify_buffers(diag));
  KILN_TRY(verify_tensors(diag));
  KILN_TRY(verify_opcodes(diag));
  KILN_TRY(verify_index_list(inputs_, false, "graph inputs", UINT32_MAX, diag));
  KILN_TRY(verify_index_list(outputs_, false, "graph outputs", UINT32_MAX, diag));
  return verify_operators(diag);
}

Status Model::verify_buffers(Diag& diag) {
  for (uint32_t i = 0; i < buffers_.size(); ++i) {
    const Table b = buffers_.at(i);
    if (!b.ok()) return diag.fail(Status::kInvalidModel, "buffer %lu is out of bounds", static_cast<unsigned long>(i));
    if (b.vec<uint8_t>(kBufData).broken()) {
      return diag.fail(Status::kInvalidModel, "buffer %lu: data runs past the end of the model", static_cast<unsigned long>(i));
    }
    const uint64_t off = b.scalar<uint64_t>(kBufOffset, 0);
    const uint64_t len = b.scalar<uint64_t>(kBufSize, 0);
    if (off > 1 && (off > buf_.size || len > buf_.size - off)) {
      return diag.fail(Status::kInvalidModel, "buffer %lu: external data [%llu, +%llu) lies outside the model",
                       static_cast<unsigned long>(i), static_cast<unsigned long long>(off),
                       static_cast<unsigned long long>(len));
    }
  }
  return Status::kOk;
}

BufferView Model::buffer(uint32_t index) const {
  BufferView v;
  const Table b = buffers_.at(index);
  if (!b.ok()) return v;
  const Vec<uint8_t> d = b.vec<uint8_t>(kBufData);
  if (d.ok() && d.size() > 0) {
    v.data = d.bytes();
    v.size = d.size();
    return v;
  }
  // Models over 2 GB keep data after the flatbuffer: offset/size fields.
  const uint64_t off = b.scalar<uint64_t>(kBufOffset, 0);
  const uint64_t len = b.scalar<uint64_t>(kBufSize, 0);
  if (off > 1 && off <= buf_.size && len <= buf_.size - off && len > 0) {
    v.data = buf_.data + off;
    v.size = static_cast<uint32_t>(len);
  }
  return v;
}

TensorView Model::tensor(uint32_t index) const {
  TensorView v;
  const Table t = tensors_.at(index);
  if (!t.ok()) return v;
  v.type = static_cast<TensorType>(t.scalar<int8_t>(kTType, 0));
  v.shape = t.vec<int32_t>(kTShape);
  v.buffer = t.scalar<uint32_t>(kTBuffer, 0);
  v.name = t.str(kTName);
  v.is_variable = t.scalar<uint8_t>(kTIsVariable, 0) != 0;
  const Table q = t.table(kTQuant);
  if (q.ok()) {
    v.quant.scale = q.vec<float>(kQScale);
    v.quant.zero_point = q.vec<int64_t>(kQZeroPoint);
    v.quant.quantized_dimension = q.scalar<int32_t>(kQAxis, 0);
  }
  return v;
}

Status Model::verify_tensors(Diag& diag) {
  for (uint32_t i = 0; i < tensors_.size(); ++i) KILN_TRY(verify_tensor(i, diag));
  return Status::kOk;
}

Status Model::verify_tensor(uint32_t i, Diag& diag) {
  const unsigned long idx = i;
  const Table t = tensors_.at(i);
  if (!t.ok()) return diag.fail(Status::kInvalidModel, "tensor %lu is out of bounds", idx);
  const TensorView v = tensor(i);
  if (v.shape.broken()) return diag.fail(Status::kInvalidModel, "tensor %lu: shape runs past the end of the model", idx);
  if (v.shape.size() > kMaxRank) {
    return diag.fail(Status::kUnsupported, "tensor %lu: rank %lu exceeds kiln's maximum of %lu", idx,
                     static_cast<unsigned long>(v.shape.size()), static_cast<unsigned long>(kMaxRank));
  }
  if (v.shape.size() > 0 && !v.shape.aligned()) {
    return diag.fail(Status::kInvalidModel, "tensor %lu: shape vector is not 4-byte aligned", idx);
  }
  for (uint32_t d = 0; d < v.shape.size(); ++d) {
    if (v.shape[d] < 0) return diag.fail(Status::kUnsupported, "tensor %lu: dynamic or negative dimension %ld", idx, static_cast<long>(v.shape[d]));
  }
  const uint64_t elems = v.element_count();
  if (elems == 0 && v.shape.size() > 0) {
    bool has_zero = false;
    for (uint32_t d = 0; d < v.shape.size(); ++d) has_zero |= v.shape[d] == 0;
    if (!has_zero) return diag.fail(Status::kInvalidModel, "tensor %lu: element count overflows", idx);
  }
  if (elems * (tensor_type_size(v.type) ? tensor_type_size(v.type) : 1) > 0x7FFFFFFFu) {
    return diag.fail(Status::kInvalidModel, "tensor %lu: byte size overflows", idx);
  }
  if (v.name.state == ViewState::kBroken) return diag.fail(Status::kInvalidModel, "tensor %lu: name runs past the end", idx);
  if (v.buffer >= buffers_.size()) {
    return diag.fail(Status::kInvalidModel, "tensor %lu: buffer index %lu out of range (%lu buffers)", idx,
                     static_cast<unsigned long>(v.buffer), static_cast<unsigned long>(buffers_.size()));
  }
  if (t.has(kTSparsity)) return diag.fail(Status::kUnsupported, "tensor %lu: sparse tensors are not supported", idx);
  const Table q = t.table(kTQuant);
  if (q.broken()) return diag.fail(Status::kInvalidModel, "tensor %lu: quantization table is corrupt", idx);
  if (q.ok()) {
    if (v.quant.scale.broken() || v.quant.zero_point.broken()) {
      return diag.fail(Status::kInvalidModel, "tensor %lu: quantization vectors run past the end", idx);
    }
    if (v.quant.zero_point.size() != 0 && v.quant.zero_point.size() != v.quant.scale.size()) {
      return diag.fail(Status::kInvalidModel, "tensor %lu: %lu scales but %lu zero points", idx,
                       static_cast<unsigned long>(v.quant.scale.size()),
                       static_cast<unsigned long>(v.quant.zero_point.size()));
    }
    if (q.scalar<uint8_t>(kQDetailsType, 0) != 0) {
      return diag.fail(Status::kUnsupported, "tensor %lu: custom quantization details are not supported", idx);
    }
    // The converter copies a depthwise filter's axis (3) onto its 1-D bias,
    // so for 1-D tensors the only dimension is the channel axis.
    const int32_t axis = v.shape.size() == 1 ? 0 : v.quant.quantized_dimension;
    if (v.quant.per_channel() && (axis < 0 || static_cast<uint32_t>(axis) >= v.shape.size() ||
                                  static_cast<uint32_t>(v.shape[axis]) != v.quant.scale.size())) {
      return diag.fail(Status::kInvalidModel, "tensor %lu: %lu per-channel scales do not match dimension %ld",
                       idx, static_cast<unsigned long>(v.quant.scale.size()), static_cast<long>(axis));
    }
  }
  const BufferView b = buffer(v.buffer);
  const uint32_t elem_size = tensor_type_size(v.type);
  if (b.data != nullptr && elem_size != 0 && b.size != elems * elem_size) {
    return diag.fail(Status::kInvalidModel, "tensor %lu: buffer holds %lu bytes, shape needs %lu", idx,
                     static_cast<unsigned long>(b.size), static_cast<unsigned long>(elems * elem_size));
  }
  return Status::kOk;
}

Status Model::verify_opcodes(Diag& diag) {
  for (uint32_t i = 0; i < opcodes_.size(); ++i) {
    const Table oc = opcodes_.at(i);
    if (!oc.ok()) return diag.fail(Status::kInvalidModel, "operator code %lu is out of bounds", static_cast<unsigned long>(i));
    if (oc.str(kOcCustom).state == ViewState::kBroken) {
      return diag.fail(Status::kInvalidModel, "operator code %lu: custom name runs past the end", static_cast<unsigned long>(i));
    }
  }
  return Status::kOk;
}

Status Model::verify_index_list(const Vec<int32_t>& v, bool allow_omitted, const char* what,
                                uint32_t op, Diag& diag) {
  if (v.broken()) {
    return op == UINT32_MAX ? diag.fail(Status::kInvalidModel, "%s run past the end of the model", what)
                            : diag.fail(Status::kInvalidModel, "operator %lu: %s run past the end of the model",
                                        static_cast<unsigned long>(op), what);
  }
  for (uint32_t k = 0; k < v.size(); ++k) {
    const int32_t t = v[k];
    if ((t == -1 && allow_omitted) || (t >= 0 && static_cast<uint32_t>(t) < tensors_.size())) continue;
    if (op == UINT32_MAX) {
      return diag.fail(Status::kInvalidModel, "%s[%lu] = %ld is not a tensor index (%lu tensors)", what,
                       static_cast<unsigned long>(k), static_cast<long>(t), static_cast<unsigned long>(tensors_.size()));
    }
    return diag.fail(Status::kInvalidModel, "operator %lu: %s[%lu] = %ld is not a tensor index (%lu tensors)",
                     static_cast<unsigned long>(op), what, static_cast<unsigned long>(k), static_cast<long>(t),
                     static_cast<unsigned long>(tensors_.size()));
  }
  return Status::kOk;
}

OperatorView Model::op(uint32_t index) const {
  OperatorView v;
  const Table o = operators_.at(index);
  if (!o.ok()) return v;
  const Table oc = opcodes_.at(o.scalar<uint32_t>(kOpOpcode, 0));
  if (oc.ok()) {
    v.builtin_code = builtin_code_of(oc);
    v.version = oc.scalar<int32_t>(kOcVersion, 1);
    v.custom_code = oc.str(kOcCustom);
  }
  v.inputs = o.vec<int32_t>(kOpInputs);
  v.outputs = o.vec<int32_t>(kOpOutputs);
  v.intermediates = o.vec<int32_t>(kOpIntermediates);
  v.options_type = static_cast<OptionsType>(o.scalar<uint8_t>(kOpOptionsType, 0));
  v.options = o.table(kOpOptions);
  return v;
}

Status Model::verify_operators(Diag& diag) {
  for (uint32_t i = 0; i < operators_.size(); ++i) KILN_TRY(verify_operator(i, diag));
  return Status::kOk;
}

Status Model::verify_operator(uint32_t i, Diag& diag) {
  const unsigned long idx = i;
  const Table o = operators_.at(i);
  if (!o.ok()) return diag.fail(Status::kInvalidModel, "operator %lu is out of bounds", idx);
  const uint32_t opcode = o.scalar<uint32_t>(kOpOpcode, 0);
  if (opcode >= opcodes_.size()) {
    return diag.fail(Status::kInvalidModel, "operator %lu: opcode index %lu out of range (%lu codes)", idx,
                     static_cast<unsigned long>(opcode), static_cast<unsigned long>(opcodes_.size()));
  }
  const OperatorView v = op(i);
  KILN_TRY(verify_index_list(v.inputs, true, "inputs", i, diag));
  KILN_TRY(verify_index_list(v.outputs, false, "outputs", i, diag));
  KILN_TRY(verify_index_list(v.intermediates, true, "intermediates", i, diag));
  if (v.options.broken()) return diag.fail(Status::kInvalidModel, "operator %lu: options table is corrupt", idx);
  return Status::kOk;
}

}  // namespace kiln::model
