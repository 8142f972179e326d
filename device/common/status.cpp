#include "kiln/common/status.h"

#include <stdarg.h>
#include <stdio.h>

namespace kiln {

const char* status_name(Status s) {
  switch (s) {
    case Status::kOk: return "ok";
    case Status::kInvalidModel: return "invalid model";
    case Status::kUnsupported: return "unsupported";
    case Status::kInvalidArgument: return "invalid argument";
    case Status::kArenaTooSmall: return "arena too small";
    case Status::kBudgetExceeded: return "budget exceeded";
    case Status::kOutOfRange: return "out of range";
    case Status::kInternal: return "internal error";
    case Status::kRejected: return "rejected";
  }
  return "unknown status";
}

Status Diag::fail(Status code, const char* fmt, ...) {
  status_ = code;
  va_list args;
  va_start(args, fmt);
  vsnprintf(message_, kCapacity, fmt, args);
  va_end(args);
  return code;
}

}  // namespace kiln
