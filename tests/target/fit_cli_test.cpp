// `kiln fit`: flash = code (documented estimate, 126,976 B) + model (16-byte
// aligned); RAM = arena (exact, the planner's) + the board's stack + static
// data (4,096 B). Fits and does-not-fit cases with their exact figures.
#include <gtest/gtest.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "kiln/host/command.h"
#include "testdata.h"

namespace kiln::testing {
namespace {

// stdout and stderr of a command.
std::string run_command(const std::string& cmd, int* exit_code) { return host::run_command(cmd + " 2>&1", exit_code); }

nlohmann::json fit_json(const std::string& model, const std::string& board, int* exit_code) {
  const std::string out =
      run_command(std::string(KILN_CLI) + " fit --json " + testdata_path(model) + " --board " + board, exit_code);
  const size_t brace = out.find('{');
  if (brace == std::string::npos) return nlohmann::json::object();
  return nlohmann::json::parse(out.substr(0, out.rfind('}') + 1).substr(brace));
}

TEST(KilnFit, KwsFitsTheEmulatedBoardWithExactFigures) {
  int rc = -1;
  const auto j = fit_json("models/mlperf-tiny/kws_ref_model_int8.tflite", "qemu-virt-rv32", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(j["fits"].get<bool>());
  EXPECT_EQ(j["flash"]["code"], 126976);
  EXPECT_EQ(j["flash"]["model"], KWS_MODEL_FLASH);
  EXPECT_EQ(j["flash"]["used"], 126976 + KWS_MODEL_FLASH);
  EXPECT_EQ(j["flash"]["budget"], 4194304);
  EXPECT_EQ(j["ram"]["arena"], KWS_ARENA);
  EXPECT_EQ(j["ram"]["stack"], 16384);
  EXPECT_EQ(j["ram"]["data"], 4096);
  EXPECT_EQ(j["ram"]["used"], KWS_ARENA + 16384 + 4096);
  EXPECT_EQ(j["ram"]["budget"], 1048576);
}

TEST(KilnFit, PersonDetectDoesNotFit64KAndNamesTheOverflow) {
  int rc = -1;
  const std::string board = testdata_path("../tests/target/boards/tiny-64k/board.dts");
  const std::string out = run_command(std::string(KILN_CLI) + " fit " + testdata_path("models/tflm/person_detect.tflite") +
                                          " --board " + board, &rc);
  EXPECT_EQ(rc, 1) << out;
  const std::string want = "kiln: error: tiny-64k: RAM overflow: arena " + std::to_string(PERSON_ARENA) +
                           " + stack 4096 + data 4096 = " + std::to_string(PERSON_ARENA + 8192) +
                           " bytes > budget 65536 (over by " + std::to_string(PERSON_ARENA + 8192 - 65536) + ")";
  EXPECT_NE(out.find(want), std::string::npos) << out;
  EXPECT_EQ(out.find("flash overflow"), std::string::npos) << out;
}

TEST(KilnFit, UnknownBoardIsAClearError) {
  int rc = -1;
  const std::string out = run_command(std::string(KILN_CLI) + " fit " +
                                          testdata_path("models/tflm/hello_world_int8.tflite") + " --board no-such-board", &rc);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("kiln: error:"), std::string::npos) << out;
  EXPECT_NE(out.find("no-such-board"), std::string::npos) << out;
}

}  // namespace
}  // namespace kiln::testing
