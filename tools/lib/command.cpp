#include "kiln/host/command.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace kiln::host {

std::string run_command(const std::string& shell_command, int* exit_code) {
  std::string out;
  FILE* pipe = popen(shell_command.c_str(), "r");
  if (pipe == nullptr) {
    *exit_code = -1;
    return out;
  }
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

}  // namespace kiln::host
