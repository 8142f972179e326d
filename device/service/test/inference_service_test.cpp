// The inference service on person_detect: a full run, a run whose budget is a
// third of the model's time (stops with kBudgetExceeded within one operator's
// time), then a clean run again; latency and worst case recorded.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "kiln/osal/osal.h"
#include "kiln/service/inference_service.h"
#include "testdata.h"

namespace kiln::service {
namespace {

KILN_OSAL_STACK_DEFINE(service_stack, 256 * 1024);

struct Probe {
  std::vector<int8_t> output;
  uint64_t finished_us = 0;
  uint64_t max_op_us = 0;  // slowest operator of this run (per-op clock)
  uint32_t op_count = 0;
};

bool fill_pattern(runtime::Interpreter& interp, void*) {
  runtime::Tensor* in = interp.input(0);
  if (in == nullptr) return false;
  int8_t* d = reinterpret_cast<int8_t*>(in->data);
  for (size_t i = 0; i < in->bytes; ++i) d[i] = static_cast<int8_t>((i * 7) % 255 - 127);
  return true;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::strcmp(osal::port_name(), "none") == 0) GTEST_SKIP() << "KILN_OSAL_PORT=none: no threads";
    bytes_ = testing::AlignedBytes(testing::read_file(testing::testdata_path("models/tflm/person_detect.tflite")));
    arena_ = testing::AlignedBytes(std::vector<uint8_t>(1 << 20));
    ASSERT_EQ(model_.load(bytes_.data(), bytes_.size(), diag_), Status::kOk) << diag_.message();
    service_ = std::make_unique<InferenceService>(model_, runtime::all_ops(), arena_.data(), arena_.size());
    ServiceConfig cfg;
    cfg.priority = 3;
    cfg.stack = service_stack;
    cfg.stack_bytes = sizeof(service_stack);
    ASSERT_EQ(service_->start(cfg), Status::kOk) << service_->diag().message();
  }
  void TearDown() override {
    if (service_) service_->stop();
  }

  // Runs one request and waits for it; fills `probe` on the service thread.
  Result run(uint64_t deadline_us, Probe* probe) {
    Request r;
    r.id = next_id_++;
    r.deadline_us = deadline_us;
    r.fill = fill_pattern;
    r.done = [](const Result& res, runtime::Interpreter& interp, void* user) {
      auto* self = static_cast<ServiceTest*>(user);
      Probe* p = self->probe_;
      p->finished_us = osal::now_us();
      p->op_count = interp.op_count();
      for (uint32_t i = 0; i < interp.op_count(); ++i) {
        if (interp.op_stats(i).ticks > p->max_op_us) p->max_op_us = interp.op_stats(i).ticks;
      }
      if (res.status == Status::kOk) {
        const runtime::Tensor* out = interp.output(0);
        const int8_t* d = reinterpret_cast<const int8_t*>(out->data);
        p->output.assign(d, d + out->bytes);
      }
      self->result_ = res;
      self->done_.give();
    };
    r.done_user = this;
    probe_ = probe;
    EXPECT_TRUE(service_->submit(r, osal::kForever));
    EXPECT_TRUE(done_.take(60000000)) << "no completion within 60 s";
    return result_;
  }

  void init_done() {
    Diag d;
    ASSERT_EQ(done_.init(0, 1, d), Status::kOk);
  }

  testing::AlignedBytes bytes_, arena_;
  model::Model model_;
  Diag diag_;
  std::unique_ptr<InferenceService> service_;
  osal::Semaphore done_;
  Probe* probe_ = nullptr;
  Result result_;
  uint32_t next_id_ = 1;
};

TEST_F(ServiceTest, BudgetStopsWithinOneOperatorAndNextRequestSucceeds) {
  init_done();
  Probe full;
  const Result first = run(0, &full);
  ASSERT_EQ(first.status, Status::kOk);
  ASSERT_EQ(full.output.size(), 2u);  // person_detect: [no person, person]
  ASSERT_GT(full.op_count, 10u);

  // A budget of a third of the model's time.
  Probe cut;
  const uint64_t budget = first.run_us / 3;
  const uint64_t deadline = osal::now_us() + budget;
  const Result stopped = run(deadline, &cut);
  EXPECT_EQ(stopped.status, Status::kBudgetExceeded);
  EXPECT_GT(stopped.stopped_at_op, 0u);
  EXPECT_LT(stopped.stopped_at_op, full.op_count);
  // It stops once the operator running at the deadline finishes: the overshoot
  // is at most one operator's time (the slowest one, plus scheduling slack).
  const uint64_t overshoot = cut.finished_us > deadline ? cut.finished_us - deadline : 0;
  std::printf("person_detect: full run %llu us over %u ops, slowest op %llu us; budget %llu us stopped at "
              "op %u, %llu us past the deadline\n",
              (unsigned long long)first.run_us, full.op_count, (unsigned long long)full.max_op_us,
              (unsigned long long)budget, stopped.stopped_at_op, (unsigned long long)overshoot);
  EXPECT_LE(overshoot, full.max_op_us + full.max_op_us / 2 + 2000);

  Probe again;
  const Result next = run(0, &again);
  EXPECT_EQ(next.status, Status::kOk);
  EXPECT_EQ(again.output, full.output);  // starts cleanly: same input, same scores

  const Stats s = service_->stats();
  EXPECT_EQ(s.completed, 3u);
  EXPECT_EQ(s.succeeded, 2u);
  EXPECT_EQ(s.timed_out, 1u);
  EXPECT_EQ(s.failed, 0u);
  EXPECT_GE(s.worst_latency_us, s.last_latency_us);
  EXPECT_GE(s.worst_latency_us, first.latency_us);
  EXPECT_GE(s.worst_run_us, first.run_us);
  EXPECT_EQ(s.total_run_us, first.run_us + next.run_us);
}

TEST_F(ServiceTest, DeadlineAlreadyPassedStopsBeforeFirstOperator) {
  init_done();
  Probe p;
  const Result r = run(1, &p);  // 1 us after the clock's origin: long past
  EXPECT_EQ(r.status, Status::kBudgetExceeded);
  EXPECT_EQ(r.stopped_at_op, 0u);
  EXPECT_NE(std::string(service_->interpreter().diag().message()).find("before op 0"), std::string::npos);
}

TEST_F(ServiceTest, FullQueueRejectsWithoutBlockingTheCaller) {
  // Hold the service thread inside a fill until the queue has been overfilled.
  static osal::Semaphore release;
  Diag d;
  ASSERT_EQ(release.init(0, 1, d), Status::kOk);
  Request blocker;
  blocker.id = 100;
  blocker.fill = [](runtime::Interpreter&, void*) {
    release.take();
    return false;  // fails the request with kInvalidArgument
  };
  ASSERT_TRUE(service_->submit(blocker, osal::kForever));
  osal::sleep_for_us(20000);  // the service thread is now parked in fill
  Request r;
  uint32_t accepted = 0;
  for (uint32_t i = 0; i < InferenceService::kQueueDepth + 3; ++i) {
    r.id = 200 + i;
    r.fill = blocker.fill;
    if (service_->submit(r, 0)) ++accepted;
  }
  EXPECT_EQ(accepted, InferenceService::kQueueDepth);
  for (uint32_t i = 0; i < accepted + 1; ++i) release.give(), osal::sleep_for_us(2000);
  service_->stop();  // drains the queue first
  const Stats s = service_->stats();
  EXPECT_EQ(s.rejected, 3u);
  EXPECT_EQ(s.failed, accepted + 1);
  service_.reset();
}

}  // namespace
}  // namespace kiln::service
