// "none" port: no RTOS in this build (KILN_OSAL_PORT=none). Creating any
// object fails with kUnsupported and says how to pick a port.
#include "kiln/osal/osal.h"

namespace kiln::osal {

namespace {
constexpr const char* kNoPort = "no RTOS port in this build (configure with -DKILN_OSAL_PORT=posix|freertos|zephyr)";
}

const char* port_name() { return "none"; }
uint64_t now_us() { return 0; }
void sleep_until_us(uint64_t) {}
void sleep_for_us(uint64_t) {}

const Enforcement& enforcement() {
  static const Enforcement e{false, false, "no RTOS port in this build"};
  return e;
}

Status Thread::start(const ThreadSpec& spec, Diag& diag) {
  return diag.fail(Status::kUnsupported, "thread '%s': %s", spec.name, kNoPort);
}
void Thread::join() {}

Status Mutex::init(Protocol, Diag& diag) { return diag.fail(Status::kUnsupported, "mutex: %s", kNoPort); }
void Mutex::lock() {}
void Mutex::unlock() {}

Status Semaphore::init(uint32_t, uint32_t, Diag& diag) {
  return diag.fail(Status::kUnsupported, "semaphore: %s", kNoPort);
}
void Semaphore::give() {}
bool Semaphore::take(uint64_t) { return false; }

Status MessageQueue::init(void*, size_t, size_t, uint32_t, Diag& diag) {
  return diag.fail(Status::kUnsupported, "queue: %s", kNoPort);
}
bool MessageQueue::send(const void*, uint64_t) { return false; }
bool MessageQueue::receive(void*, uint64_t) { return false; }
uint32_t MessageQueue::count() { return 0; }

}  // namespace kiln::osal
