// `kiln quantize` end to end: a data set on disk, the real binary, its JSON
// report and its errors.
#include <gtest/gtest.h>
#include <unistd.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "kiln/host/command.h"
#include "model_runner.h"
#include "testdata.h"

namespace kiln::quant {
namespace {

struct Result {
  int code = -1;
  std::string out;
};

// Runs the CLI; stdout captured, stderr to `err_file`.
Result run_cli(const std::string& args, const std::string& err_file) {
  const std::string cmd = std::string(KILN_CLI_PATH) + " " + args + " 2>" + err_file;
  Result r;
  r.out = host::run_command(cmd, &r.code);
  return r;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class QuantizeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("kiln_qcli_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    // hello_world calibration data: a .npy of 64 x [1] float32 values in [0, 2pi).
    std::string h = "{'descr': '<f4', 'fortran_order': False, 'shape': (64, 1), }";
    while ((10 + h.size() + 1) % 64 != 0) h += ' ';
    h += '\n';
    std::string f = std::string("\x93NUMPY\x01\x00", 8);
    f += static_cast<char>(h.size() & 0xff);
    f += static_cast<char>(h.size() >> 8);
    f += h;
    for (int i = 0; i < 64; ++i) {
      const float x = 6.2831853f * static_cast<float>(i) / 64.0f;
      f.append(reinterpret_cast<const char*>(&x), 4);
    }
    std::ofstream(file("calib.npy"), std::ios::binary) << f;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(QuantizeCli, WritesALoadableModelAndAJsonReport) {
  const std::string model = testing::testdata_path("models/tflm/hello_world_float.tflite");
  const Result r = run_cli("quantize " + model + " --calibration " + file("calib.npy") + " -o " + file("q.tflite") +
                               " --method percentile --json",
                           file("err.txt"));
  ASSERT_EQ(r.code, 0) << slurp(file("err.txt"));
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"], "percentile");
  EXPECT_EQ(j["samples"], 64);
  EXPECT_EQ(j["ops_quantized"], 3);
  EXPECT_EQ(j["ops"].front(), "QUANTIZE");
  EXPECT_EQ(j["ops"].back(), "DEQUANTIZE");
  EXPECT_NE(slurp(file("err.txt")).find("(100%)"), std::string::npos);  // progress
  auto runner = testing::ModelRunner::from_file(file("q.tflite"));
  EXPECT_EQ(runner->status(), Status::kOk) << runner->message();
}

TEST_F(QuantizeCli, ErrorsAreClearAndNonZero) {
  const std::string model = testing::testdata_path("models/tflm/hello_world_float.tflite");
  Result r = run_cli("quantize " + model + " --calibration " + file("missing.idx") + " -o " + file("q.tflite"),
                     file("err.txt"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(slurp(file("err.txt")).find("kiln: error: data set '"), std::string::npos) << slurp(file("err.txt"));
  r = run_cli("quantize " + model + " --calibration " + file("calib.npy") + " -o " + file("q.tflite") +
                  " --method magic",
              file("err.txt"));
  EXPECT_NE(r.code, 0);
  // A model kiln cannot quantize (int8 already): a named reason.
  r = run_cli("quantize " + testing::testdata_path("models/tflm/hello_world_int8.tflite") + " --calibration " +
                  file("calib.npy") + " -o " + file("q.tflite"),
              file("err.txt"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(slurp(file("err.txt")).find("not float32"), std::string::npos) << slurp(file("err.txt"));
}

}  // namespace
}  // namespace kiln::quant
