// Kernel benchmark (issue 8): reference vs optimized (vs RVV) kernels on the
// emulated rv32 board, per model and per operator, and their code size.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace kiln::bench {

// probe_elf is the optimized kiln_probe.elf; kiln_probe_ref.elf (and
// kiln_probe_rvv.elf, when built) are looked for next to it. Prints a table
// and fills out["kernels"]. Returns the number of failures (0 when skipped).
int run_kernels_bench(const std::string& probe_elf, const std::string& testdata, nlohmann::json& out);

}  // namespace kiln::bench
