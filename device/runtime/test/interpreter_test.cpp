// Interpreter guarantees: exact arena size, clear failures, budgets, stats,
// streaming state and a plan in which live buffers never overlap.
#include "kiln/runtime/interpreter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "kiln/memory/planner.h"
#include "kiln/runtime/op_resolver.h"
#include "model_builder.h"
#include "model_runner.h"
#include "testdata.h"

namespace kiln::runtime {
namespace {

using kiln::testing::AlignedBytes;
using kiln::testing::ModelBuilder;
using kiln::testing::read_file;
using kiln::testing::testdata_path;

struct Loaded {
  explicit Loaded(const std::vector<uint8_t>& bytes) : model_bytes(bytes) {
    EXPECT_EQ(model.load(model_bytes.data(), model_bytes.size(), diag), Status::kOk) << diag.message();
  }
  AlignedBytes model_bytes;
  model::Model model;
  Diag diag;
};

std::vector<uint8_t> model_file(const char* name) { return read_file(testdata_path(std::string("models/") + name)); }

uint32_t required_bytes(const model::Model& m) {
  AlignedBytes arena{std::vector<uint8_t>(1 << 20)};
  Interpreter interp(m, all_ops(), arena.data(), arena.size());
  EXPECT_EQ(interp.init(), Status::kOk) << interp.diag().message();
  return interp.arena_report().required_bytes;
}

class ArenaSize : public ::testing::TestWithParam<const char*> {};

// required_bytes() is exact: that arena works, 16 bytes less fails and says
// how much is needed.
TEST_P(ArenaSize, RequiredBytesAreExact) {
  Loaded l(model_file(GetParam()));
  const uint32_t need = required_bytes(l.model);
  ASSERT_GT(need, 0u);
  AlignedBytes exact{std::vector<uint8_t>(need)};
  Interpreter fits(l.model, all_ops(), exact.data(), need);
  EXPECT_EQ(fits.init(), Status::kOk) << fits.diag().message();
  EXPECT_EQ(fits.invoke(), Status::kOk) << fits.diag().message();
  Interpreter short_by_16(l.model, all_ops(), exact.data(), need - 16);
  EXPECT_EQ(short_by_16.init(), Status::kArenaTooSmall);
  EXPECT_NE(std::string(short_by_16.diag().message()).find("arena too small"), std::string::npos)
      << short_by_16.diag().message();
}

TEST_P(ArenaSize, PlanEqualsActivationLowerBoundAndNeverOverlapsLiveBuffers) {
  Loaded l(model_file(GetParam()));
  AlignedBytes arena{std::vector<uint8_t>(1 << 20)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  ASSERT_EQ(interp.init(), Status::kOk);
  const ArenaReport& r = interp.arena_report();
  EXPECT_EQ(r.planned_bytes, r.lower_bound_bytes);
  const uint32_t n = interp.describe_plan(nullptr, 0);
  std::vector<PlannedBuffer> plan(n);
  ASSERT_EQ(interp.describe_plan(plan.data(), n), n);
  for (uint32_t i = 0; i < n; ++i) {
    EXPECT_LE(plan[i].offset + plan[i].size, r.planned_bytes);
    for (uint32_t j = i + 1; j < n; ++j) {
      const bool live_together = plan[i].first_op <= plan[j].last_op && plan[j].first_op <= plan[i].last_op;
      const bool overlap = plan[i].offset < plan[j].offset + plan[j].size && plan[j].offset < plan[i].offset + plan[i].size;
      EXPECT_FALSE(live_together && overlap && plan[i].size && plan[j].size) << "buffers " << i << " and " << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ArenaSize,
                         ::testing::Values("tflm/hello_world_int8.tflite", "tflm/micro_speech_quantized.tflite",
                                           "tflm/keyword_scrambled_8bit.tflite", "mlperf-tiny/ad01_int8.tflite",
                                           "mlperf-tiny/kws_ref_model_int8.tflite"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string s = info.param;
                           s = s.substr(s.find('/') + 1);
                           return s.substr(0, s.find('.'));
                         });

TEST(Interpreter, TinyArenaSaysHowMuchIsNeeded) {
  Loaded l(model_file("mlperf-tiny/kws_ref_model_int8.tflite"));
  AlignedBytes arena{std::vector<uint8_t>(64)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  EXPECT_EQ(interp.init(), Status::kArenaTooSmall);
  EXPECT_NE(std::string(interp.diag().message()).find("arena has 64"), std::string::npos) << interp.diag().message();
}

TEST(Interpreter, NamesEveryUnsupportedOperatorAtInit) {
  ModelBuilder b;
  const int32_t x = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "x");
  const int32_t y = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "y");
  const int32_t z = b.add_tensor(model::TensorType::kFloat32, {1, 4}, "z");
  b.add_op(model::BuiltinOp::kFloor, {x}, {y});
  b.add_op(model::BuiltinOp::kLstm, {y}, {z});
  b.set_inputs({x});
  b.set_outputs({z});
  Loaded l(b.finish());
  AlignedBytes arena{std::vector<uint8_t>(4096)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  EXPECT_EQ(interp.init(), Status::kUnsupported);
  EXPECT_STREQ(interp.diag().message(), "2 operator(s) not supported by this build: FLOOR, LSTM");
  EXPECT_EQ(interp.invoke(), Status::kInvalidArgument);
}

TEST(Interpreter, RejectsMisalignedArena) {
  Loaded l(model_file("tflm/hello_world_int8.tflite"));
  AlignedBytes arena{std::vector<uint8_t>(4096)};
  Interpreter interp(l.model, all_ops(), arena.data() + 4, arena.size() - 4);
  EXPECT_EQ(interp.init(), Status::kInvalidArgument);
}

// A fake clock that advances one tick per reading.
uint64_t ticking(void* user) { return ++*static_cast<uint64_t*>(user); }

// Six float RELUs in a chain: operators that never poll the clock themselves.
std::vector<uint8_t> relu_chain() {
  ModelBuilder b;
  int32_t t = b.add_tensor(model::TensorType::kFloat32, {1, 8}, "t0");
  const int32_t first = t;
  for (int i = 1; i <= 6; ++i) {
    const int32_t next = b.add_tensor(model::TensorType::kFloat32, {1, 8}, "t" + std::to_string(i));
    b.add_op(model::BuiltinOp::kRelu, {t}, {next});
    t = next;
  }
  b.set_inputs({first});
  b.set_outputs({t});
  return b.finish();
}

TEST(Interpreter, DeadlineStopsBetweenOpsAndNextInvokeStartsClean) {
  Loaded l(relu_chain());
  AlignedBytes arena{std::vector<uint8_t>(1 << 14)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  uint64_t now = 0;
  interp.set_clock(Clock{ticking, &now});  // before init: per-op ticks too
  ASSERT_EQ(interp.init(), Status::kOk);
  // Two readings per op (start, end): op 2 starts at tick 5, op 3 at 7.
  interp.set_deadline(now + 5);
  EXPECT_EQ(interp.invoke(), Status::kBudgetExceeded);
  EXPECT_EQ(interp.last_op(), 3u);
  EXPECT_STREQ(interp.diag().message(), "budget exceeded before op 3 of 6");
  interp.set_deadline(0);
  const float x[8] = {-2, -1, 0, 1, 2, 3, -4, 5};
  std::memcpy(interp.input(0)->data, x, sizeof(x));
  ASSERT_EQ(interp.invoke(), Status::kOk);
  const float* y = interp.output(0)->as<float>();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(y[i], x[i] > 0 ? x[i] : 0.0f);
  for (uint32_t i = 0; i < interp.op_count(); ++i) EXPECT_EQ(interp.op_stats(i).ticks, 1u) << "op " << i;
}

// The observer sees every operator's output while it is still live: in the
// relu chain, op i's output is the input with negatives cleared.
TEST(Interpreter, ObserverSeesEachOperatorsOutputWhileLive) {
  Loaded l(relu_chain());
  AlignedBytes arena{std::vector<uint8_t>(1 << 14)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  ASSERT_EQ(interp.init(), Status::kOk);
  struct Seen {
    Interpreter* interp;
    std::vector<uint32_t> ops;
    std::vector<float> first_values;
  } seen{&interp, {}, {}};
  interp.set_observer(OpObserver{[](void* user, uint32_t op) {
                                   auto* s = static_cast<Seen*>(user);
                                   s->ops.push_back(op);
                                   const int32_t out = s->interp->model().op(op).outputs[0];
                                   s->first_values.push_back(s->interp->tensor(out)->as<float>()[0]);
                                 },
                                 &seen});
  const float x[8] = {-2, -1, 0, 1, 2, 3, -4, 5};
  std::memcpy(interp.input(0)->data, x, sizeof(x));
  ASSERT_EQ(interp.invoke(), Status::kOk);
  EXPECT_EQ(seen.ops, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(seen.first_values, std::vector<float>(6, 0.0f));
}

TEST(Interpreter, CountsMacsPerOperator) {
  Loaded l(model_file("tflm/person_detect.tflite"));
  AlignedBytes arena{std::vector<uint8_t>(1 << 20)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  ASSERT_EQ(interp.init(), Status::kOk);
  EXPECT_EQ(interp.op_stats(0).macs, 165888u);  // 48x48x8 outputs x 9 taps
  EXPECT_EQ(interp.op_stats(2).macs, 294912u);  // 48x48x16 x 8
  EXPECT_EQ(interp.total_macs(), 7160194u);
}

// Inside a long operator the kernels poll the budget once per output row:
// the stop comes within one row, not one operator.
TEST(Interpreter, DeadlineStopsInsideALongOperator) {
  Loaded l(model_file("tflm/person_detect.tflite"));
  AlignedBytes arena{std::vector<uint8_t>(1 << 20)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  ASSERT_EQ(interp.init(), Status::kOk);
  uint64_t now = 0;
  interp.set_clock(Clock{ticking, &now});  // after init: one reading per op, one per row
  const std::vector<uint8_t> person = read_file(testdata_path("models/golden/person_detect/input_person.bin"));
  std::memcpy(interp.input(0)->data, person.data(), person.size());
  interp.set_deadline(now + 10);  // op 0 (48 output rows) is still running
  EXPECT_EQ(interp.invoke(), Status::kBudgetExceeded);
  EXPECT_EQ(interp.last_op(), 0u);
  EXPECT_STREQ(interp.diag().message(), "budget exceeded inside op 0");
  EXPECT_EQ(now, 11u) << "stopped at the first row past the deadline";
  interp.set_deadline(0);
  std::memcpy(interp.input(0)->data, person.data(), person.size());
  ASSERT_EQ(interp.invoke(), Status::kOk);
  EXPECT_EQ(static_cast<int8_t>(interp.output(0)->data[1]), 113);
}

TEST(Interpreter, VariableStatePersistsUntilReset) {
  Loaded l(model_file("tflm/keyword_scrambled_8bit.tflite"));
  AlignedBytes arena{std::vector<uint8_t>(1 << 16)};
  Interpreter interp(l.model, all_ops(), arena.data(), arena.size());
  ASSERT_EQ(interp.init(), Status::kOk);
  EXPECT_GT(interp.arena_report().state_bytes, 0u);
  const std::vector<uint8_t> in = read_file(testdata_path("models/golden/keyword_scrambled_8bit/input_0.bin"));
  auto run = [&]() {
    std::memcpy(interp.input(0)->data, in.data(), in.size());
    EXPECT_EQ(interp.invoke(), Status::kOk);
    return std::vector<uint8_t>(interp.output(0)->data, interp.output(0)->data + interp.output(0)->bytes);
  };
  const auto first = run();
  const auto second = run();  // same input, state carried over
  interp.reset_state();
  EXPECT_EQ(run(), first);    // reset: as after init
  (void)second;
}

}  // namespace
}  // namespace kiln::runtime
