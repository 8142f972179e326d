// The firmware agent on the emulated board (qemu-virt-rv32 from its device
// tree, QEMU started with the board's RAM size and -icount shift=0), driven
// over the kiln target protocol on the serial console:
//  - every model in testdata/models that fits the board gives the same output
//    bytes on the target as the device core on the host;
//  - statistics are real (per-op instructions add up, stack painted);
//  - random, corrupted and truncated frames get error replies and leave the
//    agent responsive.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>

#include "agent_client.h"
#include "kiln/board/board.h"
#include "kiln/protocol/protocol.h"
#include "model_runner.h"
#include "testdata.h"

namespace kiln::testing {
namespace {

namespace p = kiln::protocol;
using target::AgentClient;

class AgentOnQemu : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(std::filesystem::exists(KILN_AGENT_ELF)) << "agent firmware missing: " << KILN_AGENT_ELF
                                                         << " (built by `make cross`)";
    board_ = new board::Board(board::load_board("qemu-virt-rv32"));
    target::QemuOptions o;
    o.system = board_->qemu_system;
    o.machine = board_->qemu_machine;
    o.ram_bytes = board_->qemu_ram_bytes();
    o.firmware = KILN_AGENT_ELF;
    link_ = target::start_qemu(o).release();
    client_ = new AgentClient(*link_, 20000);
    client_->connect();
  }
  static void TearDownTestSuite() {
    delete client_;
    delete link_;
    delete board_;
  }
  static board::Board* board_;
  static target::Transport* link_;
  static AgentClient* client_;
};
board::Board* AgentOnQemu::board_ = nullptr;
target::Transport* AgentOnQemu::link_ = nullptr;
AgentClient* AgentOnQemu::client_ = nullptr;

TEST_F(AgentOnQemu, HelloReportsTheBoardsSizes) {
  const target::AgentInfo info = client_->hello();
  EXPECT_EQ(info.version, p::kVersion);
  EXPECT_EQ(info.xlen, 32);
  EXPECT_EQ(info.model_slot_bytes, board_->model_slot_bytes);
  EXPECT_EQ(info.stack_bytes, board_->stack_bytes);
  EXPECT_EQ(info.max_payload, p::kMaxPayload);
  // Arena: the board's RAM minus the slot, the stack and a few KB of data.
  EXPECT_LT(info.arena_bytes, board_->ram.size - board_->model_slot_bytes - board_->stack_bytes);
  EXPECT_GT(info.arena_bytes, board_->ram.size - board_->model_slot_bytes - board_->stack_bytes - 16 * 1024);
  EXPECT_NE(info.name.find("qemu-virt-rv32"), std::string::npos);
}

TEST_F(AgentOnQemu, RequestsWithoutAModelAreRefused) {
  client_->hello();
  // Load something invalid so no model is active.
  const std::vector<uint8_t> junk(64, 0x11);
  EXPECT_THROW(client_->load_model(junk), std::runtime_error);
  const target::Reply r = client_->request(static_cast<uint8_t>(p::Type::kInvoke), {});
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.payload[0], static_cast<uint8_t>(p::ErrorCode::kNoModel));
}

TEST_F(AgentOnQemu, OversizedModelIsRefusedBeforeTransfer) {
  const std::vector<uint8_t> big(board_->model_slot_bytes + 1, 0);
  try {
    client_->load_model(big);
    FAIL() << "accepted a model larger than the slot";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("model too large for the board's model slot"), std::string::npos) << e.what();
  }
}

