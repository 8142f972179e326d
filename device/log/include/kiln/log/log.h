// The device core's log facade: four levels, stripped at compile time below
// KILN_LOG_LEVEL (arguments of a stripped call are not even evaluated), and a
// sink chosen by the platform: stderr on POSIX, printf (the UART through
// picolibc's stdout) on bare metal, Zephyr's LOG_* macros on Zephyr
// (zephyr/log/kiln_log_zephyr.h). One line per call, formatted on the
// caller's stack into at most kMaxLine bytes; no heap, no locks.
#pragma once
#include <stdint.h>

#define KILN_LOG_LEVEL_NONE 0
#define KILN_LOG_LEVEL_ERROR 1
#define KILN_LOG_LEVEL_WARN 2
#define KILN_LOG_LEVEL_INFO 3
#define KILN_LOG_LEVEL_DEBUG 4

#ifndef KILN_LOG_LEVEL
#define KILN_LOG_LEVEL KILN_LOG_LEVEL_INFO
#endif

namespace kiln::log {

enum class Level : uint8_t { kError = 1, kWarn = 2, kInfo = 3, kDebug = 4 };
constexpr uint32_t kMaxLine = 128;

// Receives one formatted line (no trailing newline).
using Sink = void (*)(void* user, Level level, const char* module, const char* text);

// Replaces the sink (nullptr: back to the platform default).
void set_sink(Sink sink, void* user);
void write(Level level, const char* module, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
const char* level_name(Level level);
// The platform default: "E kiln.ota: text" to stderr (POSIX) or printf.
void default_sink(void* user, Level level, const char* module, const char* text);

}  // namespace kiln::log

#if defined(__ZEPHYR__) && defined(CONFIG_KILN_LOG_ZEPHYR)
#include "kiln_log_zephyr.h"  // KILN_LOG_* become LOG_ERR/LOG_WRN/LOG_INF/LOG_DBG
#else
#define KILN_LOG_AT_(lvl, id, module, ...)                                   \
  do {                                                                       \
    if (KILN_LOG_LEVEL >= (lvl)) ::kiln::log::write(id, module, __VA_ARGS__); \
  } while (0)
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_ERROR
#define KILN_LOG_ERROR(module, ...) KILN_LOG_AT_(KILN_LOG_LEVEL_ERROR, ::kiln::log::Level::kError, module, __VA_ARGS__)
#else
#define KILN_LOG_ERROR(module, ...) ((void)0)
#endif
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_WARN
#define KILN_LOG_WARN(module, ...) KILN_LOG_AT_(KILN_LOG_LEVEL_WARN, ::kiln::log::Level::kWarn, module, __VA_ARGS__)
#else
#define KILN_LOG_WARN(module, ...) ((void)0)
#endif
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_INFO
#define KILN_LOG_INFO(module, ...) KILN_LOG_AT_(KILN_LOG_LEVEL_INFO, ::kiln::log::Level::kInfo, module, __VA_ARGS__)
#else
#define KILN_LOG_INFO(module, ...) ((void)0)
#endif
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_DEBUG
#define KILN_LOG_DEBUG(module, ...) KILN_LOG_AT_(KILN_LOG_LEVEL_DEBUG, ::kiln::log::Level::kDebug, module, __VA_ARGS__)
#else
#define KILN_LOG_DEBUG(module, ...) ((void)0)
#endif
#endif
