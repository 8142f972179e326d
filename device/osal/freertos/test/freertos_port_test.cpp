// The kiln OSAL on real FreeRTOS tasks (POSIX simulator port): threads and
// join, clock and sleep, semaphores, queues, and priority inheritance seen
// through uxTaskPriorityGet. Exit code 0 when every check holds.
#include <stdio.h>
#include <stdlib.h>

#include "kiln/osal/osal.h"

using namespace kiln;
using namespace kiln::osal;

extern "C" void vAssertCalled(const char* file, unsigned long line) {
  printf("FAIL: FreeRTOS assert at %s:%lu\n", file, line);
  exit(1);
}

namespace {

int failures = 0;
#define CHECK(cond)                                             \
  do {                                                          \
    if (!(cond)) {                                              \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
      ++failures;                                               \
    }                                                           \
  } while (0)

KILN_OSAL_STACK_DEFINE(main_stack, 64 * 1024);
KILN_OSAL_STACK_DEFINE(low_stack, 64 * 1024);
KILN_OSAL_STACK_DEFINE(high_stack, 64 * 1024);

Mutex mutex;
Semaphore low_holds;
volatile UBaseType_t low_priority_while_high_waits = 0;
Thread low, high;

void low_main(void*) {
  mutex.lock();
  low_holds.give();
  // High runs now (it preempts us) and blocks on the mutex: we inherit.
  vTaskDelay(5);
  low_priority_while_high_waits = uxTaskPriorityGet(nullptr);
  mutex.unlock();
}

void high_main(void*) {
  mutex.lock();
  mutex.unlock();
}

void checks(void*) {
  Diag diag;
  CHECK(enforcement().priority_inheritance);
  // Clock and sleep.
  const uint64_t t0 = now_us();
  sleep_for_us(20000);
  CHECK(now_us() - t0 >= 20000);
  // Semaphore counts and times out.
  Semaphore s;
  CHECK(s.init(1, 2, diag) == Status::kOk);
  CHECK(s.take(0));
  CHECK(!s.take(2000));
  s.give();
  s.give();
  s.give();
  CHECK(s.take(0) && s.take(0) && !s.take(0));
  // Queue: FIFO, bounded.
  static Queue<uint32_t, 3> q;
  CHECK(q.init(diag) == Status::kOk);
  CHECK(q.send(1, 0) && q.send(2, 0) && q.send(3, 0) && !q.send(4, 0));
  uint32_t v = 0;
  CHECK(q.receive(&v, 0) && v == 1);
  CHECK(q.count() == 2);
  // Priority inheritance: low (2) holds, high (10) waits -> low runs at 10.
  CHECK(mutex.init(Mutex::Protocol::kInherit, diag) == Status::kOk);
  CHECK(low_holds.init(0, 1, diag) == Status::kOk);
  ThreadSpec ls;
  ls.name = "low";
  ls.priority = 2;
  ls.stack = low_stack;
  ls.stack_bytes = KILN_OSAL_STACK_SIZEOF(low_stack);
  ls.entry = low_main;
  ThreadSpec hs = ls;
  hs.name = "high";
  hs.priority = 10;
  hs.stack = high_stack;
  hs.stack_bytes = KILN_OSAL_STACK_SIZEOF(high_stack);
  hs.entry = high_main;
  CHECK(low.start(ls, diag) == Status::kOk);
  CHECK(low_holds.take(1000000));
  CHECK(high.start(hs, diag) == Status::kOk);
  high.join();
  low.join();
  printf("low task's priority while the high task waited: %lu (base 2)\n",
         static_cast<unsigned long>(low_priority_while_high_waits));
  CHECK(low_priority_while_high_waits == 10);
  // Bad specs are refused with a message.
  Thread bad;
  ThreadSpec bs = ls;
  bs.priority = 40;
  CHECK(bad.start(bs, diag) != Status::kOk);
  printf("%s\n", diag.message());
  printf(failures == 0 ? "osal_freertos_test: all checks passed\n" : "osal_freertos_test: %d FAILED\n", failures);
  exit(failures == 0 ? 0 : 1);
}

}  // namespace

int main() {
  static Thread runner;
  ThreadSpec spec;
  spec.name = "checks";
  spec.priority = 5;  // below high (10), above low (2)
  spec.stack = main_stack;
  spec.stack_bytes = KILN_OSAL_STACK_SIZEOF(main_stack);
  spec.entry = checks;
  Diag diag;
  if (runner.start(spec, diag) != Status::kOk) {
    printf("FAIL: %s\n", diag.message());
    return 1;
  }
  vTaskStartScheduler();
  return 1;
}
