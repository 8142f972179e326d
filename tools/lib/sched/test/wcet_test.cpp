// WCET from the target: `wcet: {model, board}` in a task set becomes
// instructions x CPI / the board's clock (x margin). Parsing with a stand-in
// meter, the CLI's clear error without the probe firmware, and (with the rv32
// probe built) KWS measured on QEMU: WCET = instret / 10 MHz exactly.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/host/error.h"
#include "kiln/sched/task_set_yaml.h"
#include "qemu_probe.h"
#include "testdata.h"

namespace kiln::sched {
namespace {

TEST(SchedWcet, InstructionsToTimeIsExact) {
  EXPECT_EQ(instructions_to_ns(29012345, 1.0, 10000000, 0.0), 2901234500);  // 100 ns each
  EXPECT_EQ(instructions_to_ns(80000000, 1.0, 160000000, 0.0), 500000000);
  EXPECT_EQ(instructions_to_ns(1000, 1.5, 1000000000, 0.0), 1500);
  EXPECT_EQ(instructions_to_ns(1000, 1.0, 1000000000, 0.25), 1250);
  // 2^63 / 1e9 instructions at 1 Hz would overflow: an error, not UB.
  EXPECT_THROW(instructions_to_ns(UINT64_MAX, 1.0, 1, 0.0), host::ToolError);
}

TEST(SchedWcet, MeasuredTasksUseTheMeterTheBoardClockAndTheCpi) {
  WcetRequest seen;
  TaskSetOptions opt;
  opt.base_dir = "/models";
  opt.meter = [&seen](const WcetRequest& r) {
    seen = r;
    WcetMeasurement m;
    m.instructions = 16000000;
    m.clock_hz = 160000000;
    m.how = "test instructions";
    return m;
  };
  const std::vector<Task> ts = parse_task_set(R"(
boards: {esp32c6: {cpi: 1.25}}
tasks:
  - {name: kws, period_us: 1000000, wcet: {model: kws.tflite, board: esp32c6}}
  - {name: vww, period_us: 1000000, wcet: {model: /abs/vww.tflite, board: rzfive, cpi: 2}}
  - {name: plain, period_us: 1000000, wcet: {model: m.tflite, board: x}}
)",
                                              opt);
  ASSERT_EQ(ts.size(), 3u);
  EXPECT_EQ(ts[0].wcet_ns, 125000000);  // 16e6 x 1.25 / 160 MHz
  EXPECT_NE(ts[0].wcet_source.find("CPI 1.25 (boards.esp32c6.cpi)"), std::string::npos) << ts[0].wcet_source;
  EXPECT_EQ(ts[1].wcet_ns, 200000000);
  EXPECT_EQ(seen.model, "/models/m.tflite");  // relative to the task set
  EXPECT_EQ(ts[2].wcet_ns, 100000000);
  EXPECT_NE(ts[2].wcet_source.find("CPI 1.00 (default for an in-order single-issue core)"), std::string::npos);
  EXPECT_NE(ts[2].wcet_source.find("160.000 MHz (x device tree)"), std::string::npos) << ts[2].wcet_source;

