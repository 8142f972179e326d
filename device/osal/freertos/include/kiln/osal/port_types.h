// FreeRTOS port: native objects, all statically allocated
// (configSUPPORT_STATIC_ALLOCATION 1, configUSE_MUTEXES 1,
// configUSE_COUNTING_SEMAPHORES 1 in the application's FreeRTOSConfig.h).
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "FreeRTOS.h"
#include "queue.h"
#include "semphr.h"
#include "task.h"

#define KILN_OSAL_STACK_DEFINE(name, bytes) static StackType_t name[(bytes) / sizeof(StackType_t)]
#define KILN_OSAL_STACK_SIZEOF(name) sizeof(name)

namespace kiln::osal {

struct PortThread {
  StaticTask_t tcb;
  TaskHandle_t handle = nullptr;
  StaticSemaphore_t done_buf;  // given when the entry returns: join() takes it
  SemaphoreHandle_t done = nullptr;
  void (*entry)(void*) = nullptr;
  void* arg = nullptr;
};

struct PortMutex {
  StaticSemaphore_t buf;
  SemaphoreHandle_t handle = nullptr;
};

struct PortSemaphore {
  StaticSemaphore_t buf;
  SemaphoreHandle_t handle = nullptr;
};

struct PortQueue {
  StaticQueue_t buf;
  QueueHandle_t handle = nullptr;
};

}  // namespace kiln::osal
