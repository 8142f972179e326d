// POSIX port: monotonic clock, sleeps, and what the system lets us enforce.
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kiln/osal/osal.h"

namespace kiln::osal {

const char* port_name() { return "posix"; }

uint64_t now_us() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

void sleep_until_us(uint64_t deadline_us) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(deadline_us / 1000000u);
  ts.tv_nsec = static_cast<long>((deadline_us % 1000000u) * 1000u);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

void sleep_for_us(uint64_t duration_us) { sleep_until_us(now_us() + duration_us); }

namespace {

// SCHED_FIFO is allowed if the calling thread may switch to it (then switch back).
bool probe_fifo(int* err) {
  int policy = 0;
  sched_param old_param;
  pthread_getschedparam(pthread_self(), &policy, &old_param);
  sched_param p;
  p.sched_priority = sched_get_priority_min(SCHED_FIFO);
  *err = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p);
  if (*err != 0) return false;
  pthread_setschedparam(pthread_self(), policy, &old_param);
  return true;
}

bool probe_inherit(int* err) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  *err = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  pthread_mutex_t m;
  if (*err == 0) {
    *err = pthread_mutex_init(&m, &a);
    if (*err == 0) pthread_mutex_destroy(&m);
  }
  pthread_mutexattr_destroy(&a);
  return *err == 0;
}

Enforcement probe() {
  Enforcement e;
  int fifo_err = 0;
  int pi_err = 0;
  e.realtime_priorities = probe_fifo(&fifo_err);
  e.priority_inheritance = probe_inherit(&pi_err);
  if (e.realtime_priorities && e.priority_inheritance) {
    snprintf(e.note, sizeof(e.note), "SCHED_FIFO priorities and PTHREAD_PRIO_INHERIT mutexes enforced");
  } else {
    snprintf(e.note, sizeof(e.note), "not enforced:%s%s (%s) - priorities are hints only",
             e.realtime_priorities ? "" : " SCHED_FIFO refused",
             e.priority_inheritance ? "" : " PTHREAD_PRIO_INHERIT unsupported",
             strerror(e.realtime_priorities ? pi_err : fifo_err));
  }
  return e;
}

}  // namespace

const Enforcement& enforcement() {
  static Enforcement e = probe();  // device flags: no thread-safe statics; first call from one thread
  return e;
}

}  // namespace kiln::osal
