#include "onnx_proto.h"

#include <cstring>

#include "kiln/host/error.h"

namespace kiln::onnx {

using host::fail;

int64_t element_count(const std::vector<int64_t>& dims, const std::string& what) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) fail(what + ": negative dimension " + std::to_string(d));
    if (d != 0 && n > (int64_t{1} << 31) / d) fail(what + ": more than 2^31 elements");
    n *= d;
  }
  return n;
}

namespace {

// Little-endian raw_data of `count` elements of `T`.
template <typename T>
std::vector<T> raw_values(const std::string& raw, size_t count, const std::string& what) {
  if (raw.size() != count * sizeof(T)) {
    fail(what + ": raw data has " + std::to_string(raw.size()) + " bytes, the shape needs " +
         std::to_string(count * sizeof(T)));
  }
  std::vector<T> v(count);
  if (count != 0) std::memcpy(v.data(), raw.data(), raw.size());
  return v;
}

template <typename Field>
void expect_count(const Field& field, size_t count, const std::string& what) {
  if (static_cast<size_t>(field.size()) != count) {
    fail(what + ": holds " + std::to_string(field.size()) + " values, the shape needs " + std::to_string(count));
  }
}

}  // namespace

OnnxConst read_tensor(const ::onnx::TensorProto& t, const std::string& what) {
  if (t.data_location() == ::onnx::TensorProto_DataLocation_EXTERNAL) {
    fail(what + ": external data files are not supported (save the model with its weights inside)");
  }
  OnnxConst c;
  c.dims.assign(t.dims().begin(), t.dims().end());
  const auto n = static_cast<size_t>(element_count(c.dims, what));
  const bool raw = t.has_raw_data();
  switch (t.data_type()) {
    case ::onnx::TensorProto_DataType_FLOAT:
      if (raw) {
        c.f = raw_values<float>(t.raw_data(), n, what);
      } else {
        expect_count(t.float_data(), n, what);
        c.f.assign(t.float_data().begin(), t.float_data().end());
      }
      break;
    case ::onnx::TensorProto_DataType_DOUBLE: {
      std::vector<double> d;
      if (raw) {
        d = raw_values<double>(t.raw_data(), n, what);
      } else {
        expect_count(t.double_data(), n, what);
        d.assign(t.double_data().begin(), t.double_data().end());
      }
      c.f.assign(d.begin(), d.end());
      break;
    }
    case ::onnx::TensorProto_DataType_INT64:
      c.is_int = true;
      if (raw) {
        c.i = raw_values<int64_t>(t.raw_data(), n, what);
      } else {
        expect_count(t.int64_data(), n, what);
        c.i.assign(t.int64_data().begin(), t.int64_data().end());
      }
      break;
    case ::onnx::TensorProto_DataType_INT32: {
      c.is_int = true;
      std::vector<int32_t> v;
      if (raw) {
        v = raw_values<int32_t>(t.raw_data(), n, what);
      } else {
        expect_count(t.int32_data(), n, what);
        v.assign(t.int32_data().begin(), t.int32_data().end());
      }
      c.i.assign(v.begin(), v.end());
      break;
    }
    default:
      fail(what + ": element type " + ::onnx::TensorProto_DataType_Name(t.data_type()) +
           " is not supported (float, double, int32, int64)");
  }
  return c;
}

std::string describe_node(const ::onnx::NodeProto& node, size_t index) {
  const std::string id = node.name().empty() ? "#" + std::to_string(index) : "'" + node.name() + "'";
  return "node " + id + " (" + node.op_type() + ")";
}

const ::onnx::AttributeProto* Attributes::find(const std::string& name) const {
  for (const auto& a : node_.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

const ::onnx::AttributeProto& Attributes::get(const std::string& name,
                                              ::onnx::AttributeProto_AttributeType type) const {
  const auto* a = find(name);
  if (a->type() != type && a->type() != ::onnx::AttributeProto_AttributeType_UNDEFINED) {
    fail(where_ + ": attribute '" + name + "' has type " + ::onnx::AttributeProto_AttributeType_Name(a->type()) +
         ", expected " + ::onnx::AttributeProto_AttributeType_Name(type));
  }
  return *a;
}

int64_t Attributes::i(const std::string& name, int64_t fallback) const {
  return has(name) ? get(name, ::onnx::AttributeProto_AttributeType_INT).i() : fallback;
}

float Attributes::f(const std::string& name, float fallback) const {
  return has(name) ? get(name, ::onnx::AttributeProto_AttributeType_FLOAT).f() : fallback;
}

std::string Attributes::s(const std::string& name, const std::string& fallback) const {
  return has(name) ? get(name, ::onnx::AttributeProto_AttributeType_STRING).s() : fallback;
}

std::vector<int64_t> Attributes::ints(const std::string& name, std::vector<int64_t> fallback) const {
  if (!has(name)) return fallback;
  const auto& a = get(name, ::onnx::AttributeProto_AttributeType_INTS);
  return std::vector<int64_t>(a.ints().begin(), a.ints().end());
}

const ::onnx::TensorProto* Attributes::tensor(const std::string& name) const {
  return has(name) ? &get(name, ::onnx::AttributeProto_AttributeType_TENSOR).t() : nullptr;
}

void Attributes::only(const std::vector<std::string>& known) const {
  for (const auto& a : node_.attribute()) {
    bool ok = false;
    for (const auto& k : known) ok = ok || a.name() == k;
    if (!ok) fail(where_ + ": attribute '" + a.name() + "' is not supported");
  }
}

}  // namespace kiln::onnx
