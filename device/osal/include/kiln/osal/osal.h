// OS abstraction for the device core: fixed-priority threads on caller-provided
// stacks, priority-inheritance mutexes, counting semaphores, fixed-size message
// queues, a monotonic microsecond clock and sleep-until. Static allocation only.
//
// One port is compiled per build (CMake option KILN_OSAL_PORT): posix, freertos,
// zephyr or none. Each port lives in device/osal/<port>/ and supplies
// kiln/osal/port_types.h (the native objects embedded below) and the functions.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/osal/port_types.h"

namespace kiln::osal {

// kiln priorities: larger is more urgent; each port maps them to its own scale.
constexpr int kMinPriority = 1;
constexpr int kMaxPriority = 31;
// Timeout meaning "wait as long as it takes".
constexpr uint64_t kForever = UINT64_MAX;

// "posix", "freertos", "zephyr" or "none".
const char* port_name();
// Monotonic microseconds since an arbitrary origin.
uint64_t now_us();
// Sleeps until now_us() >= deadline_us (returns at once if already past).
void sleep_until_us(uint64_t deadline_us);
void sleep_for_us(uint64_t duration_us);

// What the running system actually enforces. A port that asked for real-time
// priorities or priority inheritance and was refused says so in `note`.
struct Enforcement {
  bool realtime_priorities = false;  // priorities are strict (SCHED_FIFO or an RTOS)
  bool priority_inheritance = false; // Mutex::Protocol::kInherit really inherits
  char note[Diag::kCapacity] = {};
};
// Probes once (creates nothing that outlives the call).
const Enforcement& enforcement();

using ThreadEntry = void (*)(void* arg);

struct ThreadSpec {
  const char* name = "kiln";
  int priority = kMinPriority;
  void* stack = nullptr;     // KILN_OSAL_STACK_DEFINE storage
  size_t stack_bytes = 0;    // KILN_OSAL_STACK_SIZEOF of it
  ThreadEntry entry = nullptr;
  void* arg = nullptr;
  int cpu = -1;              // pin to one CPU where the port can (-1: any)
};

class Thread {
 public:
  Thread() = default;
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  // Starts `spec.entry(spec.arg)`. Fails with a message if the port rejects
  // the stack, priority or CPU.
  Status start(const ThreadSpec& spec, Diag& diag);
  // Waits until the entry function has returned.
  void join();
  // True if the requested priority is in force (false: best effort).
  bool realtime() const { return realtime_; }

  PortThread port;  // the port's native object

 private:
  bool realtime_ = false;
  bool started_ = false;
};

class Mutex {
 public:
  // kNone exists to demonstrate priority inversion; production code uses kInherit.
  enum class Protocol : uint8_t { kInherit, kNone };
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  Status init(Protocol protocol, Diag& diag);
  void lock();
  void unlock();
  bool inherits() const { return inherits_; }

  PortMutex port;

 private:
  bool inherits_ = false;
};

// Scoped lock, the usual way to hold a Mutex.
class LockGuard {
 public:
  explicit LockGuard(Mutex& m) : m_(m) { m_.lock(); }
  ~LockGuard() { m_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& m_;
};

class Semaphore {
 public:
  Semaphore() = default;
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  Status init(uint32_t initial, uint32_t max_count, Diag& diag);
  // Adds one (saturates at max_count). Safe from any thread.
  void give();
  // Takes one; false when timeout_us passed first (0: do not wait).
  bool take(uint64_t timeout_us = kForever);

  PortSemaphore port;
};

// Fixed-size messages copied into caller-provided storage of
// capacity * message_bytes bytes (KILN_OSAL_QUEUE_STORAGE).
class MessageQueue {
 public:
  MessageQueue() = default;
  MessageQueue(const MessageQueue&) = delete;
  MessageQueue& operator=(const MessageQueue&) = delete;

  Status init(void* storage, size_t storage_bytes, size_t message_bytes, uint32_t capacity, Diag& diag);
  // Copies message_bytes from `msg`; false if still full after timeout_us.
  bool send(const void* msg, uint64_t timeout_us = kForever);
  // Copies the oldest message into `msg`; false if still empty after timeout_us.
  bool receive(void* msg, uint64_t timeout_us = kForever);
  uint32_t count();
  size_t message_bytes() const { return message_bytes_; }

  PortQueue port;

 private:
  size_t message_bytes_ = 0;
};

// A queue of T with its own storage: the common case.
template <typename T, uint32_t N>
class Queue {
 public:
  Status init(Diag& diag) { return q_.init(storage_, sizeof(storage_), sizeof(T), N, diag); }
  bool send(const T& v, uint64_t timeout_us = kForever) { return q_.send(&v, timeout_us); }
  bool receive(T* v, uint64_t timeout_us = kForever) { return q_.receive(v, timeout_us); }
  uint32_t count() { return q_.count(); }

 private:
  alignas(8) uint8_t storage_[sizeof(T) * N];
  MessageQueue q_;
};

}  // namespace kiln::osal
