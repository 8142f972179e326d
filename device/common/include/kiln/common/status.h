// One error vocabulary for the whole device core.
//
// Every fallible device-core call returns a Status; the human-readable detail
// (which tensor, which operator, how many bytes) goes into a Diag that the
// caller owns. No heap, no exceptions: a Diag is a fixed 160-byte buffer.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kiln {

enum class [[nodiscard]] Status : uint8_t {
  kOk = 0,
  kInvalidModel,     // model bytes are malformed, truncated or inconsistent
  kUnsupported,      // valid model, but an op/type/option this build lacks
  kInvalidArgument,  // caller passed something unusable (null, wrong size)
  kArenaTooSmall,    // caller's arena cannot hold the plan
  kBudgetExceeded,   // invoke stopped between ops: time budget spent
  kOutOfRange,       // index or size outside what the object holds
  kInternal,         // an invariant broke: a bug in kiln
  kRejected,         // an image/bundle is well-formed input but fails verification
                     // (bad hash or signature, untrusted key, downgrade, mismatched pair)
};

const char* status_name(Status s);

inline bool ok(Status s) { return s == Status::kOk; }

// Fixed-size, caller-owned error detail. `fail` formats printf-style.
class Diag {
 public:
  static constexpr size_t kCapacity = 160;

  Status fail(Status code, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  void clear() {
    status_ = Status::kOk;
    message_[0] = '\0';
  }
  Status status() const { return status_; }
  const char* message() const { return message_; }

 private:
  Status status_ = Status::kOk;
  char message_[kCapacity] = {};
};

}  // namespace kiln

// Propagate a non-OK Status from an expression; keeps call sites flat.
#define KILN_TRY(expr)                          \
  do {                                          \
    ::kiln::Status kiln_try_s_ = (expr);        \
    if (kiln_try_s_ != ::kiln::Status::kOk) {   \
      return kiln_try_s_;                       \
    }                                           \
  } while (0)
