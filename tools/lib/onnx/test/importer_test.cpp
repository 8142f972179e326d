// Imports small ONNX graphs built with the protobuf classes, runs them in
// the kiln runtime and checks every output against an NCHW double
// reference; checks the structure (folding, fusion, layout) and the errors.
#include <gtest/gtest.h>

#include "kiln/host/error.h"
#include "kiln/onnx/importer.h"
#include "onnx_graph.h"
#include "reference.h"

namespace kiln::onnx::test {
namespace {

constexpr double kTol = 1e-5;

void expect_near(const std::vector<float>& got, const std::vector<double>& want, double tol = kTol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], tol * std::max(1.0, std::fabs(want[i]))) << "element " << i;
  }
}

std::string import_error(const std::string& bytes) {
  try {
    import_onnx(bytes);
  } catch (const host::ToolError& e) {
    return e.what();
  }
  return "(no error)";
}

// conv(3→4, 3x3, pad 1) → BN → Relu → MaxPool 2 → Flatten → Gemm(64→5) → Softmax.
TEST(OnnxImport, ConvBnReluPoolFlattenGemmSoftmax) {
  GraphBuilder b;
  b.input("image", {1, 3, 8, 8});
  const auto w = ramp(4 * 3 * 9, 1), bias = ramp(4, 2);
  const auto scale = ramp(4, 3, 0.5f, 1.5f), shift = ramp(4, 4), mean = ramp(4, 5), var = ramp(4, 6, 0.2f, 2.0f);
  const auto fc_w = ramp(5 * 64, 7, -0.3f, 0.3f), fc_b = ramp(5, 8);
  b.init("conv.w", {4, 3, 3, 3}, w);
  b.init("conv.b", {4}, bias);
  for (auto [name, v] : {std::pair{"bn.s", scale}, {"bn.b", shift}, {"bn.m", mean}, {"bn.v", var}}) b.init(name, {4}, v);
  b.init("fc.w", {5, 64}, fc_w);
  b.init("fc.b", {5}, fc_b);
  auto* c = b.node("Conv", {"image", "conv.w", "conv.b"}, {"conv"});
  GraphBuilder::attr(c, "pads", std::vector<int64_t>{1, 1, 1, 1});
  GraphBuilder::attr(c, "kernel_shape", std::vector<int64_t>{3, 3});
  b.node("BatchNormalization", {"conv", "bn.s", "bn.b", "bn.m", "bn.v"}, {"bn"});
  b.node("Relu", {"bn"}, {"relu"});
  auto* p = b.node("MaxPool", {"relu"}, {"pool"});
  GraphBuilder::attr(p, "kernel_shape", std::vector<int64_t>{2, 2});
  GraphBuilder::attr(p, "strides", std::vector<int64_t>{2, 2});
  b.node("Dropout", {"pool"}, {"drop"});
  b.node("Flatten", {"drop"}, {"flat"});
  auto* g = b.node("Gemm", {"flat", "fc.w", "fc.b"}, {"logits"});
  GraphBuilder::attr(g, "transB", int64_t{1});
  b.node("Softmax", {"logits"}, {"probs"});
  b.output("logits");
  b.output("probs");

  const ImportResult r = import_onnx(b.bytes());
  EXPECT_EQ(r.report.folded_batch_norms, 1u);
  EXPECT_EQ(r.report.fused_activations, 1u);
  EXPECT_EQ(r.report.removed_nodes, 1u);
  const std::map<std::string, size_t> ops{{"CONV_2D", 1}, {"MAX_POOL_2D", 1}, {"RESHAPE", 1},
                                          {"FULLY_CONNECTED", 1}, {"SOFTMAX", 1}};
  EXPECT_EQ(r.report.tflite_ops, ops);
  ASSERT_EQ(r.report.inputs.size(), 1u);
  EXPECT_EQ(r.report.inputs[0].name, "image");
  EXPECT_EQ(r.report.inputs[0].shape, (std::vector<int32_t>{1, 8, 8, 3}));
  ASSERT_EQ(r.report.outputs.size(), 2u);
  EXPECT_EQ(r.report.outputs[1].name, "probs");

  const T4 x = from_floats(ramp(3 * 64, 9), 1, 3, 8, 8);
  T4 y = conv(x, w, bias, 4, 3, 3, 1, {1, 1}, {1, 1, 1, 1});
  y = pool(clamp(batch_norm(y, scale, shift, mean, var), 0.0, 1e300), 2, 2, false);
  const std::vector<double> logits = gemm(y.v, fc_w, fc_b, 5);  // NCHW flatten order
  const auto out = run_tflite(r.tflite, {to_nhwc(x)});
  ASSERT_EQ(out.size(), 2u);
  expect_near(out[0], logits);
  expect_near(out[1], softmax(logits));
}

