// Converts ONNX nodes, one handler per op type, into the importer's Graph.
#pragma once
#include <map>
#include <set>
#include <string>

#include "ir.h"
#include "kiln/onnx/importer.h"
#include "onnx_proto.h"

namespace kiln::onnx {

class Converter {
 public:
  Converter(int64_t opset, ImportReport& report) : opset_(opset), report_(report) {}

  Graph& graph() { return g_; }
  void add_constant(const std::string& name, OnnxConst c) { consts_[name] = std::move(c); }
  void add_input(const std::string& name, const std::vector<int64_t>& shape);
  // Counts how often each value is read (node inputs and graph outputs),
  // after Identity/Dropout aliases are resolved.
  void count_uses(const ::onnx::GraphProto& graph);
  void convert(const ::onnx::NodeProto& node, size_t index);
  void set_outputs(const ::onnx::GraphProto& graph);

 private:
  struct Node {
    const ::onnx::NodeProto& proto;
    std::string where;
    Attributes attrs;
    std::vector<std::string> ins;  // input names, Identity/Dropout resolved
    std::string in(int k) const { return k < static_cast<int>(ins.size()) ? ins[static_cast<size_t>(k)] : std::string(); }
    const std::string& out(int k = 0) const { return proto.output(k); }
  };

  std::string resolve(const std::string& name) const;
  const Value& activation(const Node& n, int k) const;
  const OnnxConst& constant(const Node& n, int k) const;
  bool is_const(const std::string& name) const { return consts_.count(name) != 0; }
  // The op producing `name` when only one reader sees it, so it can absorb
  // a following BatchNormalization or activation.
  Op* sole_producer(const std::string& name);
  void rename_output(Op& op, const std::string& from, const std::string& to);
  [[noreturn]] void fail(const Node& n, const std::string& why) const;

  void conv(const Node& n);
  void gemm(const Node& n, bool matmul);
  void batch_norm(const Node& n);
  void activation_node(const Node& n, model::Activation act);
  void clip(const Node& n);
  void pool(const Node& n, bool average);
  void global_average_pool(const Node& n);
  void flatten(const Node& n);
  void reshape(const Node& n);
  void binary(const Node& n, model::BuiltinOp code);
  void softmax(const Node& n);
  void constant_node(const Node& n);
  void emit_reshape(const Node& n, const std::string& in, const Value& out);
  // A NHWC copy of a constant broadcast against `like` (NCHW reordered).
  int32_t broadcast_const(const Node& n, const OnnxConst& c, const Value& like, const std::string& name);

  int64_t opset_;
  ImportReport& report_;
  Graph g_;
  std::map<std::string, OnnxConst> consts_;
  std::map<std::string, std::string> alias_;
  std::map<std::string, int> uses_;
  std::set<std::string> graph_outputs_;
};

}  // namespace kiln::onnx