  opt.margin = 0.2;
  const std::vector<Task> with_margin =
      parse_task_set("tasks: [{name: k, period_us: 1000000, wcet: {model: k.tflite, board: b}}]", opt);
  EXPECT_EQ(with_margin[0].wcet_ns, 120000000);
  EXPECT_NE(with_margin[0].wcet_source.find("margin 0.20"), std::string::npos);
}

TEST(SchedWcet, MeasuredTaskErrorsNameTheTask) {
  auto message = [](const std::string& text, const TaskSetOptions& opt) {
    try {
      parse_task_set(text, opt);
    } catch (const host::ToolError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  TaskSetOptions none;
  EXPECT_NE(message("tasks: [{name: k, period_us: 10, wcet: {model: a, board: b}}]", none).find("'k': wcet"),
            std::string::npos);
  TaskSetOptions failing;
  failing.meter = [](const WcetRequest&) -> WcetMeasurement { throw host::ToolError("no QEMU"); };
  EXPECT_NE(message("tasks: [{name: k, period_us: 10, wcet: {model: a, board: b}}]", failing).find("'k': no QEMU"),
            std::string::npos);
  EXPECT_NE(message("tasks: [{name: k, period_us: 10, wcet: {model: a}}]", failing).find("{model: FILE, board: NAME}"),
            std::string::npos);
  EXPECT_NE(message("tasks: [{name: k, period_us: 10, wcet_us: 1, wcet: {model: a, board: b}}]", failing)
                .find("one of wcet_us"),
            std::string::npos);
  EXPECT_NE(message("tasks: [{name: k, period_us: 10, wcet: {model: a, board: b, clk: 3}}]", failing)
                .find("unknown field 'wcet.clk'"),
            std::string::npos);
}

#ifdef KILN_CLI_PATH
struct CliRun {
  int rc;
  std::string out;
};

CliRun run_cli(const std::string& args, const std::string& env = "") {
  const std::string out = ::testing::TempDir() + "/sched_wcet_out.txt";
  const int rc = std::system((env + " " + KILN_CLI_PATH + " sched " + args + " > " + out + " 2>&1").c_str());
  std::ifstream in(out);
  return {rc, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
}

std::string kws_task_set() {
  const std::string path = ::testing::TempDir() + "/sched_wcet_kws.yaml";
  std::ofstream(path) << "tasks:\n  - {name: kws, period_us: 5000000, wcet: {model: "
                      << testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite")
                      << ", board: qemu-virt-rv32}}\n";
  return path;
}

TEST(SchedWcetCli, WithoutTheProbeFirmwareTheErrorSaysWhatToBuild) {
  const CliRun r = run_cli(kws_task_set(), "KILN_PROBE_ELF=/nonexistent/kiln_probe.elf");
  EXPECT_NE(r.rc, 0);
  EXPECT_NE(r.out.find("kiln: error: task 'kws': measuring"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("needs the rv32 probe firmware, not found at '/nonexistent/kiln_probe.elf' (KILN_PROBE_ELF)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("make cross"), std::string::npos) << r.out;
}

#ifdef KILN_PROBE_ELF
TEST(SchedWcetCli, KwsOnQemuVirtIsInstretOverTheBoardClock) {
  const std::string model = testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite");
  std::string why;
  const auto probe = target::run_probe(KILN_PROBE_ELF, model, "", &why);
  ASSERT_TRUE(probe.has_value()) << why;
  const uint64_t instret = probe->get("invoke_instret");
  ASSERT_GT(instret, 1000000u);

  const CliRun r = run_cli("--json --probe " + std::string(KILN_PROBE_ELF) + " " + kws_task_set());
  ASSERT_EQ(r.rc, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  const nlohmann::json& t = j.at("tasks").at(0);
  // qemu-virt-rv32's device tree: clock-frequency 10 MHz -> 100 ns each.
  EXPECT_EQ(t.at("wcet_us").get<double>(), static_cast<double>(instret * 100) / 1000.0);
  const std::string source = t.at("wcet_source").get<std::string>();
  EXPECT_NE(source.find(std::to_string(instret) + " rv32imac instructions"), std::string::npos) << source;
  EXPECT_NE(source.find("10.000 MHz (qemu-virt-rv32 device tree)"), std::string::npos) << source;
  EXPECT_NE(source.find("CPI 1.00 (default for an in-order single-issue core)"), std::string::npos) << source;
  std::printf("KWS on qemu-virt-rv32: %llu instructions -> WCET %.1f us\n", static_cast<unsigned long long>(instret),
              t.at("wcet_us").get<double>());
}
#else
TEST(SchedWcetCli, KwsOnQemuVirtIsInstretOverTheBoardClock) {
  GTEST_SKIP() << "SKIPPED: KILN_PROBE_ELF (the rv32imac cross build) was not given to CMake; make test gives it";
}
#endif
#endif

}  // namespace
}  // namespace kiln::sched
