// The inference service: one thread that owns an Interpreter and its arena and
// serves requests from a queue, each with an absolute deadline. The
// interpreter checks the deadline between operators (and long kernels may poll
// it inside), so an invocation past its deadline stops with kBudgetExceeded and
// the next request starts cleanly. Latency (submit -> completion) and the
// worst case are recorded. No heap: the caller provides arena and stack.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/model/model.h"
#include "kiln/osal/osal.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"

namespace kiln::service {

struct Result {
  uint32_t id = 0;
  Status status = Status::kOk;
  uint64_t latency_us = 0;  // submit -> completion
  uint64_t run_us = 0;      // interpreter time for this request
  uint32_t stopped_at_op = 0;  // op that was running when it stopped (timeouts/errors)
};

struct Request {
  uint32_t id = 0;
  uint64_t deadline_us = 0;  // absolute, osal::now_us() scale; 0: none
  // Called on the service thread before invoke: writes the input tensors.
  // Returning false fails the request with kInvalidArgument.
  bool (*fill)(runtime::Interpreter& interp, void* user) = nullptr;
  void* fill_user = nullptr;
  // Called on the service thread with the outcome (outputs are valid during the call).
  void (*done)(const Result& result, runtime::Interpreter& interp, void* user) = nullptr;
  void* done_user = nullptr;
  uint64_t submitted_us = 0;  // set by submit()
};

struct Stats {
  uint32_t completed = 0;
  uint32_t succeeded = 0;
  uint32_t timed_out = 0;  // kBudgetExceeded
  uint32_t failed = 0;     // any other error
  uint32_t rejected = 0;   // queue full at submit
  uint64_t last_latency_us = 0;
  uint64_t worst_latency_us = 0;
  uint64_t worst_run_us = 0;    // successful runs only: the measured WCET
  uint64_t total_run_us = 0;    // successful runs only
};

struct ServiceConfig {
  const char* name = "inference";
  int priority = osal::kMinPriority;
  void* stack = nullptr;
  size_t stack_bytes = 0;
  int cpu = -1;
};

class InferenceService {
 public:
  static constexpr uint32_t kQueueDepth = 4;

  InferenceService(const model::Model& model, const runtime::OpResolver& resolver, uint8_t* arena,
                   size_t arena_size);
  InferenceService(const InferenceService&) = delete;
  InferenceService& operator=(const InferenceService&) = delete;

  // Initializes the interpreter (on the calling thread, so errors come back
  // here) with the OSAL clock, then starts the service thread.
  Status start(const ServiceConfig& config);
  // Queues a request; false if the queue stays full for timeout_us (the
  // request is then counted as rejected). Safe from any thread.
  bool submit(const Request& request, uint64_t timeout_us = 0);
  // Finishes queued requests, then stops and joins the thread.
  void stop();

  Stats stats();
  const Diag& diag() const { return diag_; }
  // Only between start() failing or stop() and the next start(): the service
  // thread owns the interpreter while it runs.
  runtime::Interpreter& interpreter() { return interp_; }

 private:
  static void thread_main(void* self);
  void serve(Request& request);
  void record(const Result& result);

  runtime::Interpreter interp_;
  osal::Thread thread_;
  osal::Queue<Request, kQueueDepth> queue_;
  osal::Mutex stats_lock_;
  Stats stats_;
  Diag diag_;
  bool running_ = false;
};

// Helper for callers that wait for one result: a semaphore plus the result.
class Completion {
 public:
  Status init(Diag& diag) { return done_.init(0, 1, diag); }
  // Sets request.done/done_user.
  void attach(Request& request);
  // Waits for the result; false on timeout.
  bool wait(Result* out, uint64_t timeout_us = osal::kForever);

 private:
  static void on_done(const Result& result, runtime::Interpreter& interp, void* self);
  osal::Semaphore done_;
  Result result_;
};

}  // namespace kiln::service
