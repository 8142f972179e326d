// POSIX port helpers shared by the mutex, semaphore and queue files.
#pragma once
#include <pthread.h>
#include <stdint.h>

namespace kiln::osal::posix {

// Internal locks use priority inheritance where the system supports it.
int init_internal_mutex(pthread_mutex_t* m);
// Condition variable waiting on CLOCK_MONOTONIC.
int init_monotonic_cond(pthread_cond_t* cv);
// Waits on cv until `deadline_us` (kForever: no limit); false on timeout.
bool wait_until(pthread_cond_t* cv, pthread_mutex_t* m, uint64_t deadline_us);
// now + timeout, saturating (kForever stays kForever).
uint64_t deadline_after(uint64_t timeout_us);

}  // namespace kiln::osal::posix
