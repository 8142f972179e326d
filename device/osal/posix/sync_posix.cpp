// POSIX port: priority-inheritance mutexes and counting semaphores.
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "kiln/osal/osal.h"
#include "wait_posix.h"

namespace kiln::osal {

namespace posix {

int init_internal_mutex(pthread_mutex_t* m) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  if (enforcement().priority_inheritance) pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  const int err = pthread_mutex_init(m, &a);
  pthread_mutexattr_destroy(&a);
  return err;
}

int init_monotonic_cond(pthread_cond_t* cv) {
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  const int err = pthread_cond_init(cv, &a);
  pthread_condattr_destroy(&a);
  return err;
}

uint64_t deadline_after(uint64_t timeout_us) {
  if (timeout_us == kForever) return kForever;
  const uint64_t now = now_us();
  return timeout_us > kForever - now ? kForever : now + timeout_us;
}

bool wait_until(pthread_cond_t* cv, pthread_mutex_t* m, uint64_t deadline_us) {
  if (deadline_us == kForever) {
    pthread_cond_wait(cv, m);
    return true;
  }
  timespec ts;
  ts.tv_sec = static_cast<time_t>(deadline_us / 1000000u);
  ts.tv_nsec = static_cast<long>((deadline_us % 1000000u) * 1000u);
  return pthread_cond_timedwait(cv, m, &ts) != ETIMEDOUT;
}

}  // namespace posix

Status Mutex::init(Protocol protocol, Diag& diag) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  inherits_ = false;
  if (protocol == Protocol::kInherit) {
    if (!enforcement().priority_inheritance) {
      pthread_mutexattr_destroy(&a);
      return diag.fail(Status::kUnsupported, "mutex: %s", enforcement().note);
    }
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    inherits_ = true;
  } else {
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_NONE);
  }
  const int err = pthread_mutex_init(&port.m, &a);
  pthread_mutexattr_destroy(&a);
  if (err != 0) return diag.fail(Status::kInternal, "mutex: pthread_mutex_init failed: %s", strerror(err));
  return Status::kOk;
}

void Mutex::lock() { pthread_mutex_lock(&port.m); }
void Mutex::unlock() { pthread_mutex_unlock(&port.m); }

Status Semaphore::init(uint32_t initial, uint32_t max_count, Diag& diag) {
  if (max_count == 0 || initial > max_count) {
    return diag.fail(Status::kInvalidArgument, "semaphore: initial %lu must be <= max %lu and max > 0",
                     static_cast<unsigned long>(initial), static_cast<unsigned long>(max_count));
  }
  if (posix::init_internal_mutex(&port.m) != 0 || posix::init_monotonic_cond(&port.cv) != 0) {
    return diag.fail(Status::kInternal, "semaphore: pthread init failed");
  }
  port.count = initial;
  port.max = max_count;
  return Status::kOk;
}

void Semaphore::give() {
  pthread_mutex_lock(&port.m);
  if (port.count < port.max) ++port.count;
  pthread_cond_signal(&port.cv);
  pthread_mutex_unlock(&port.m);
}

bool Semaphore::take(uint64_t timeout_us) {
  const uint64_t deadline = posix::deadline_after(timeout_us);
  pthread_mutex_lock(&port.m);
  while (port.count == 0) {
    if (timeout_us == 0 || !posix::wait_until(&port.cv, &port.m, deadline)) {
      if (port.count > 0) break;  // given right at the deadline
      pthread_mutex_unlock(&port.m);
      return false;
    }
  }
  --port.count;
  pthread_mutex_unlock(&port.m);
  return true;
}

}  // namespace kiln::osal
