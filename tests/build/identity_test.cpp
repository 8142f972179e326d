// kiln_identity: the identity and sources `kiln embed` writes for a firmware.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/host/command.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/identity/embed_sources.h"
#include "kiln/identity/op_table.h"
#include "kiln/runtime/op_resolver.h"
#include "model_builder.h"
#include "testdata.h"

namespace kiln::identity {
namespace {

struct Loaded {
  explicit Loaded(const std::string& path) : bytes(host::read_file_bytes(path)), model(path) {}
  std::vector<uint8_t> bytes;
  host::LoadedModel model;
};

// A model file on disk (LoadedModel reads files) from the test writer.
std::string write_model(const std::string& name, const std::vector<uint8_t>& bytes) {
  const std::string path = ::testing::TempDir() + name;
  host::write_file_bytes(path, bytes);
  return path;
}

std::vector<uint8_t> relu_then(model::BuiltinOp second, int32_t second_version, const std::string& description) {
  testing::ModelBuilder b;
  const int32_t in = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "in");
  const int32_t mid = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "mid");
  const int32_t out = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "out");
  b.add_op(model::BuiltinOp::kRelu, {in}, {mid});
  b.add_op(second, {mid}, {out});
  b.set_last_op_version(second_version);
  b.set_inputs({in});
  b.set_outputs({out});
  b.set_description(description);
  return b.finish();
}

