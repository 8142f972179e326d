// Stage 3's board: a TargetSession (QEMU with the firmware agent, or a real
// board on a serial port) behind the Int8Target interface.
#pragma once
#include <memory>

#include "kiln/validate/validate.h"
#include "target_session.h"

namespace kiln::validate {

// Throws ToolError with the session's message (firmware missing and how to
// build it, QEMU missing, agent not answering).
std::unique_ptr<Int8Target> open_board(const target::SessionOptions& options);

}  // namespace kiln::validate
