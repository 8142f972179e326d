// OSAL contract on the build's port (posix on host): clock, threads on static
// stacks with priorities, PI mutexes, counting semaphores, message queues.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "kiln/osal/osal.h"

namespace kiln::osal {
namespace {

KILN_OSAL_STACK_DEFINE(stack_a, 128 * 1024);
KILN_OSAL_STACK_DEFINE(stack_b, 128 * 1024);

bool has_port() { return std::string(port_name()) != "none"; }

TEST(Osal, ReportsWhatItEnforces) {
  const Enforcement& e = enforcement();
  std::printf("osal port %s: %s\n", port_name(), e.note);
  EXPECT_GT(std::strlen(e.note), 10u);
}

TEST(Osal, ClockIsMonotonicMicrosecondsAndSleepUntilWaits) {
  if (!has_port()) GTEST_SKIP() << "KILN_OSAL_PORT=none";
  const uint64_t t0 = now_us();
  sleep_until_us(t0 + 5000);
  const uint64_t t1 = now_us();
  EXPECT_GE(t1, t0 + 5000);
  EXPECT_LT(t1, t0 + 500000);  // generous: shared CI machines
  sleep_until_us(t0);          // in the past: returns at once
  EXPECT_LT(now_us() - t1, 100000u);
}

TEST(Osal, ThreadRunsOnStaticStackAndJoins) {
  if (!has_port()) GTEST_SKIP() << "KILN_OSAL_PORT=none";
  struct Ctx {
    int ran = 0;
    const uint8_t* local = nullptr;
  } ctx;
  Thread t;
  Diag diag;
  ThreadSpec spec;
  spec.name = "worker";
  spec.priority = 5;
  spec.stack = stack_a;
  spec.stack_bytes = KILN_OSAL_STACK_SIZEOF(stack_a);
  spec.arg = &ctx;
  spec.entry = [](void* arg) {
    auto* c = static_cast<Ctx*>(arg);
    uint8_t probe = 0;
    c->local = &probe;
    c->ran = 42;
  };
  ASSERT_EQ(t.start(spec, diag), Status::kOk) << diag.message();
  t.join();
  EXPECT_EQ(ctx.ran, 42);
  // The thread's locals lived on the stack we gave it.
  EXPECT_GE(ctx.local, stack_a);
  EXPECT_LT(ctx.local, stack_a + sizeof(stack_a));
  EXPECT_EQ(t.realtime(), enforcement().realtime_priorities);
}

TEST(Osal, ThreadRejectsBadSpecWithMessage) {
  Thread t;
  Diag diag;
  ThreadSpec spec;
  spec.name = "bad";
  spec.entry = [](void*) {};
  EXPECT_NE(t.start(spec, diag), Status::kOk);
  if (has_port()) {
    EXPECT_NE(std::string(diag.message()).find("stack"), std::string::npos) << diag.message();
  }
  spec.stack = stack_b;
  spec.stack_bytes = sizeof(stack_b);
  spec.priority = 99;
  EXPECT_NE(t.start(spec, diag), Status::kOk);
  if (has_port()) {
    EXPECT_NE(std::string(diag.message()).find("priority 99"), std::string::npos) << diag.message();
  }
}

TEST(Osal, SemaphoreCountsAndTimesOut) {
  if (!has_port()) GTEST_SKIP() << "KILN_OSAL_PORT=none";
  Semaphore s;
  Diag diag;
  ASSERT_EQ(s.init(2, 3, diag), Status::kOk);
  EXPECT_TRUE(s.take(0));
  EXPECT_TRUE(s.take(0));
  EXPECT_FALSE(s.take(0));
  const uint64_t t0 = now_us();
  EXPECT_FALSE(s.take(3000));
  EXPECT_GE(now_us() - t0, 3000u);
  for (int i = 0; i < 5; ++i) s.give();  // saturates at 3
  EXPECT_TRUE(s.take(0));
  EXPECT_TRUE(s.take(0));
  EXPECT_TRUE(s.take(0));
  EXPECT_FALSE(s.take(0));
  EXPECT_NE(s.init(4, 3, diag), Status::kOk);
}

TEST(Osal, QueueIsFifoBoundedAndWakesReceiver) {
  if (!has_port()) GTEST_SKIP() << "KILN_OSAL_PORT=none";
  struct Msg {
    uint32_t seq;
    uint64_t stamp;
  };
  static Queue<Msg, 4> q;
  Diag diag;
  ASSERT_EQ(q.init(diag), Status::kOk);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(q.send(Msg{i, i * 10u}, 0));
  EXPECT_FALSE(q.send(Msg{9, 0}, 1000));  // full
  EXPECT_EQ(q.count(), 4u);
  Msg m{};
  for (uint32_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(q.receive(&m, 0));
    EXPECT_EQ(m.seq, i);
    EXPECT_EQ(m.stamp, i * 10u);
  }
  EXPECT_FALSE(q.receive(&m, 1000));

  // A sender thread wakes a blocked receiver.
  Thread t;
  ThreadSpec spec;
  spec.name = "sender";
  spec.priority = 3;
  spec.stack = stack_a;
  spec.stack_bytes = sizeof(stack_a);
  spec.entry = [](void*) {
    sleep_for_us(2000);
    q.send(Msg{77, 7}, kForever);
  };
  ASSERT_EQ(t.start(spec, diag), Status::kOk) << diag.message();
  ASSERT_TRUE(q.receive(&m, 5000000));
  EXPECT_EQ(m.seq, 77u);
  t.join();

  MessageQueue raw;
  uint8_t small[8];
  EXPECT_EQ(raw.init(small, sizeof(small), 4, 3, diag), Status::kInvalidArgument);
  EXPECT_NE(std::string(diag.message()).find("cannot hold 3 messages"), std::string::npos) << diag.message();
}

TEST(Osal, MutexExcludesAcrossThreads) {
  if (!has_port()) GTEST_SKIP() << "KILN_OSAL_PORT=none";
  static Mutex mutex;
  static long counter = 0;
  Diag diag;
  const Mutex::Protocol protocol =
      enforcement().priority_inheritance ? Mutex::Protocol::kInherit : Mutex::Protocol::kNone;
  ASSERT_EQ(mutex.init(protocol, diag), Status::kOk) << diag.message();
  EXPECT_EQ(mutex.inherits(), protocol == Mutex::Protocol::kInherit);
  auto body = [](void*) {
    for (int i = 0; i < 20000; ++i) {
      LockGuard g(mutex);
      counter = counter + 1;
    }
  };
  Thread a, b;
  ThreadSpec sa;
  sa.name = "a";
  sa.priority = 2;
  sa.stack = stack_a;
  sa.stack_bytes = sizeof(stack_a);
  sa.entry = body;
  ThreadSpec sb = sa;
  sb.name = "b";
  sb.stack = stack_b;
  ASSERT_EQ(a.start(sa, diag), Status::kOk) << diag.message();
  ASSERT_EQ(b.start(sb, diag), Status::kOk) << diag.message();
  a.join();
  b.join();
  EXPECT_EQ(counter, 40000);
}

}  // namespace
}  // namespace kiln::osal