// Depthwise (multiplier 2, stride 2, SAME-like pads) + Clip(0,6), a strided
// conv whose pads TFLite's SAME cannot express (PAD + VALID), and
// GlobalAveragePool → MEAN.
TEST(OnnxImport, DepthwiseClipPadGlobalPool) {
  GraphBuilder b;
  b.input("x", {1, 4, 7, 7});
  const auto dw_w = ramp(8 * 9, 11), dw_b = ramp(8, 12);
  const auto cw = ramp(6 * 8 * 9, 13, -0.5f, 0.5f), cb = ramp(6, 14);
  b.init("dw.w", {8, 1, 3, 3}, dw_w);
  b.init("dw.b", {8}, dw_b);
  b.init("c.w", {6, 8, 3, 3}, cw);
  b.init("c.b", {6}, cb);
  b.init("lo", {}, {0.0f});
  b.init("hi", {}, {6.0f});
  auto* d = b.node("Conv", {"x", "dw.w", "dw.b"}, {"dw"});
  GraphBuilder::attr(d, "group", int64_t{4});
  GraphBuilder::attr(d, "strides", std::vector<int64_t>{2, 2});
  GraphBuilder::attr(d, "pads", std::vector<int64_t>{1, 1, 1, 1});
  b.node("Clip", {"dw", "lo", "hi"}, {"relu6"});
  auto* c = b.node("Conv", {"relu6", "c.w", "c.b"}, {"conv"});
  GraphBuilder::attr(c, "strides", std::vector<int64_t>{2, 2});
  GraphBuilder::attr(c, "pads", std::vector<int64_t>{1, 1, 1, 1});
  b.node("GlobalAveragePool", {"conv"}, {"gap"});
  b.output("gap");

  const ImportResult r = import_onnx(b.bytes());
  const std::map<std::string, size_t> ops{{"DEPTHWISE_CONV_2D", 1}, {"PAD", 1}, {"CONV_2D", 1}, {"MEAN", 1}};
  EXPECT_EQ(r.report.tflite_ops, ops);
  EXPECT_EQ(r.report.fused_activations, 1u);

  const T4 x = from_floats(ramp(4 * 49, 15, -4.0f, 8.0f), 1, 4, 7, 7);
  T4 y = clamp(conv(x, dw_w, dw_b, 8, 3, 3, 4, {2, 2}, {1, 1, 1, 1}), 0.0, 6.0);
  ASSERT_EQ(y.h, 4);
  y = conv(y, cw, cb, 6, 3, 3, 1, {2, 2}, {1, 1, 1, 1});
  ASSERT_EQ(y.h, 2);
  std::vector<double> gap(6, 0.0);
  for (int ch = 0; ch < 6; ++ch) {
    for (int i = 0; i < 4; ++i) gap[static_cast<size_t>(ch)] += y.v[static_cast<size_t>(ch * 4 + i)] / 4.0;
  }
  const auto out = run_tflite(r.tflite, {to_nhwc(x)});
  expect_near(out[0], gap);
}

