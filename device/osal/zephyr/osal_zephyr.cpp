// Zephyr port, written against Zephyr's documented kernel API (v3.x):
// preemptible threads (kiln priority p -> K_PRIO_PREEMPT(kMaxPriority - p),
// so larger kiln numbers are more urgent), k_mutex (priority inheritance),
// k_sem, k_msgq, k_uptime/k_cycle clocks.
#include <stdio.h>

#include "kiln/osal/osal.h"

namespace kiln::osal {

namespace {

k_timeout_t to_timeout(uint64_t timeout_us) {
  if (timeout_us == kForever) return K_FOREVER;
  if (timeout_us == 0) return K_NO_WAIT;
  return K_USEC(timeout_us);
}

void trampoline(void* entry, void* arg, void*) { reinterpret_cast<ThreadEntry>(entry)(arg); }

}  // namespace

const char* port_name() { return "zephyr"; }

uint64_t now_us() { return k_ticks_to_us_floor64(k_uptime_ticks()); }

void sleep_until_us(uint64_t deadline_us) {
  const uint64_t now = now_us();
  if (deadline_us > now) k_sleep(K_USEC(deadline_us - now));
}

void sleep_for_us(uint64_t duration_us) { k_sleep(K_USEC(duration_us)); }

const Enforcement& enforcement() {
  static const Enforcement e{true, true, "Zephyr: preemptive priorities, k_mutex inherits priority"};
  return e;
}

Status Thread::start(const ThreadSpec& spec, Diag& diag) {
  if (started_) return diag.fail(Status::kInvalidArgument, "thread '%s' already started", spec.name);
  if (spec.entry == nullptr || spec.stack == nullptr || spec.stack_bytes == 0) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': entry and a K_THREAD_STACK_DEFINE stack are required",
                     spec.name);
  }
  const int zprio = kMaxPriority - spec.priority;
  if (spec.priority < kMinPriority || spec.priority > kMaxPriority || zprio >= CONFIG_NUM_PREEMPT_PRIORITIES) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': priority %d needs CONFIG_NUM_PREEMPT_PRIORITIES > %d",
                     spec.name, spec.priority, zprio);
  }
  port.tid = k_thread_create(&port.thread, static_cast<k_thread_stack_t*>(spec.stack), spec.stack_bytes, trampoline,
                             reinterpret_cast<void*>(spec.entry), spec.arg, nullptr, K_PRIO_PREEMPT(zprio), 0,
                             K_NO_WAIT);
  k_thread_name_set(port.tid, spec.name);
  realtime_ = true;
  started_ = true;
  return Status::kOk;
}

void Thread::join() {
  if (!started_) return;
  k_thread_join(&port.thread, K_FOREVER);
  started_ = false;
}

Status Mutex::init(Protocol protocol, Diag& diag) {
  if (protocol != Protocol::kInherit) {
    return diag.fail(Status::kUnsupported, "mutex: Zephyr's k_mutex always inherits priority");
  }
  k_mutex_init(&port.mutex);
  inherits_ = true;
  return Status::kOk;
}

void Mutex::lock() { k_mutex_lock(&port.mutex, K_FOREVER); }
void Mutex::unlock() { k_mutex_unlock(&port.mutex); }

Status Semaphore::init(uint32_t initial, uint32_t max_count, Diag& diag) {
  if (max_count == 0 || initial > max_count || k_sem_init(&port.sem, initial, max_count) != 0) {
    return diag.fail(Status::kInvalidArgument, "semaphore: initial %lu must be <= max %lu and max > 0",
                     static_cast<unsigned long>(initial), static_cast<unsigned long>(max_count));
  }
  return Status::kOk;
}

void Semaphore::give() { k_sem_give(&port.sem); }
bool Semaphore::take(uint64_t timeout_us) { return k_sem_take(&port.sem, to_timeout(timeout_us)) == 0; }

Status MessageQueue::init(void* storage, size_t storage_bytes, size_t message_bytes, uint32_t capacity, Diag& diag) {
  if (storage == nullptr || message_bytes == 0 || capacity == 0 || storage_bytes / message_bytes < capacity) {
    return diag.fail(Status::kInvalidArgument, "queue: storage of %lu bytes cannot hold %lu messages of %lu bytes",
                     static_cast<unsigned long>(storage_bytes), static_cast<unsigned long>(capacity),
                     static_cast<unsigned long>(message_bytes));
  }
  k_msgq_init(&port.msgq, static_cast<char*>(storage), message_bytes, capacity);
  message_bytes_ = message_bytes;
  return Status::kOk;
}

bool MessageQueue::send(const void* msg, uint64_t timeout_us) {
  return k_msgq_put(&port.msgq, msg, to_timeout(timeout_us)) == 0;
}
bool MessageQueue::receive(void* msg, uint64_t timeout_us) {
  return k_msgq_get(&port.msgq, msg, to_timeout(timeout_us)) == 0;
}
uint32_t MessageQueue::count() { return k_msgq_num_used_get(&port.msgq); }

}  // namespace kiln::osal
