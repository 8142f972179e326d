// Each subcommand registers itself on the root app; its callback does the
// work and throws kiln::host::ToolError on any failure.
#pragma once
#include <CLI/CLI.hpp>

namespace kiln::cli {

void register_inspect(CLI::App& app);
void register_run(CLI::App& app);
void register_plan(CLI::App& app);
void register_sched(CLI::App& app);
void register_board(CLI::App& app);
void register_keygen(CLI::App& app);
void register_sign(CLI::App& app);
void register_verify(CLI::App& app);
void register_inspect_image(CLI::App& app);
void register_bundle(CLI::App& app);
void register_partitions(CLI::App& app);
void register_quantize(CLI::App& app);
void register_target(CLI::App& app);
void register_fit(CLI::App& app);
void register_validate(CLI::App& app);
void register_import(CLI::App& app);
void register_compile(CLI::App& app);
void register_embed(CLI::App& app);
void register_fleet(CLI::App& app);

}  // namespace kiln::cli
