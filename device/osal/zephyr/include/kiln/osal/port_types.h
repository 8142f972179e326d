// Zephyr port: native kernel objects (k_thread, k_mutex, k_sem, k_msgq).
// Stacks must come from K_THREAD_STACK_DEFINE (MPU alignment, guard pages).
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <zephyr/kernel.h>

#define KILN_OSAL_STACK_DEFINE(name, bytes) K_THREAD_STACK_DEFINE(name, (bytes))
#define KILN_OSAL_STACK_SIZEOF(name) K_THREAD_STACK_SIZEOF(name)

namespace kiln::osal {

struct PortThread {
  struct k_thread thread;
  k_tid_t tid = nullptr;
};

struct PortMutex {
  struct k_mutex mutex;  // Zephyr mutexes always inherit priority
};

struct PortSemaphore {
  struct k_sem sem;
};

struct PortQueue {
  struct k_msgq msgq;
};

}  // namespace kiln::osal