std::vector<uint8_t> pattern_input(size_t bytes, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(bytes);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

bool is_float_output(const runtime::Tensor* t) { return t->type == model::TensorType::kFloat32; }

TEST_F(AgentOnQemu, EveryModelThatFitsMatchesTheHostByteForByte) {
  client_->hello();
  std::vector<std::string> models;
  // QEMU's emulated UART moves about 16 KB/s from the host, so CI compares
  // the real models up to 64 KB; KILN_AGENT_ALL_MODELS=1 sweeps every model
  // in testdata/models that fits the slot (135 models, about 4 minutes).
  const bool all = std::getenv("KILN_AGENT_ALL_MODELS") != nullptr;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testdata_path("models"))) {
    const bool top_level = e.path().parent_path().parent_path() == std::filesystem::path(testdata_path("models"));
    if (e.path().extension() == ".tflite" && (all || top_level)) models.push_back(e.path().string());
  }
  std::sort(models.begin(), models.end());
  if (!all) std::printf("note: real models up to 64 KB only; set KILN_AGENT_ALL_MODELS=1 for every model in testdata/models\n");
  ASSERT_GE(models.size(), 5u);
  int compared = 0, too_big = 0, float_models = 0;
  for (const std::string& path : models) {
    SCOPED_TRACE(path);
    const std::vector<uint8_t> bytes = read_file(path);
    ModelRunner host(bytes);
    if (host.status() != Status::kOk) continue;  // not a model the runtime runs at all
    runtime::Interpreter& hi = host.interpreter();
    if (!all && bytes.size() > 64 * 1024) continue;
    if (bytes.size() > board_->model_slot_bytes) {
      ++too_big;
      continue;
    }
    const target::ModelSummary s = client_->load_model(bytes);
    EXPECT_EQ(s.op_count, hi.op_count());
    ASSERT_EQ(s.input_bytes.size(), hi.input_count());
    bool any_float = false;
    for (uint32_t i = 0; i < hi.input_count(); ++i) {
      std::vector<uint8_t> in = pattern_input(hi.input(i)->bytes, 1234 + i);
      if (hi.input(i)->type == model::TensorType::kFloat32) {
        // Finite floats in [-1, 1) rather than random bit patterns.
        for (size_t k = 0; k + 4 <= in.size(); k += 4) {
          const float f = static_cast<float>(static_cast<int8_t>(in[k])) / 128.0f;
          std::memcpy(&in[k], &f, 4);
        }
      }
      ASSERT_TRUE(host.set_input(i, in));
      client_->set_input(i, in);
    }
    ASSERT_EQ(host.invoke(), Status::kOk);
    const target::InvokeStats st = client_->invoke();
    EXPECT_GT(st.instret, 0u);
    for (uint32_t o = 0; o < hi.output_count(); ++o) {
      const std::vector<uint8_t> want = host.output_bytes(o);
      const std::vector<uint8_t> got = client_->read_output(o, static_cast<uint32_t>(want.size()));
      if (!is_float_output(hi.output(o))) {
        EXPECT_EQ(got, want) << "output " << o;
        continue;
      }
      any_float = true;
      for (size_t k = 0; k + 4 <= got.size(); k += 4) {
        float g, w;
        std::memcpy(&g, &got[k], 4);
        std::memcpy(&w, &want[k], 4);
        EXPECT_NEAR(g, w, 1e-4 * std::max(1.0f, std::fabs(w))) << "output " << o << " element " << k / 4;
      }
    }
    float_models += any_float;
    ++compared;
  }
  std::printf("compared %d models on target vs host (%d with float outputs, within 1e-4), %d larger than the slot\n",
              compared, float_models, too_big);
  EXPECT_GE(compared, all ? 100 : 5);
}

