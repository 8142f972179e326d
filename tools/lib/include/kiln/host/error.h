// Host tools report every failure as a ToolError carrying a message a user
// can act on; `kiln` prints it and exits non-zero.
#pragma once
#include <stdexcept>
#include <string>

#include "kiln/common/status.h"

namespace kiln::host {

class ToolError : public std::runtime_error {
 public:
  explicit ToolError(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] inline void fail(const std::string& message) { throw ToolError(message); }

// "unsupported: op 3 (FOO): ..." from a device-core Status and its Diag.
inline std::string diag_text(Status status, const Diag& diag) {
  std::string text = status_name(status);
  if (diag.message()[0] != '\0') text += std::string(": ") + diag.message();
  return text;
}

}  // namespace kiln::host
