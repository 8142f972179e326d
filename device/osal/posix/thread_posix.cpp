// POSIX port: threads on caller stacks, SCHED_FIFO when allowed.
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "kiln/osal/osal.h"

namespace kiln::osal {

namespace {

void* trampoline(void* self) {
  PortThread* t = static_cast<PortThread*>(self);
  t->entry(t->arg);
  return nullptr;
}

int create(PortThread& t, const ThreadSpec& spec, bool fifo) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  int err = pthread_attr_setstack(&attr, spec.stack, spec.stack_bytes);
  if (err == 0 && fifo) {
    sched_param p;
    p.sched_priority = sched_get_priority_min(SCHED_FIFO) + spec.priority - kMinPriority;
    pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
    pthread_attr_setschedparam(&attr, &p);
  }
  if (err == 0 && spec.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(spec.cpu, &set);
    err = pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
  }
  if (err == 0) err = pthread_create(&t.handle, &attr, trampoline, &t);
  pthread_attr_destroy(&attr);
  return err;
}

}  // namespace

Status Thread::start(const ThreadSpec& spec, Diag& diag) {
  if (started_) return diag.fail(Status::kInvalidArgument, "thread '%s' already started", spec.name);
  if (spec.entry == nullptr || spec.stack == nullptr) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': entry and stack are required", spec.name);
  }
  if (spec.priority < kMinPriority || spec.priority > kMaxPriority) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': priority %d outside %d..%d", spec.name,
                     spec.priority, kMinPriority, kMaxPriority);
  }
  port.entry = spec.entry;
  port.arg = spec.arg;
  realtime_ = enforcement().realtime_priorities;
  int err = create(port, spec, realtime_);
  if (err == EPERM && realtime_) {  // refused after all: run best effort
    realtime_ = false;
    err = create(port, spec, false);
  }
  if (err != 0) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': pthread_create failed: %s (stack %lu bytes)",
                     spec.name, strerror(err), static_cast<unsigned long>(spec.stack_bytes));
  }
  pthread_setname_np(port.handle, spec.name);
  started_ = true;
  return Status::kOk;
}

void Thread::join() {
  if (!started_) return;
  pthread_join(port.handle, nullptr);
  started_ = false;
}

}  // namespace kiln::osal
