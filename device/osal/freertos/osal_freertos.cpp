// FreeRTOS port: static tasks, mutexes (FreeRTOS mutexes inherit priority),
// counting semaphores, queues. kiln priority p is FreeRTOS priority p.
#include "kiln/osal/osal.h"

namespace kiln::osal {

namespace {

TickType_t to_ticks(uint64_t timeout_us) {
  if (timeout_us == kForever) return portMAX_DELAY;
  const uint64_t ticks = (timeout_us * configTICK_RATE_HZ + 999999u) / 1000000u;  // round up
  return ticks >= portMAX_DELAY ? portMAX_DELAY - 1 : static_cast<TickType_t>(ticks);
}

void trampoline(void* self) {
  PortThread* t = static_cast<PortThread*>(self);
  t->entry(t->arg);
  xSemaphoreGive(t->done);
  vTaskDelete(nullptr);
}

}  // namespace

const char* port_name() { return "freertos"; }

// Tick-based by default (resolution 1/configTICK_RATE_HZ); a board with a
// free-running timer overrides this weak function for true microseconds.
extern "C" __attribute__((weak)) uint64_t kiln_osal_clock_us() {
  static uint64_t high = 0;
  static TickType_t last = 0;
  taskENTER_CRITICAL();
  const TickType_t now = xTaskGetTickCount();
  if (now < last) high += static_cast<uint64_t>(static_cast<TickType_t>(~TickType_t(0))) + 1u;
  last = now;
  const uint64_t ticks = high + now;
  taskEXIT_CRITICAL();
  return ticks * 1000000u / configTICK_RATE_HZ;
}

uint64_t now_us() { return kiln_osal_clock_us(); }

void sleep_until_us(uint64_t deadline_us) {
  const uint64_t now = now_us();
  if (deadline_us > now) vTaskDelay(to_ticks(deadline_us - now));
}

void sleep_for_us(uint64_t duration_us) { vTaskDelay(to_ticks(duration_us)); }

const Enforcement& enforcement() {
  static const Enforcement e{true, true, "FreeRTOS: fixed-priority preemptive scheduler, mutexes inherit priority"};
  return e;
}

Status Thread::start(const ThreadSpec& spec, Diag& diag) {
  if (started_) return diag.fail(Status::kInvalidArgument, "thread '%s' already started", spec.name);
  if (spec.entry == nullptr || spec.stack == nullptr || spec.stack_bytes < sizeof(StackType_t) * configMINIMAL_STACK_SIZE) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': entry and a stack of >= %lu bytes are required", spec.name,
                     static_cast<unsigned long>(sizeof(StackType_t) * configMINIMAL_STACK_SIZE));
  }
  if (spec.priority < kMinPriority || spec.priority > kMaxPriority || spec.priority >= configMAX_PRIORITIES) {
    return diag.fail(Status::kInvalidArgument, "thread '%s': priority %d outside %d..%d (configMAX_PRIORITIES %d)",
                     spec.name, spec.priority, kMinPriority, static_cast<int>(configMAX_PRIORITIES) - 1,
                     static_cast<int>(configMAX_PRIORITIES));
  }
  port.entry = spec.entry;
  port.arg = spec.arg;
  port.done = xSemaphoreCreateBinaryStatic(&port.done_buf);
  port.handle = xTaskCreateStatic(trampoline, spec.name,
                                  static_cast<uint32_t>(spec.stack_bytes / sizeof(StackType_t)), &port,
                                  static_cast<UBaseType_t>(spec.priority), static_cast<StackType_t*>(spec.stack),
                                  &port.tcb);
  if (port.handle == nullptr) return diag.fail(Status::kInternal, "thread '%s': xTaskCreateStatic failed", spec.name);
  realtime_ = true;
  started_ = true;
  return Status::kOk;
}

void Thread::join() {
  if (!started_) return;
  xSemaphoreTake(port.done, portMAX_DELAY);
  started_ = false;
}

Status Mutex::init(Protocol protocol, Diag& diag) {
  if (protocol == Protocol::kInherit) {
    port.handle = xSemaphoreCreateMutexStatic(&port.buf);
  } else {
    port.handle = xSemaphoreCreateBinaryStatic(&port.buf);  // no inheritance
    if (port.handle != nullptr) xSemaphoreGive(port.handle);
  }
  inherits_ = protocol == Protocol::kInherit;
  if (port.handle == nullptr) return diag.fail(Status::kInternal, "mutex: FreeRTOS create failed");
  return Status::kOk;
}

void Mutex::lock() { xSemaphoreTake(port.handle, portMAX_DELAY); }
void Mutex::unlock() { xSemaphoreGive(port.handle); }

Status Semaphore::init(uint32_t initial, uint32_t max_count, Diag& diag) {
  if (max_count == 0 || initial > max_count) {
    return diag.fail(Status::kInvalidArgument, "semaphore: initial %lu must be <= max %lu and max > 0",
                     static_cast<unsigned long>(initial), static_cast<unsigned long>(max_count));
  }
  port.handle = xSemaphoreCreateCountingStatic(max_count, initial, &port.buf);
  if (port.handle == nullptr) return diag.fail(Status::kInternal, "semaphore: FreeRTOS create failed");
  return Status::kOk;
}

void Semaphore::give() { xSemaphoreGive(port.handle); }
bool Semaphore::take(uint64_t timeout_us) { return xSemaphoreTake(port.handle, to_ticks(timeout_us)) == pdTRUE; }

Status MessageQueue::init(void* storage, size_t storage_bytes, size_t message_bytes, uint32_t capacity, Diag& diag) {
  if (storage == nullptr || message_bytes == 0 || capacity == 0 || storage_bytes / message_bytes < capacity) {
    return diag.fail(Status::kInvalidArgument, "queue: storage of %lu bytes cannot hold %lu messages of %lu bytes",
                     static_cast<unsigned long>(storage_bytes), static_cast<unsigned long>(capacity),
                     static_cast<unsigned long>(message_bytes));
  }
  port.handle = xQueueCreateStatic(capacity, message_bytes, static_cast<uint8_t*>(storage), &port.buf);
  if (port.handle == nullptr) return diag.fail(Status::kInternal, "queue: xQueueCreateStatic failed");
  message_bytes_ = message_bytes;
  return Status::kOk;
}

bool MessageQueue::send(const void* msg, uint64_t timeout_us) {
  return xQueueSend(port.handle, msg, to_ticks(timeout_us)) == pdTRUE;
}
bool MessageQueue::receive(void* msg, uint64_t timeout_us) {
  return xQueueReceive(port.handle, msg, to_ticks(timeout_us)) == pdTRUE;
}
uint32_t MessageQueue::count() { return static_cast<uint32_t>(uxQueueMessagesWaiting(port.handle)); }

}  // namespace kiln::osal
