// One fuzz iteration: untrusted bytes through the reader, the interpreter's
// init and (when init accepts them) one invoke. Shared by the GoogleTest
// mutation test and the libFuzzer target.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kiln/common/status.h"

namespace kiln::fuzz {

struct FuzzOutcome {
  Status load = Status::kOk;
  Status init = Status::kOk;
  Status invoke = Status::kOk;
  bool invoked = false;
};

FuzzOutcome run_model_bytes(const uint8_t* data, size_t size);

}  // namespace kiln::fuzz
