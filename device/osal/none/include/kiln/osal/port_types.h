// "none" port: bare-metal builds without an RTOS. Everything compiles (so the
// inference service is checked for the target) and every call reports that
// this build has no RTOS.
#pragma once
#include <stddef.h>
#include <stdint.h>

#define KILN_OSAL_STACK_DEFINE(name, bytes) alignas(16) static uint8_t name[(bytes)]
#define KILN_OSAL_STACK_SIZEOF(name) sizeof(name)

namespace kiln::osal {
struct PortThread {};
struct PortMutex {};
struct PortSemaphore {};
struct PortQueue {};
}  // namespace kiln::osal
