// Zephyr: the kiln log facade maps onto Zephyr's logging subsystem, so kiln's
// lines get Zephyr's backends, timestamps and run-time filtering. Enabled
// with CONFIG_KILN_LOG_ZEPHYR; the including file must have declared its log
// module (LOG_MODULE_REGISTER/DECLARE) as Zephyr requires. KILN_LOG_LEVEL
// still strips at compile time; the module name argument is dropped (Zephyr
// prefixes its own module name).
#pragma once
#include <zephyr/logging/log.h>

#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_ERROR
#define KILN_LOG_ERROR(module, ...) LOG_ERR(__VA_ARGS__)
#else
#define KILN_LOG_ERROR(module, ...) ((void)0)
#endif
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_WARN
#define KILN_LOG_WARN(module, ...) LOG_WRN(__VA_ARGS__)
#else
#define KILN_LOG_WARN(module, ...) ((void)0)
#endif
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_INFO
#define KILN_LOG_INFO(module, ...) LOG_INF(__VA_ARGS__)
#else
#define KILN_LOG_INFO(module, ...) ((void)0)
#endif
#if KILN_LOG_LEVEL >= KILN_LOG_LEVEL_DEBUG
#define KILN_LOG_DEBUG(module, ...) LOG_DBG(__VA_ARGS__)
#else
#define KILN_LOG_DEBUG(module, ...) ((void)0)
#endif
