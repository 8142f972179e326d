// Driver: parse, check opset and graph inputs, convert node by node, write.
#include "kiln/onnx/importer.h"

#include <limits>
#include <set>

#include "converter.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/model/schema.h"

namespace kiln::onnx {

namespace {

constexpr int64_t kMinOpset = 7;   // BatchNormalization without `spatial` quirks
constexpr int64_t kMaxOpset = 18;

int64_t default_opset(const ::onnx::ModelProto& m) {
  int64_t opset = -1;
  for (const auto& o : m.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") opset = o.version();
  }
  if (opset < 0) host::fail("the model imports no default-domain opset (opset_import is missing)");
  if (opset < kMinOpset || opset > kMaxOpset) {
    host::fail("opset " + std::to_string(opset) + " is not supported (kiln imports opsets " + std::to_string(kMinOpset) +
               " to " + std::to_string(kMaxOpset) + "; re-export with opset_version=13)");
  }
  return opset;
}

// Static shape of a graph input; a symbolic or unknown batch dimension
// becomes 1, any other symbolic dimension is an error.
std::vector<int64_t> input_shape(const ::onnx::ValueInfoProto& v) {
  const std::string what = "graph input '" + v.name() + "'";
  if (!v.type().has_tensor_type()) host::fail(what + " is not a tensor");
  const auto& t = v.type().tensor_type();
  if (t.elem_type() != ::onnx::TensorProto_DataType_FLOAT) {
    host::fail(what + " has element type " + ::onnx::TensorProto_DataType_Name(t.elem_type()) +
               "; kiln imports float32 models");
  }
  if (!t.has_shape()) host::fail(what + " has no shape; kiln needs static shapes");
  std::vector<int64_t> shape;
  for (int i = 0; i < t.shape().dim_size(); ++i) {
    const auto& d = t.shape().dim(i);
    if (d.has_dim_value() && d.dim_value() > 0) {
      shape.push_back(d.dim_value());
    } else if (i == 0) {
      shape.push_back(1);  // batch
    } else {
      host::fail(what + " has a dynamic dimension " + std::to_string(i) +
                 (d.has_dim_param() ? " ('" + d.dim_param() + "')" : "") + "; kiln needs static shapes (batch 1)");
    }
  }
  return shape;
}

ImportedTensor describe(const Graph& g, const std::string& name) {
  const Value& a = g.activations.at(name);
  ImportedTensor t;
  t.name = name;
  for (int64_t d : a.tflite_shape()) t.shape.push_back(static_cast<int32_t>(d));
  t.nhwc_from_nchw = a.nchw;
  return t;
}

}  // namespace

ImportResult import_onnx(const std::string& serialized) {
  ::onnx::ModelProto m;
  if (serialized.empty() || !m.ParseFromString(serialized)) {
    host::fail("not an ONNX model: the protobuf message does not parse");
  }
  if (!m.has_graph() || m.graph().node_size() == 0) host::fail("not an ONNX model: it has no graph nodes");
  ImportResult result;
  ImportReport& r = result.report;
  r.opset = default_opset(m);
  r.producer = m.producer_name() + (m.producer_version().empty() ? "" : " " + m.producer_version());
  const auto& graph = m.graph();
  r.onnx_nodes = static_cast<size_t>(graph.node_size());

  Converter conv(r.opset, r);
  std::set<std::string> initializers;
  for (const auto& t : graph.initializer()) {
    conv.add_constant(t.name(), read_tensor(t, "initializer '" + t.name() + "'"));
    initializers.insert(t.name());
  }
  for (const auto& in : graph.input()) {
    if (!initializers.count(in.name())) conv.add_input(in.name(), input_shape(in));
  }
  if (conv.graph().inputs.empty()) host::fail("the graph has no non-constant input");
  conv.count_uses(graph);
  for (int i = 0; i < graph.node_size(); ++i) conv.convert(graph.node(i), static_cast<size_t>(i));
  conv.set_outputs(graph);
  if (conv.graph().outputs.empty()) host::fail("the graph has no outputs");

  const Graph& g = conv.graph();
  result.tflite = write_tflite(g, &r.weight_bytes);
  for (const Op& op : g.ops) {
    char fallback[32];
    ++r.tflite_ops[model::builtin_op_name(static_cast<int32_t>(op.code), fallback, sizeof(fallback))];
  }
  r.tflite_op_count = g.ops.size();
  for (const auto& name : g.inputs) r.inputs.push_back(describe(g, name));
  for (const auto& name : g.outputs) r.outputs.push_back(describe(g, name));
  return result;
}

ImportResult import_onnx_file(const std::string& path) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  try {
    return import_onnx(std::string(bytes.begin(), bytes.end()));
  } catch (const host::ToolError& e) {
    host::fail(path + ": " + e.what());
  }
}

}  // namespace kiln::onnx
