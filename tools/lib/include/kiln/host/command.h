// Runs a shell command and captures what it writes: the one place host tools,
// benchmarks and tests start other programs (dtc aside: it needs binary output).
#pragma once
#include <string>

namespace kiln::host {

// Standard output of `shell_command` (add " 2>&1" to capture standard error
// too). *exit_code is its exit status, or -1 when it could not be started or
// did not exit normally.
std::string run_command(const std::string& shell_command, int* exit_code);

}  // namespace kiln::host
