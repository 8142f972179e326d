// Test helpers: small ONNX graphs written with the protobuf classes, and
// running an imported model in the kiln runtime.
#pragma once
#include <onnx/onnx_pb.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "kiln/host/file_io.h"
#include "kiln/host/host_interpreter.h"

namespace kiln::onnx::test {

class GraphBuilder {
 public:
  explicit GraphBuilder(int64_t opset = 13) {
    m_.set_ir_version(8);
    m_.set_producer_name("kiln-test");
    auto* o = m_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    g_ = m_.mutable_graph();
    g_->set_name("test");
  }
  ::onnx::ValueInfoProto* input(const std::string& name, const std::vector<int64_t>& dims) {
    auto* v = g_->add_input();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(::onnx::TensorProto_DataType_FLOAT);
    for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
    return v;
  }
  void output(const std::string& name) { g_->add_output()->set_name(name); }
  void init(const std::string& name, const std::vector<int64_t>& dims, const std::vector<float>& values) {
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto_DataType_FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
  }
  void init_i64(const std::string& name, const std::vector<int64_t>& dims, const std::vector<int64_t>& values) {
    auto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto_DataType_INT64);
    for (int64_t d : dims) t->add_dims(d);
    for (int64_t v : values) t->add_int64_data(v);
  }
  ::onnx::NodeProto* node(const std::string& type, const std::vector<std::string>& ins,
                          const std::vector<std::string>& outs, const std::string& name = "") {
    auto* n = g_->add_node();
    n->set_op_type(type);
    n->set_name(name.empty() ? outs[0] + "_node" : name);
    for (const auto& i : ins) n->add_input(i);
    for (const auto& o : outs) n->add_output(o);
    return n;
  }
  static void attr(::onnx::NodeProto* n, const std::string& name, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto_AttributeType_INT);
    a->set_i(v);
  }
  static void attr(::onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto_AttributeType_INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void attr_f(::onnx::NodeProto* n, const std::string& name, float v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto_AttributeType_FLOAT);
    a->set_f(v);
  }
  ::onnx::ModelProto& model() { return m_; }
  std::string bytes() const { return m_.SerializeAsString(); }

 private:
  ::onnx::ModelProto m_;
  ::onnx::GraphProto* g_;
};

// Writes `tflite` to a temporary file, runs it once in the kiln runtime with
// float inputs in TFLite (NHWC) order and returns every output.
inline std::vector<std::vector<float>> run_tflite(const std::vector<uint8_t>& tflite,
                                                  const std::vector<std::vector<float>>& inputs) {
  char path[] = "/tmp/kiln_onnx_test_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  host::write_file_bytes(path, tflite);
  std::vector<std::vector<float>> outputs;
  {
    const host::LoadedModel model(path);
    host::HostInterpreter interp(model);
    runtime::Interpreter& it = interp.get();
    if (it.input_count() != inputs.size()) throw std::runtime_error("input count mismatch");
    for (uint32_t i = 0; i < inputs.size(); ++i) {
      if (it.input(i)->bytes != inputs[i].size() * sizeof(float)) throw std::runtime_error("input size mismatch");
      std::memcpy(it.input(i)->data, inputs[i].data(), it.input(i)->bytes);
    }
    interp.invoke();
    for (uint32_t i = 0; i < it.output_count(); ++i) {
      const runtime::Tensor* t = it.output(i);
      std::vector<float> v(t->bytes / sizeof(float));
      std::memcpy(v.data(), t->data, t->bytes);
      outputs.push_back(v);
    }
  }
  std::remove(path);
  return outputs;
}

}  // namespace kiln::onnx::test
