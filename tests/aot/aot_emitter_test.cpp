// The emitter itself: file names, readable identifiers, the header contract,
// errors that name the operator, and `kiln compile` end to end.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/aot/compiler.h"
#include "kiln/host/command.h"
#include "kiln/host/error.h"
#include "model_builder.h"
#include "testdata.h"

namespace {

namespace fs = std::filesystem;
using kiln::model::BuiltinOp;
using kiln::model::TensorType;

const std::string& file_text(const kiln::aot::CompiledModel& c, const std::string& name) {
  for (const auto& f : c.files) {
    if (f.name == name) return f.text;
  }
  static const std::string none;
  ADD_FAILURE() << "no file " << name;
  return none;
}

fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("kiln_aot_test_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(p);
  return p;
}

TEST(AotEmitter, HelloWorldInt8) {
  const kiln::host::LoadedModel model(kiln::testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  const kiln::aot::CompiledModel c = kiln::aot::compile(model, "hello");
  ASSERT_EQ(c.files.size(), 3u);
  EXPECT_EQ(c.files[0].name, "hello_aot.h");
  EXPECT_EQ(c.files[1].name, "hello_aot.cpp");
  EXPECT_EQ(c.files[2].name, "hello_aot_weights.cpp");
  ASSERT_EQ(c.ops.size(), 3u);
  for (const auto& op : c.ops) {
    EXPECT_EQ(op.op, "FULLY_CONNECTED");
    EXPECT_EQ(op.kernel, "fully_connected_int8");
  }
  const std::string& h = file_text(c, "hello_aot.h");
  EXPECT_NE(h.find("namespace kiln_aot_hello {"), std::string::npos);
  EXPECT_NE(h.find("constexpr size_t kArenaSize = " + std::to_string(c.arena_bytes) + ";"), std::string::npos);
  EXPECT_NE(h.find("constexpr int kNumInputs = 1, kNumOutputs = 1;"), std::string::npos);
  EXPECT_NE(h.find("kiln::Status invoke(uint8_t* arena);"), std::string::npos);
  const std::string& cpp = file_text(c, "hello_aot.cpp");
  // Calls and constants are named after the model's ops and tensors.
  EXPECT_NE(cpp.find("// op 0: FULLY_CONNECTED"), std::string::npos);
  EXPECT_NE(cpp.find("kiln::kernels::fully_connected_int8(op0_shape,\n      op0_requant,"), std::string::npos) << cpp;
  EXPECT_NE(cpp.find("v.accum_depth = 1;"), std::string::npos);
  EXPECT_EQ(cpp.find("Interpreter"), std::string::npos);
  const std::string& w = file_text(c, "hello_aot_weights.cpp");
  EXPECT_NE(w.find("alignas(16) extern const int8_t w"), std::string::npos);
  EXPECT_NE(w.find("op0_multipliers[1]"), std::string::npos);
  // 16 + 256 + 16 weights, 3 × 16 + 1 int32 biases, 3 multipliers + 3 shifts.
  EXPECT_EQ(c.flash_bytes, 16u + 256u + 16u + 4u * (16 + 16 + 1) + 3u * 5u);
  EXPECT_EQ(c.state_bytes, 0u);
  EXPECT_GT(c.arena_bytes, 0u);
}

TEST(AotEmitter, UnsupportedOperatorIsNamed) {
  kiln::testing::ModelBuilder b;
  const int32_t x = b.add_tensor(TensorType::kFloat32, {1, 4}, "x");
  const int32_t y = b.add_tensor(TensorType::kFloat32, {1, 4}, "y");
  b.add_op(BuiltinOp::kFloor, {x}, {y});
  b.set_inputs({x});
  b.set_outputs({y});
  const std::vector<uint8_t> bytes = b.finish();
  const fs::path path = temp_dir("floor") / "floor.tflite";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const kiln::host::LoadedModel model(path.string());
  try {
    kiln::aot::compile(model, "floor");
    FAIL() << "compiled a model with FLOOR";
  } catch (const kiln::host::ToolError& e) {
    EXPECT_NE(std::string(e.what()).find("FLOOR"), std::string::npos) << e.what();
  }
}

TEST(AotEmitter, Identifiers) {
  EXPECT_EQ(kiln::aot::identifier_from("person-detect v2"), "person_detect_v2");
  EXPECT_EQ(kiln::aot::identifier_from("2model"), "m_2model");
  EXPECT_TRUE(kiln::aot::valid_id("kws_int8"));
  EXPECT_FALSE(kiln::aot::valid_id("9lives"));
  EXPECT_FALSE(kiln::aot::valid_id("a-b"));
  EXPECT_FALSE(kiln::aot::valid_id(""));
  const kiln::host::LoadedModel model(kiln::testing::testdata_path("models/tflm/hello_world_int8.tflite"));
  EXPECT_THROW(kiln::aot::compile(model, "not valid"), kiln::host::ToolError);
}

std::string run(const std::string& cmd, int* status) { return kiln::host::run_command(cmd + " 2>&1", status); }

TEST(AotCli, CompileJsonListsFilesArenaAndOps) {
  const fs::path dir = temp_dir("cli");
  int status = 0;
  const std::string out = run(std::string(KILN_CLI_PATH) + " compile " +
                                  kiln::testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite") +
                                  " -o " + dir.string() + " --name kws --json",
                              &status);
  ASSERT_EQ(status, 0) << out;
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["namespace"], "kiln_aot_kws");
  ASSERT_EQ(j["files"].size(), 3u);
  for (const auto& f : j["files"]) EXPECT_TRUE(fs::exists(f.get<std::string>()));
  EXPECT_GT(j["arena_bytes"].get<size_t>(), 0u);
  EXPECT_EQ(j["ops"][0]["op"], "CONV_2D");
  EXPECT_EQ(j["ops"][0]["kernel"], "conv_int8");
}

TEST(AotCli, ErrorsExitNonZero) {
  int status = 0;
  const std::string out = run(std::string(KILN_CLI_PATH) + " compile /nonexistent.tflite -o " +
                                  temp_dir("err").string(),
                              &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("kiln: error:"), std::string::npos) << out;
}

}  // namespace
