#include "kiln/log/log.h"

#include <stdarg.h>
#include <stdio.h>

namespace kiln::log {
namespace {

Sink g_sink = nullptr;
void* g_user = nullptr;

}  // namespace

const char* level_name(Level level) {
  switch (level) {
    case Level::kError: return "E";
    case Level::kWarn: return "W";
    case Level::kInfo: return "I";
    case Level::kDebug: return "D";
  }
  return "?";
}

void set_sink(Sink sink, void* user) {
  g_user = user;
  g_sink = sink;
}

void default_sink(void*, Level level, const char* module, const char* text) {
#if defined(__unix__) || defined(__APPLE__)
  fprintf(stderr, "%s %s: %s\n", level_name(level), module, text);
#else
  printf("%s %s: %s\n", level_name(level), module, text);  // picolibc stdout: the board's UART
#endif
}

void write(Level level, const char* module, const char* fmt, ...) {
  char line[kMaxLine];
  va_list args;
  va_start(args, fmt);
  vsnprintf(line, sizeof(line), fmt, args);  // truncates, always terminated
  va_end(args);
  const Sink sink = g_sink != nullptr ? g_sink : &default_sink;
  sink(g_user, level, module == nullptr ? "kiln" : module, line);
}

}  // namespace kiln::log