TEST_F(AgentOnQemu, StatisticsAreRealMeasurements) {
  client_->hello();
  const std::vector<uint8_t> model = read_file(testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite"));
  const target::ModelSummary s = client_->load_model(model);
  client_->set_input(0, pattern_input(s.input_bytes.at(0), 7));
  const target::InvokeStats inv = client_->invoke();
  const target::InvokeStats st = client_->read_stats();
  EXPECT_EQ(st.instret, inv.instret);
  std::printf("kws_ref_model_int8 on qemu-virt-rv32: %llu instructions, %llu cycles, arena %u B, stack high-water %u of %u B\n",
              static_cast<unsigned long long>(st.instret), static_cast<unsigned long long>(st.cycles), st.arena_required,
              st.stack_high_water, st.stack_bytes);
  EXPECT_EQ(st.op_instret.size(), s.op_count);
  uint64_t sum = 0;
  for (uint64_t t : st.op_instret) sum += t;
  EXPECT_LE(sum, st.instret);
  EXPECT_GT(sum, st.instret * 99 / 100);  // the interpreter's own overhead is under 1 %
  // With -icount shift=0 one instruction is one cycle.
  EXPECT_NEAR(static_cast<double>(st.cycles), static_cast<double>(st.instret), st.instret * 0.01);
  EXPECT_EQ(st.arena_required, s.arena_required);
  EXPECT_GT(st.stack_high_water, 256u);
  EXPECT_LT(st.stack_high_water, st.stack_bytes);
  // Repeatable: a second invoke retires the same instructions.
  client_->set_input(0, pattern_input(s.input_bytes.at(0), 7));
  EXPECT_EQ(client_->invoke().instret, inv.instret);
}

// Frames the agent must answer with an error, then the agent must still work.
TEST_F(AgentOnQemu, GarbageAndCorruptedFramesLeaveTheAgentResponsive) {
  client_->hello();
  std::mt19937 rng(42);
  // After the bad bytes: a frame's worth of zeros completes any partial frame
  // (an error reply) and leaves the decoder hunting for sync; then a hello
  // must succeed. Returns the replies that came before the hello's.
  auto resync = [&] {
    client_->send_raw(std::vector<uint8_t>(p::kMaxFrame + 8, 0));
    std::vector<uint8_t> frame(p::kMaxFrame);
    const uint16_t seq = 0x6000;
    const size_t n = p::encode_frame(static_cast<uint8_t>(p::Type::kHello), seq, nullptr, 0, frame.data(), frame.size());
    client_->send_raw(std::vector<uint8_t>(frame.begin(), frame.begin() + static_cast<long>(n)));
    std::vector<target::Reply> before;
    for (;;) {
      target::Reply r = client_->receive();
      if (r.seq == seq && r.type == (static_cast<uint8_t>(p::Type::kHello) | p::kReplyBit)) break;
      before.push_back(r);
    }
    return before;
  };
  std::vector<uint8_t> frame(p::kMaxFrame);
  int error_replies = 0;
  for (int round = 0; round < 40; ++round) {
    SCOPED_TRACE(round);
    const uint8_t payload[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const size_t n = p::encode_frame(static_cast<uint8_t>(rng() % 12), static_cast<uint16_t>(0x7000 + round), payload,
                                     rng() % 9, frame.data(), frame.size());
    std::vector<uint8_t> bytes(frame.begin(), frame.begin() + static_cast<long>(n));
    switch (round % 4) {
      case 0:  // one bit flipped after the sync bytes: CRC (or length) error
        bytes[2 + rng() % (n - 2)] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // pure noise
        bytes.assign(1 + rng() % 200, 0);
        for (auto& b : bytes) b = static_cast<uint8_t>(rng());
        break;
      case 2:  // truncated
        bytes.resize(1 + rng() % (n - 1));
        break;
      default:  // valid frame, random type and payload: some reply
        break;
    }
    client_->send_raw(bytes);
    const std::vector<target::Reply> replies = resync();
    for (const auto& r : replies) error_replies += r.is_error();
    if (round % 4 == 0) {
      ASSERT_FALSE(replies.empty());
      EXPECT_TRUE(replies[0].is_error());
    }
    if (round % 4 == 3) EXPECT_EQ(replies.size(), 1u);
  }
  EXPECT_GE(error_replies, 15);
  // Oversized length field: an immediate error reply, no waiting for 64 KB.
  const uint8_t too_long[] = {p::kSync0, p::kSync1, p::kVersion, 1, 9, 0, 0xFF, 0xFF};
  client_->send_raw(std::vector<uint8_t>(too_long, too_long + sizeof too_long));
  const target::Reply r = client_->receive();
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.payload[0], static_cast<uint8_t>(p::ErrorCode::kTooLong));
  client_->hello();
}

}  // namespace
}  // namespace kiln::testing
