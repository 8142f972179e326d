// Reading ONNX protobuf messages: constant tensors (initializers, Constant
// nodes) and node attributes, with every size checked against the data.
#pragma once
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::onnx {

// A constant as read from ONNX: float data (FLOAT, DOUBLE, FLOAT16 not
// supported) or integer data (INT32, INT64).
struct OnnxConst {
  std::vector<int64_t> dims;
  bool is_int = false;
  std::vector<float> f;
  std::vector<int64_t> i;
  size_t elements() const { return is_int ? i.size() : f.size(); }
};

// Element count of `dims`; fails (with `what`) on negative dims or counts
// beyond 2^31.
int64_t element_count(const std::vector<int64_t>& dims, const std::string& what);

OnnxConst read_tensor(const ::onnx::TensorProto& t, const std::string& what);

// "node 'name' (OpType)" or "node #k (OpType)" for messages.
std::string describe_node(const ::onnx::NodeProto& node, size_t index);

class Attributes {
 public:
  Attributes(const ::onnx::NodeProto& node, std::string where) : node_(node), where_(std::move(where)) {}
  bool has(const std::string& name) const { return find(name) != nullptr; }
  int64_t i(const std::string& name, int64_t fallback) const;
  float f(const std::string& name, float fallback) const;
  std::string s(const std::string& name, const std::string& fallback) const;
  std::vector<int64_t> ints(const std::string& name, std::vector<int64_t> fallback) const;
  const ::onnx::TensorProto* tensor(const std::string& name) const;
  // Fails naming every attribute not in `known`.
  void only(const std::vector<std::string>& known) const;

 private:
  const ::onnx::AttributeProto* find(const std::string& name) const;
  const ::onnx::AttributeProto& get(const std::string& name, ::onnx::AttributeProto_AttributeType type) const;
  const ::onnx::NodeProto& node_;
  std::string where_;
};

}  // namespace kiln::onnx
