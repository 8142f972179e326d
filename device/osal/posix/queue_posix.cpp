// POSIX port: fixed-size message queue, a ring of copies in caller storage.
#include <pthread.h>
#include <string.h>

#include "kiln/osal/osal.h"
#include "wait_posix.h"

namespace kiln::osal {

Status MessageQueue::init(void* storage, size_t storage_bytes, size_t message_bytes, uint32_t capacity,
                          Diag& diag) {
  if (storage == nullptr || message_bytes == 0 || capacity == 0 ||
      storage_bytes / message_bytes < capacity) {
    return diag.fail(Status::kInvalidArgument, "queue: storage of %lu bytes cannot hold %lu messages of %lu bytes",
                     static_cast<unsigned long>(storage_bytes), static_cast<unsigned long>(capacity),
                     static_cast<unsigned long>(message_bytes));
  }
  if (posix::init_internal_mutex(&port.m) != 0 || posix::init_monotonic_cond(&port.not_empty) != 0 ||
      posix::init_monotonic_cond(&port.not_full) != 0) {
    return diag.fail(Status::kInternal, "queue: pthread init failed");
  }
  port.storage = static_cast<uint8_t*>(storage);
  port.capacity = capacity;
  port.head = 0;
  port.count = 0;
  message_bytes_ = message_bytes;
  return Status::kOk;
}

bool MessageQueue::send(const void* msg, uint64_t timeout_us) {
  const uint64_t deadline = posix::deadline_after(timeout_us);
  pthread_mutex_lock(&port.m);
  while (port.count == port.capacity) {
    if (timeout_us == 0 || !posix::wait_until(&port.not_full, &port.m, deadline)) {
      if (port.count < port.capacity) break;
      pthread_mutex_unlock(&port.m);
      return false;
    }
  }
  const uint32_t slot = (port.head + port.count) % port.capacity;
  memcpy(port.storage + slot * message_bytes_, msg, message_bytes_);
  ++port.count;
  pthread_cond_signal(&port.not_empty);
  pthread_mutex_unlock(&port.m);
  return true;
}

bool MessageQueue::receive(void* msg, uint64_t timeout_us) {
  const uint64_t deadline = posix::deadline_after(timeout_us);
  pthread_mutex_lock(&port.m);
  while (port.count == 0) {
    if (timeout_us == 0 || !posix::wait_until(&port.not_empty, &port.m, deadline)) {
      if (port.count > 0) break;
      pthread_mutex_unlock(&port.m);
      return false;
    }
  }
  memcpy(msg, port.storage + port.head * message_bytes_, message_bytes_);
  port.head = (port.head + 1) % port.capacity;
  --port.count;
  pthread_cond_signal(&port.not_full);
  pthread_mutex_unlock(&port.m);
  return true;
}

uint32_t MessageQueue::count() {
  pthread_mutex_lock(&port.m);
  const uint32_t n = port.count;
  pthread_mutex_unlock(&port.m);
  return n;
}

}  // namespace kiln::osal