// Add/Mul of two activations and with per-channel NCHW constants, a
// BatchNormalization with nothing to fold into (MUL + ADD), AveragePool.
TEST(OnnxImport, AddMulBatchNormAveragePool) {
  GraphBuilder b;
  b.input("x", {1, 3, 4, 4});
  const auto k = ramp(3, 21), scale = ramp(3, 22, 0.5f, 2.0f), shift = ramp(3, 23), mean = ramp(3, 24),
             var = ramp(3, 25, 0.1f, 1.0f), row = ramp(4, 26);
  b.init("k", {3, 1, 1}, k);
  b.init("row", {4}, row);
  for (auto [name, v] : {std::pair{"s", scale}, {"t", shift}, {"m", mean}, {"v", var}}) b.init(name, {3}, v);
  b.node("BatchNormalization", {"x", "s", "t", "m", "v"}, {"bn"});
  b.node("Mul", {"bn", "k"}, {"scaled"});
  b.node("Add", {"scaled", "x"}, {"sum"});
  b.node("Add", {"row", "sum"}, {"shifted"});
  b.node("Relu", {"shifted"}, {"relu"});
  b.node("Identity", {"relu"}, {"same"});
  auto* p = b.node("AveragePool", {"same"}, {"avg"});
  GraphBuilder::attr(p, "kernel_shape", std::vector<int64_t>{2, 2});
  GraphBuilder::attr(p, "strides", std::vector<int64_t>{2, 2});
  b.output("avg");

  const ImportResult r = import_onnx(b.bytes());
  const std::map<std::string, size_t> ops{{"MUL", 2}, {"ADD", 3}, {"AVERAGE_POOL_2D", 1}};
  EXPECT_EQ(r.report.tflite_ops, ops);
  EXPECT_EQ(r.report.folded_batch_norms, 0u);
  EXPECT_EQ(r.report.fused_activations, 1u);

  const T4 x = from_floats(ramp(48, 27, -2.0f, 2.0f), 1, 3, 4, 4);
  T4 y = batch_norm(x, scale, shift, mean, var);
  for (int ch = 0; ch < 3; ++ch)
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) {
        double v = y.at(0, ch, i, j) * k[static_cast<size_t>(ch)] + x.at(0, ch, i, j) + row[static_cast<size_t>(j)];
        y.at(0, ch, i, j) = std::max(v, 0.0);
      }
  const T4 want = pool(y, 2, 2, true);
  const auto out = run_tflite(r.tflite, {to_nhwc(x)});
  const std::vector<float> want_nhwc = to_nhwc(want);
  expect_near(out[0], std::vector<double>(want_nhwc.begin(), want_nhwc.end()));
}

// Reshape to [1, C*H*W] then MatMul + Add + Relu: the weight columns are
// permuted so the NHWC flatten gives ONNX's C,H,W result.
TEST(OnnxImport, ReshapeMatMulAddRelu) {
  GraphBuilder b;
  b.input("x", {1, 2, 3, 3});
  const auto w = ramp(18 * 4, 31), bias = ramp(4, 32);
  b.init("w", {18, 4}, w);
  b.init("bias", {4}, bias);
  b.init_i64("shape", {2}, {1, -1});
  b.node("Reshape", {"x", "shape"}, {"flat"});
  b.node("MatMul", {"flat", "w"}, {"mm"});
  b.node("Add", {"mm", "bias"}, {"fc"});
  b.node("Relu", {"fc"}, {"out"});
  b.output("out");

  const ImportResult r = import_onnx(b.bytes());
  const std::map<std::string, size_t> ops{{"RESHAPE", 1}, {"FULLY_CONNECTED", 1}, {"ADD", 1}};
  EXPECT_EQ(r.report.tflite_ops, ops);
  const auto xs = ramp(18, 33);
  std::vector<double> want(4);
  for (size_t u = 0; u < 4; ++u) {
    double acc = bias[u];
    for (size_t j = 0; j < 18; ++j) acc += xs[j] * w[j * 4 + u];
    want[u] = std::max(acc, 0.0);
  }
  const auto out = run_tflite(r.tflite, {to_nhwc(from_floats(xs, 1, 2, 3, 3))});
  expect_near(out[0], want);
}

TEST(OnnxImport, UnsupportedNodeIsNamed) {
  GraphBuilder b;
  b.input("x", {1, 4});
  b.node("Sigmoid", {"x"}, {"y"}, "gate");
  b.output("y");
  const std::string e = import_error(b.bytes());
  EXPECT_NE(e.find("node 'gate' (Sigmoid): unsupported operator Sigmoid"), std::string::npos) << e;
}

