// POSIX port: native objects (pthreads). Needs -pthread; host builds only.
#pragma once
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

// Thread stacks are plain static arrays on POSIX.
#define KILN_OSAL_STACK_DEFINE(name, bytes) alignas(16) static uint8_t name[(bytes)]
#define KILN_OSAL_STACK_SIZEOF(name) sizeof(name)

namespace kiln::osal {

struct PortThread {
  pthread_t handle{};
  void (*entry)(void*) = nullptr;
  void* arg = nullptr;
};

struct PortMutex {
  pthread_mutex_t m;
};

// Counting semaphore and queue: a PI mutex plus condition variables on
// CLOCK_MONOTONIC (sem_t has no monotonic timed wait in POSIX).
struct PortSemaphore {
  pthread_mutex_t m;
  pthread_cond_t cv;
  uint32_t count = 0;
  uint32_t max = 0;
};

struct PortQueue {
  pthread_mutex_t m;
  pthread_cond_t not_empty;
  pthread_cond_t not_full;
  uint8_t* storage = nullptr;
  uint32_t capacity = 0;
  uint32_t head = 0;
  uint32_t count = 0;
};

}  // namespace kiln::osal
