// Each subcommand registers itself on the root app; its callback does the
// work and throws kiln::host::ToolError on any failure.
#pragma once
#include <CLI/CLI.hpp>

namespace kiln::cli {

void register_inspect(CLI::App& app);
void register_run(CLI::App& app);
void register_plan(CLI::App& app);

}  // namespace kiln::cli
