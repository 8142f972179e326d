// TargetSession and `kiln target run` on the emulated board (QEMU, the
// rv32imac agent; registered only when the cross build is given):
//  - run_batch over 1,000 random samples equals the host interpreter byte for
//    byte (inputs from the bulk flash, outputs over the UART);
//  - `kiln target run --json` prints the same outputs as `kiln run --json` for
//    hello_world_int8 and KWS, with real statistics;
//  - a batch whose inputs exceed what QEMU loads in one image (its RAM) is
//    split over several images and still matches;
//  - a missing firmware is a clear error saying how to build it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "kiln/host/command.h"
#include "model_builder.h"
#include "model_runner.h"
#include "target_session.h"
#include "testdata.h"

namespace kiln::testing {
namespace {

using Sample = std::vector<std::vector<uint8_t>>;

std::vector<uint8_t> random_bytes(size_t n, std::mt19937& rng) {
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

target::SessionOptions qemu_options() {
  target::SessionOptions o;
  o.firmware = KILN_AGENT_ELF;
  return o;
}

TEST(TargetSession, MissingFirmwareSaysHowToBuildIt) {
  target::SessionOptions o;
  o.firmware = "/nonexistent/kiln_agent.elf";
  try {
    target::TargetSession::open(o);
    FAIL() << "opened a session without firmware";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("agent firmware not found: /nonexistent/kiln_agent.elf"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("make cross"), std::string::npos) << e.what();
  }
}

TEST(TargetSession, UnemulatedBoardNeedsAPort) {
  target::SessionOptions o = qemu_options();
  o.board = "esp32c6";
  try {
    target::TargetSession::open(o);
    FAIL() << "opened esp32c6 without a port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("board esp32c6 is not emulated: connect it and give --port"), std::string::npos)
        << e.what();
  }
}

// 1,000 random samples through the bulk flash path, compared with the host.
void expect_batch_matches_host(const std::vector<uint8_t>& model, const std::string& model_path, size_t samples) {
  ModelRunner host(model);
  ASSERT_EQ(host.status(), Status::kOk) << host.message();
  runtime::Interpreter& hi = host.interpreter();
  auto session = target::TargetSession::open(qemu_options());
  EXPECT_NE(session->info().capabilities & 8, 0) << "agent without bulk flash";
  const target::ModelSummary s = session->load_model(model);
  ASSERT_EQ(s.input_bytes.size(), hi.input_count());
  std::mt19937 rng(42);
  std::vector<Sample> inputs(samples);
  for (auto& sample : inputs) {
    for (uint32_t i = 0; i < hi.input_count(); ++i) sample.push_back(random_bytes(hi.input(i)->bytes, rng));
  }
  size_t last_progress = 0;
  const auto t0 = std::chrono::steady_clock::now();
  const auto outputs = session->run_batch(inputs, [&](size_t done, size_t total) {
    EXPECT_EQ(total, samples);
    EXPECT_GT(done, last_progress);
    last_progress = done;
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(last_progress, samples);
  ASSERT_EQ(outputs.size(), samples);
  size_t mismatches = 0;
  for (size_t n = 0; n < samples; ++n) {
    hi.reset_state();
    for (uint32_t i = 0; i < hi.input_count(); ++i) ASSERT_TRUE(host.set_input(i, inputs[n][i]));
    ASSERT_EQ(host.invoke(), Status::kOk);
    ASSERT_EQ(outputs[n].size(), hi.output_count());
    for (uint32_t o = 0; o < hi.output_count(); ++o) mismatches += outputs[n][o] != host.output_bytes(o);
  }
  EXPECT_EQ(mismatches, 0u);
  const target::InvokeStats st = session->last_stats();
  EXPECT_GT(st.instret, 0u);
  EXPECT_EQ(st.op_instret.size(), s.op_count);
  std::printf("%s: %zu samples on qemu-virt-rv32 in %.2f s (%.0f samples/s), %llu instructions per inference\n",
              model_path.c_str(), samples, seconds, samples / seconds, static_cast<unsigned long long>(st.instret));
}

void expect_batch_matches_host(const std::string& model_path, size_t samples) {
  expect_batch_matches_host(read_file(testdata_path(model_path)), model_path, samples);
}

// One int8 MAX_POOL_2D over a 32x32x64 map: 64 KB inputs, little compute.
std::vector<uint8_t> wide_input_model() {
  namespace fb = flatbuffers;
  ModelBuilder b;
  const QuantSpec q{{0.5f}, {0}, 0};
  const int32_t x = b.add_tensor(model::TensorType::kInt8, {1, 32, 32, 64}, "x", 0, q);
  const int32_t o = b.add_tensor(model::TensorType::kInt8, {1, 1, 1, 64}, "o", 0, q);
  b.add_op(model::BuiltinOp::kMaxPool2d, {x}, {o}, model::OptionsType::kPool2d, [](fb::FlatBufferBuilder& fbb) {
    const auto start = fbb.StartTable();
    fbb.AddElement<int8_t>(field(0), 1, 0);    // VALID
    for (int f = 1; f <= 4; ++f) fbb.AddElement<int32_t>(field(f), 32, 0);  // strides, filter 32x32
    return fbb.EndTable(start);
  });
  b.set_inputs({x});
  b.set_outputs({o});
  return b.finish();
}

// 200 x 64 KB = 12.5 MB of inputs: more than QEMU loads in one image (-m of
// qemu-virt-rv32: 8 MB), so the session must split the batch.
TEST(TargetSession, RunBatchLargerThanOneQemuImageIsSplit) {
  expect_batch_matches_host(wide_input_model(), "wide_input (synthetic)", 200);
}

TEST(TargetSession, RunBatchOf1000MatchesTheHostHelloWorld) {
  expect_batch_matches_host("models/tflm/hello_world_int8.tflite", 1000);
}

// 640-byte outputs: one sample per reply; 1.7 M instructions each, so 40 samples.
TEST(TargetSession, RunBatchMatchesTheHostAd01) { expect_batch_matches_host("models/mlperf-tiny/ad01_int8.tflite", 40); }

// --- kiln target run vs kiln run ------------------------------------------

using host::run_command;

void expect_target_run_equals_run(const std::string& model_path, size_t input_bytes) {
  const std::string dir = ::testing::TempDir() + "kiln_target_run_" + std::to_string(input_bytes);
  std::filesystem::create_directories(dir);
  std::mt19937 rng(7);
  const std::string input = dir + "/input.bin";
  {
    const auto bytes = random_bytes(input_bytes, rng);
    std::ofstream(input, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
  }
  const std::string model = testdata_path(model_path);
  int rc_host = -1, rc_target = -1;
  const auto host = nlohmann::json::parse(run_command(std::string(KILN_CLI) + " run --json " + model + " --input " + input, &rc_host));
  const std::string target_out = run_command(std::string(KILN_CLI) + " target run --json --board qemu-virt-rv32 --firmware " +
                                                 KILN_AGENT_ELF + " " + model + " --input " + input + " --output " + dir + "/out.npy",
                                             &rc_target);
  ASSERT_EQ(rc_host, 0);
  ASSERT_EQ(rc_target, 0) << target_out;
  const auto target = nlohmann::json::parse(target_out);
  ASSERT_EQ(target["outputs"].size(), host["outputs"].size());
  for (size_t i = 0; i < host["outputs"].size(); ++i) {
    EXPECT_EQ(target["outputs"][i]["values"], host["outputs"][i]["values"]) << "output " << i;
    EXPECT_EQ(target["outputs"][i]["shape"], host["outputs"][i]["shape"]);
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/out.npy"));
  const auto& st = target["stats"];
  EXPECT_GT(st["instret"].get<uint64_t>(), 0u);
  EXPECT_GE(st["cycles"].get<uint64_t>(), st["instret"].get<uint64_t>());
  EXPECT_EQ(st["ops"].size(), host["ops"].size());
  uint64_t sum = 0;
  for (const auto& op : st["ops"]) sum += op["instret"].get<uint64_t>();
  EXPECT_LE(sum, st["instret"].get<uint64_t>());
  EXPECT_GT(st["stack_high_water"].get<uint32_t>(), 0u);
  EXPECT_GT(st["arena_required"].get<uint32_t>(), 0u);
  std::printf("kiln target run %s: %llu instructions\n", model_path.c_str(),
              static_cast<unsigned long long>(st["instret"].get<uint64_t>()));
}

TEST(TargetRunCli, HelloWorldInt8EqualsKilnRun) { expect_target_run_equals_run("models/tflm/hello_world_int8.tflite", 1); }

TEST(TargetRunCli, KwsEqualsKilnRun) { expect_target_run_equals_run("models/mlperf-tiny/kws_ref_model_int8.tflite", 490); }

}  // namespace
}  // namespace kiln::testing