TEST(Identity, Sha256IsTheFilesDigest) {
  const Loaded m(testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  const ModelIdentity id = identify(m.model, m.bytes);
  // sha256sum testdata/models/tflm/hello_world_int8.tflite
  EXPECT_EQ(id.sha256, "505ee4fae7fa46ab67bea4c08b4969eb3eb8b9114c50595ec4a29d9a27993202");
  EXPECT_EQ(id.sha256_bytes[0], 0x50);
  EXPECT_EQ(id.sha256_bytes[31], 0x02);
  EXPECT_EQ(id.runtime_abi, kRuntimeAbi);
}

TEST(Identity, OpSetIsSortedDistinctAndInTheBitmap) {
  const Loaded m(testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite"));
  const ModelIdentity id = identify(m.model, m.bytes);
  std::vector<std::string> names;
  for (const OpUse& op : id.ops) names.push_back(op.name);
  // KWS: conv, depthwise conv x4, average pool, reshape, fully connected, softmax.
  EXPECT_EQ(names, (std::vector<std::string>{"AVERAGE_POOL_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED",
                                             "RESHAPE", "SOFTMAX"}));
  for (size_t i = 1; i < id.ops.size(); ++i) EXPECT_LT(id.ops[i - 1].code, id.ops[i].code);
  EXPECT_TRUE(id.op_set_bitmap[3 / 8] & (1 << (3 % 8)));    // CONV_2D
  EXPECT_TRUE(id.op_set_bitmap[25 / 8] & (1 << (25 % 8)));  // SOFTMAX
  EXPECT_FALSE(id.op_set_bitmap[0] & 1);                    // ADD
  EXPECT_EQ(id.op_set_fingerprint.size(), 64u);
}

TEST(Identity, FingerprintDependsOnOpsAndVersionsOnly) {
  const std::string a = write_model("fp_a.tflite", relu_then(model::BuiltinOp::kRelu6, 1, "v1"));
  const std::string b = write_model("fp_b.tflite", relu_then(model::BuiltinOp::kRelu6, 1, "another description"));
  const std::string c = write_model("fp_c.tflite", relu_then(model::BuiltinOp::kRelu6, 2, "v1"));
  const Loaded ma(a), mb(b), mc(c);
  const ModelIdentity ia = identify(ma.model, ma.bytes), ib = identify(mb.model, mb.bytes),
                      ic = identify(mc.model, mc.bytes);
  EXPECT_NE(ia.sha256, ib.sha256);
  EXPECT_EQ(ia.op_set_fingerprint, ib.op_set_fingerprint);
  EXPECT_NE(ia.op_set_fingerprint, ic.op_set_fingerprint);  // RELU6 v2 is another op set
  EXPECT_EQ(ia.version, "v1");                              // the description by default
  EXPECT_EQ(identify(ma.model, ma.bytes, "2.1.0").version, "2.1.0");
}

TEST(Identity, UnsupportedOperatorIsNamed) {
  const std::string p = write_model("gather.tflite", relu_then(model::BuiltinOp::kGather, 1, "x"));
  const Loaded m(p);
  try {
    check_supported(identify(m.model, m.bytes), p);
    FAIL() << "GATHER must be refused";
  } catch (const host::ToolError& e) {
    EXPECT_NE(std::string(e.what()).find("does not implement: GATHER"), std::string::npos) << e.what();
  }
}

TEST(Identity, EveryRuntimeKernelHasAFunctionName) {
  EXPECT_EQ(supported_ops().size(), runtime::all_ops().size());
  EXPECT_EQ(kernel_function(static_cast<int32_t>(model::BuiltinOp::kPadV2)), "pad_v2");
  EXPECT_EQ(kernel_function(static_cast<int32_t>(model::BuiltinOp::kGather)), "");
}

TEST(EmbedSources, ResolverNamesOnlyTheModelsKernels) {
  const Loaded m(testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  EmbedInput in;
  in.id = "hello";
  in.model_path = "hello_world_int8.tflite";
  in.bytes = &m.bytes;
  in.identity = identify(m.model, m.bytes, "1.2.3");
  in.arena_bytes = 1234;
  const EmbedSources s = embed_sources(in);
  EXPECT_NE(s.model_cpp.find("&kiln::runtime::ops::fully_connected(),"), std::string::npos);
  EXPECT_EQ(s.model_cpp.find("conv_2d"), std::string::npos);
  EXPECT_NE(s.model_h.find("constexpr size_t arena_size = 1234;"), std::string::npos);
  EXPECT_NE(s.model_h.find("constexpr size_t model_size = " + std::to_string(m.bytes.size()) + ";"), std::string::npos);
  EXPECT_NE(s.identity_h.find("kVersion[] = \"1.2.3\""), std::string::npos);
  EXPECT_NE(s.identity_h.find("kSha256[] = \"505ee4fa"), std::string::npos);
  EXPECT_NE(s.identity_h.find("kAot = false"), std::string::npos);
  // The last model byte closes the array.
  char last[16];
  std::snprintf(last, sizeof last, "0x%02x,\n};", m.bytes.back());
  EXPECT_NE(s.model_cpp.find(last), std::string::npos);
}

TEST(EmbedSources, AotModeSizesTheArenaFromTheCompiledModel) {
  const Loaded m(testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  EmbedInput in;
  in.id = "hello";
  in.bytes = &m.bytes;
  in.identity = identify(m.model, m.bytes);
  in.mode = EmbedMode::kAot;
  const EmbedSources s = embed_sources(in);
  EXPECT_NE(s.model_h.find("#include \"hello_aot.h\""), std::string::npos);
  EXPECT_NE(s.model_h.find("arena_size = kiln_aot_hello::kArenaSize"), std::string::npos);
  EXPECT_EQ(s.model_cpp.find("model_data"), std::string::npos);
  EXPECT_NE(s.identity_h.find("kAot = true"), std::string::npos);
}

TEST(EmbedSources, NameMustBeACIdentifier) {
  EXPECT_THROW(check_id("1abc"), host::ToolError);
  EXPECT_THROW(check_id("a-b"), host::ToolError);
  EXPECT_NO_THROW(check_id("kws_v2"));
}


// Runs the kiln binary; returns its exit status, stdout+stderr in *out.
int run_cli(const std::string& args, std::string* out) {
  int code = 0;
  *out = host::run_command(std::string(KILN_CLI) + " " + args + " 2>&1", &code);
  return code;
}

TEST(EmbedCli, WritesSourcesOnceAndReportsTheIdentity) {
  const std::string dir = ::testing::TempDir() + "embed_kws";
  const std::string model = testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite");
  std::string out;
  ASSERT_EQ(run_cli("embed " + model + " --name kws -o " + dir + " --version 2.0.0 --json", &out), 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["sha256"], "aeea436800704fce17b17292e4412630ad856e9d777c044c64ef748a880bd0ae");
  EXPECT_EQ(j["version"], "2.0.0");
  EXPECT_EQ(j["arena_bytes"], 21904);  // kiln plan's required_bytes on this host
  EXPECT_EQ(j["model_bytes"], 53936);
  ASSERT_EQ(j["files"].size(), 3u);
  const std::vector<uint8_t> cpp = host::read_file_bytes(dir + "/kws_model.cpp");
  const std::string text(cpp.begin(), cpp.end());
  EXPECT_NE(text.find("ops::depthwise_conv_2d()"), std::string::npos);
  EXPECT_EQ(text.find("ops::add()"), std::string::npos);
  // Same model again: nothing is rewritten (no rebuild downstream).
  ASSERT_EQ(run_cli("embed " + model + " --name kws -o " + dir + " --version 2.0.0 --json", &out), 0) << out;
  const nlohmann::json again = nlohmann::json::parse(out);  // (a range-for over a temporary's member dangles)
  for (const auto& f : again["files"]) EXPECT_FALSE(f["written"].get<bool>()) << f["path"];
}

TEST(EmbedCli, UnsupportedOperatorFailsTheBuildNamingIt) {
  const std::string p = write_model("cli_gather.tflite", relu_then(model::BuiltinOp::kGather, 1, "x"));
  std::string out;
  EXPECT_EQ(run_cli("embed " + p + " -o " + ::testing::TempDir() + "embed_gather", &out), 1);
  EXPECT_NE(out.find("kiln: error: model '" + p + "' uses operators kiln's runtime does not implement: GATHER"),
            std::string::npos) << out;
}

TEST(EmbedCli, BadNameIsRefused) {
  std::string out;
  const std::string model = testing::testdata_path("models/tflm/hello_world_int8.tflite");
  EXPECT_EQ(run_cli("embed " + model + " --name 9lives -o " + ::testing::TempDir() + "embed_bad", &out), 1);
  EXPECT_NE(out.find("not a C identifier"), std::string::npos) << out;
}

}  // namespace
}  // namespace kiln::identity