TEST(OnnxImport, UnsupportedClipRangeIsNamed) {
  GraphBuilder b;
  b.input("x", {1, 4});
  b.init("lo", {}, {-1.0f});
  b.init("hi", {}, {1.0f});
  b.node("Clip", {"x", "lo", "hi"}, {"y"}, "clamp");
  b.output("y");
  const std::string e = import_error(b.bytes());
  EXPECT_NE(e.find("node 'clamp' (Clip)"), std::string::npos) << e;
  EXPECT_NE(e.find("only Clip(0, 6)"), std::string::npos) << e;
}

TEST(OnnxImport, MalformedFilesAreRejected) {
  EXPECT_NE(import_error("").find("not an ONNX model"), std::string::npos);
  EXPECT_NE(import_error("\xff\xff\xff\xff garbage").find("not an ONNX model"), std::string::npos);
  GraphBuilder b;
  b.input("x", {1, 2, 2, 2});
  b.init("w", {2, 2, 1, 1}, ramp(4, 1));
  b.node("Conv", {"x", "w"}, {"y"}, "c");
  b.output("y");
  const std::string full = b.bytes();
  for (size_t cut = 1; cut < full.size(); cut += 7) {
    const std::string e = import_error(full.substr(0, cut));
    EXPECT_NE(e, "(no error)") << "cut at " << cut;
  }
  // Weight data shorter than its shape says.
  b.model().mutable_graph()->mutable_initializer(0)->mutable_raw_data()->resize(12);
  const std::string e = import_error(b.bytes());
  EXPECT_NE(e.find("initializer 'w': raw data has 12 bytes, the shape needs 16"), std::string::npos) << e;
}

TEST(OnnxImport, DynamicShapesAndOpsetAreReported) {
  GraphBuilder b;
  auto* in = b.input("x", {1, 3, 8, 8});
  in->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(2)->set_dim_param("height");
  b.node("Relu", {"x"}, {"y"});
  b.output("y");
  EXPECT_NE(import_error(b.bytes()).find("dynamic dimension 2 ('height')"), std::string::npos);

  GraphBuilder old(5);
  old.input("x", {1, 4});
  old.node("Relu", {"x"}, {"y"});
  old.output("y");
  EXPECT_NE(import_error(old.bytes()).find("opset 5 is not supported"), std::string::npos);
}

TEST(OnnxImport, TransposingReshapeIsRejected) {
  GraphBuilder b;
  b.input("x", {1, 2, 3, 3});
  b.init_i64("shape", {4}, {1, 3, 3, 2});
  b.node("Reshape", {"x", "shape"}, {"y"}, "r");
  b.output("y");
  const std::string e = import_error(b.bytes());
  EXPECT_NE(e.find("node 'r' (Reshape)"), std::string::npos) << e;
  EXPECT_NE(e.find("no TRANSPOSE"), std::string::npos) << e;
}

#ifdef KILN_CLI_PATH
TEST(OnnxImportCli, BadInputExitsNonZeroWithMessage) {
  GraphBuilder b;
  b.input("x", {1, 4});
  b.node("LSTM", {"x"}, {"y"}, "rnn");
  b.output("y");
  const std::string path = "/tmp/kiln_onnx_cli_test.onnx";
  const std::string bytes = b.bytes();
  host::write_file_bytes(path, std::vector<uint8_t>(bytes.begin(), bytes.end()));
  const std::string cmd = std::string(KILN_CLI_PATH) + " import " + path + " -o /tmp/kiln_onnx_cli_test.tflite 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string text;
  char buf[256];
  while (fgets(buf, sizeof(buf), p)) text += buf;
  const int status = pclose(p);
  std::remove(path.c_str());
  EXPECT_NE(status, 0);
  EXPECT_NE(text.find("kiln: error: "), std::string::npos) << text;
  EXPECT_NE(text.find("node 'rnn' (LSTM): unsupported operator LSTM"), std::string::npos) << text;
}
#endif

}  // namespace
}  // namespace kiln::onnx::test
