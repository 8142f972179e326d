// The inference service thread: dequeue, fill inputs, invoke under the
// request's deadline, report, record latency.
#include "kiln/service/inference_service.h"

namespace kiln::service {

namespace {

uint64_t osal_clock(void*) { return osal::now_us(); }

// A request with id kStopId and no callbacks ends the service loop.
constexpr uint32_t kStopId = 0xFFFFFFFFu;

}  // namespace

InferenceService::InferenceService(const model::Model& model, const runtime::OpResolver& resolver,
                                   uint8_t* arena, size_t arena_size)
    : interp_(model, resolver, arena, arena_size) {}

Status InferenceService::start(const ServiceConfig& config) {
  if (running_) return diag_.fail(Status::kInvalidArgument, "inference service already running");
  runtime::Clock clock;
  clock.now = osal_clock;
  interp_.set_clock(clock);  // before init: also enables per-op timing
  if (interp_.init() != Status::kOk) {
    diag_ = interp_.diag();
    return diag_.status();
  }
  KILN_TRY(queue_.init(diag_));
  KILN_TRY(stats_lock_.init(osal::enforcement().priority_inheritance ? osal::Mutex::Protocol::kInherit
                                                                     : osal::Mutex::Protocol::kNone,
                            diag_));
  stats_ = Stats();
  osal::ThreadSpec spec;
  spec.name = config.name;
  spec.priority = config.priority;
  spec.stack = config.stack;
  spec.stack_bytes = config.stack_bytes;
  spec.cpu = config.cpu;
  spec.entry = thread_main;
  spec.arg = this;
  KILN_TRY(thread_.start(spec, diag_));
  running_ = true;
  return Status::kOk;
}

bool InferenceService::submit(const Request& request, uint64_t timeout_us) {
  Request r = request;
  r.submitted_us = osal::now_us();
  if (running_ && r.id != kStopId && queue_.send(r, timeout_us)) return true;
  osal::LockGuard g(stats_lock_);
  ++stats_.rejected;
  return false;
}

void InferenceService::stop() {
  if (!running_) return;
  Request stop_request;
  stop_request.id = kStopId;
  (void)queue_.send(stop_request, osal::kForever);
  thread_.join();
  running_ = false;
}

void InferenceService::thread_main(void* self) {
  InferenceService& svc = *static_cast<InferenceService*>(self);
  Request r;
  while (svc.queue_.receive(&r, osal::kForever)) {
    if (r.id == kStopId) return;
    svc.serve(r);
  }
}

void InferenceService::serve(Request& request) {
  Result result;
  result.id = request.id;
  const uint64_t start = osal::now_us();
  if (request.fill != nullptr && !request.fill(interp_, request.fill_user)) {
    result.status = Status::kInvalidArgument;
  } else {
    interp_.set_deadline(request.deadline_us);
    result.status = interp_.invoke();
    interp_.set_deadline(0);
    result.stopped_at_op = interp_.last_op();
  }
  const uint64_t end = osal::now_us();
  result.run_us = end - start;
  result.latency_us = end - request.submitted_us;
  record(result);
  if (request.done != nullptr) request.done(result, interp_, request.done_user);
}

void InferenceService::record(const Result& r) {
  osal::LockGuard g(stats_lock_);
  ++stats_.completed;
  if (r.status == Status::kOk) {
    ++stats_.succeeded;
    stats_.total_run_us += r.run_us;
    if (r.run_us > stats_.worst_run_us) stats_.worst_run_us = r.run_us;
  } else if (r.status == Status::kBudgetExceeded) {
    ++stats_.timed_out;
  } else {
    ++stats_.failed;
  }
  stats_.last_latency_us = r.latency_us;
  if (r.latency_us > stats_.worst_latency_us) stats_.worst_latency_us = r.latency_us;
}

Stats InferenceService::stats() {
  osal::LockGuard g(stats_lock_);
  return stats_;
}

void Completion::attach(Request& request) {
  request.done = on_done;
  request.done_user = this;
}

void Completion::on_done(const Result& result, runtime::Interpreter&, void* self) {
  Completion& c = *static_cast<Completion*>(self);
  c.result_ = result;
  c.done_.give();
}

bool Completion::wait(Result* out, uint64_t timeout_us) {
  if (!done_.take(timeout_us)) return false;
  *out = result_;
  return true;
}

}  // namespace kiln::service
