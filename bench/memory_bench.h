// Memory and start-up of real firmwares (examples/firmware_kws, built by the
// rv32imac cross build in interpreter and AOT mode) against TFLM.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace kiln::bench {

// Reads the firmwares next to the probe's cross build; adds out["memory"].
// Returns the number of failures (a firmware that did not run).
int run_memory_bench(const std::string& probe_elf, nlohmann::json& out);

}  // namespace kiln::bench
