// Runs the real `kiln` binary and checks its output, files and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "kiln/host/file_io.h"
#include "model_builder.h"
#include "testdata.h"
#include "test_files.h"

namespace kiln::host {
namespace {

using kiln::testing::testdata_path;
using nlohmann::json;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string text_of(const std::string& path) {
  const auto b = read_file_bytes(path);
  return std::string(b.begin(), b.end());
}

Result kiln(const std::vector<std::string>& args) {
  test::TempDir dir;
  std::string cmd = quoted(KILN_CLI_PATH);
  for (const auto& a : args) cmd += " " + quoted(a);
  cmd += " >" + quoted(dir.file("out")) + " 2>" + quoted(dir.file("err"));
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = text_of(dir.file("out"));
  r.err = text_of(dir.file("err"));
  return r;
}

const std::string kHelloInt8 = testdata_path("models/tflm/hello_world_int8.tflite");
const std::string kPerson = testdata_path("models/tflm/person_detect.tflite");

TEST(Cli, VersionAndHelp) {
  const Result v = kiln({"--version"});
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("kiln ", 0), 0u) << v.out;
  const Result h = kiln({"run", "--help"});
  EXPECT_EQ(h.code, 0);
  EXPECT_NE(h.out.find("--input"), std::string::npos);
  EXPECT_NE(kiln({}).code, 0);  // a subcommand is required
}

TEST(Cli, InspectJsonDescribesPersonDetect) {
  const Result r = kiln({"inspect", kPerson, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["operators"].size(), 31u);
  EXPECT_EQ(j["schema_version"], 3);
  EXPECT_EQ(j["inputs"].size(), 1u);
  EXPECT_EQ(j["inputs"][0]["type"], "int8");
  EXPECT_EQ(j["inputs"][0]["shape"], json({1, 96, 96, 1}));
  EXPECT_EQ(j["outputs"][0]["shape"], json({1, 2}));
  uint64_t macs = 0;
  for (const json& op : j["operators"]) macs += op["macs"].get<uint64_t>();
  EXPECT_EQ(macs, j["total_macs"].get<uint64_t>());
  EXPECT_GT(macs, 7000000u);  // MobileNet v1 0.25 at 96x96: ~7.2 M
  EXPECT_EQ(j["operators"][30]["name"], "SOFTMAX");
  const json& a = j["arena"];
  // Both regions are rounded to the arena's 16-byte alignment.
  const auto round16 = [](uint64_t v) { return (v + 15) / 16 * 16; };
  EXPECT_EQ(a["required_bytes"].get<uint64_t>(),
            round16(a["planned_bytes"].get<uint64_t>()) + round16(a["persistent_bytes"].get<uint64_t>()));
  EXPECT_LE(a["lower_bound_bytes"], a["planned_bytes"]);
  // Weights: every constant buffer. Exactly the sum of the constant tensors'
  // bytes here, since person_detect shares no buffers.
  uint64_t constant = 0;
  for (const json& t : j["tensors"]) {
    if (t["constant"].get<bool>()) constant += t["bytes"].get<uint64_t>();
  }
  EXPECT_EQ(j["weight_bytes"].get<uint64_t>(), constant);
}

TEST(Cli, InspectTextStartsWithASummaryLine) {
  const Result r = kiln({"inspect", kHelloInt8});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("hello_world_int8.tflite: schema v3, 3 ops, 10 tensors", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("FULLY_CONNECTED"), std::string::npos);
}

TEST(Cli, RunHelloWorldInt8ReproducesEveryGolden) {
  test::TempDir dir;
  for (int k = 0; k < 5; ++k) {
    const std::string golden = testdata_path("models/golden/hello_world_int8/");
    const std::string out = dir.file("out_" + std::to_string(k) + ".bin");
    const Result r = kiln({"run", kHelloInt8, "--input", golden + "input_" + std::to_string(k) + ".bin", "--output", out});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_file_bytes(out), read_file_bytes(golden + "output_" + std::to_string(k) + ".bin")) << k;
  }
}

TEST(Cli, RunPersonDetectOnBitmapsGivesTheUpstreamScores) {
  test::TempDir dir;
  const Result r = kiln({"run", kPerson, "-i", testdata_path("models/tflm/person.bmp"), "-o", dir.file("p.csv")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(text_of(dir.file("p.csv")), "-113,113\n");
  const Result n = kiln({"run", kPerson, "-i", testdata_path("models/tflm/no_person.bmp"), "-o", dir.file("n.npy"), "--json"});
  ASSERT_EQ(n.code, 0) << n.err;
  const json j = json::parse(n.out);
  EXPECT_EQ(j["outputs"][0]["values"], json({57, -57}));
  EXPECT_EQ(j["ops"].size(), 31u);
  EXPECT_EQ(read_file_bytes(dir.file("n.npy")).size(), 128u + 2u);
}

TEST(Cli, RunWithRealValuesQuantizesInputsAndDequantizesOutputs) {
  test::TempDir dir;
  write_file_text(dir.file("x.csv"), "1.5707963\n");
  const Result r = kiln({"run", kHelloInt8, "--real", "-i", dir.file("x.csv"), "-o", dir.file("y.csv"), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  // x = 1.5708 -> q = round(1.5708 / 0.0244801) - 128 = -64; sin ~ 1.
  const double y = std::stod(text_of(dir.file("y.csv")));
  EXPECT_NEAR(y, 1.0, 0.1);
  EXPECT_NEAR(j["outputs"][0]["reals"][0].get<double>(), y, 1e-6);
}

TEST(Cli, PlanListsBuffersInsideThePlannedRegion) {
  const Result r = kiln({"plan", kPerson, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  const uint64_t planned = j["arena"]["planned_bytes"].get<uint64_t>();
  ASSERT_FALSE(j["buffers"].empty());
  bool has_input = false;
  for (const json& b : j["buffers"]) {
    EXPECT_LE(b["offset"].get<uint64_t>() + b["size"].get<uint64_t>(), planned);
    EXPECT_LE(b["first_op"].get<uint32_t>(), b["last_op"].get<uint32_t>());
    EXPECT_LT(b["last_op"].get<uint32_t>(), 31u);
    has_input = has_input || b["name"] == "input";
  }
  EXPECT_TRUE(has_input);
  const Result text = kiln({"plan", kHelloInt8});
  ASSERT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("layout"), std::string::npos);
}

TEST(Cli, ErrorsExitNonZeroWithAClearMessage) {
  test::TempDir dir;
  write_file_bytes(dir.file("short.bin"), {1, 2});
  write_file_text(dir.file("junk.tflite"), "this is not a model at all");
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"inspect", dir.file("missing.tflite")}, "cannot open"},
      {{"inspect", dir.file("junk.tflite")}, "not a TFLite model"},
      {{"run", kHelloInt8, "-i", dir.file("short.bin")}, "raw file is 2 bytes but tensor"},
      {{"run", kHelloInt8}, "the model has 1 input(s)"},
      {{"run", kHelloInt8, "-i", dir.file("short.bin"), "-i", dir.file("short.bin")}, "got 2 --input"},
      {{"run", kHelloInt8, "-i", dir.file("x.jpg")}, "unknown input format '.jpg'"},
      {{"run", kPerson, "-i", testdata_path("models/tflm/person.bmp"), "-o", dir.file("o.bmp")}, "unknown output format"},
      {{"plan", dir.file("junk.tflite")}, "cannot load model"},
      {{"frobnicate"}, ""},
  };
  for (const auto& c : cases) {
    const Result r = kiln(c.args);
    EXPECT_NE(r.code, 0) << c.args[0];
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    if (!c.message.empty()) {
      EXPECT_EQ(r.err.rfind("kiln: error: ", 0), 0u) << r.err;
    }
  }
}

// out = in0 + in1, float32 [1,3], written to `path`.
void write_add_model(const std::string& path) {
  kiln::testing::ModelBuilder b;
  const int32_t a = b.add_tensor(model::TensorType::kFloat32, {1, 3}, "a");
  const int32_t c = b.add_tensor(model::TensorType::kFloat32, {1, 3}, "c");
  const int32_t sum = b.add_tensor(model::TensorType::kFloat32, {1, 3}, "sum");
  b.add_op(model::BuiltinOp::kAdd, {a, c}, {sum});
  b.set_inputs({a, c});
  b.set_outputs({sum});
  write_file_bytes(path, b.finish());
}

TEST(Cli, RunFeedsSeveralInputsInModelOrderFromMixedFormats) {
  test::TempDir dir;
  write_add_model(dir.file("add.tflite"));
  write_file_text(dir.file("a.csv"), "1 2.5 -3\n");
  write_file_bytes(dir.file("c.bin"), test::bytes_of(std::vector<float>{0.5f, 0.25f, 10.0f}));
  const Result r = kiln({"run", dir.file("add.tflite"), "-i", dir.file("a.csv"), "-i", dir.file("c.bin"),
                         "-o", dir.file("sum.npy")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("'sum' float32[1,3]: 1.5 2.75 7"), std::string::npos) << r.out;
  const auto npy = read_file_bytes(dir.file("sum.npy"));
  ASSERT_EQ(npy.size(), 128u + 12u);
  EXPECT_EQ(test::values_of<float>(std::vector<uint8_t>(npy.begin() + 128, npy.end())),
            (std::vector<float>{1.5f, 2.75f, 7.0f}));
}

TEST(Cli, UnsupportedOperatorIsNamedAndInspectStillDescribesTheModel) {
  test::TempDir dir;
  kiln::testing::ModelBuilder b;
  const int32_t in = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "in");
  const int32_t out = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "out");
  b.add_op(model::BuiltinOp::kFloor, {in}, {out});
  b.set_inputs({in});
  b.set_outputs({out});
  write_file_bytes(dir.file("floor.tflite"), b.finish());
  const Result i = kiln({"inspect", dir.file("floor.tflite")});
  EXPECT_EQ(i.code, 1);
  EXPECT_NE(i.out.find("FLOOR"), std::string::npos) << i.out;
  EXPECT_NE(i.err.find("unsupported"), std::string::npos) << i.err;
  EXPECT_NE(i.err.find("FLOOR"), std::string::npos) << i.err;
  write_file_text(dir.file("x.csv"), "1,2,3,4");
  const Result r = kiln({"run", dir.file("floor.tflite"), "-i", dir.file("x.csv")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("FLOOR"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kiln::host
