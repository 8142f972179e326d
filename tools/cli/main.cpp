// kiln: inspect, plan and run TFLite models on the host exactly as the
// device runtime does on a microcontroller.
#include <cstdio>
#include <exception>

#include "commands.h"
#include "kiln/host/error.h"

int main(int argc, char** argv) {
  CLI::App app{"kiln: inspect, plan and run TFLite models with the kiln device runtime", "kiln"};
  app.set_version_flag("--version", std::string("kiln ") + KILN_VERSION);
  app.require_subcommand(1);
  kiln::cli::register_inspect(app);
  kiln::cli::register_plan(app);
  kiln::cli::register_sched(app);
  kiln::cli::register_run(app);
  kiln::cli::register_board(app);
  kiln::cli::register_keygen(app);
  kiln::cli::register_sign(app);
  kiln::cli::register_verify(app);
  kiln::cli::register_inspect_image(app);
  kiln::cli::register_bundle(app);
  kiln::cli::register_partitions(app);
  kiln::cli::register_quantize(app);
  kiln::cli::register_target(app);
  kiln::cli::register_fit(app);
  kiln::cli::register_validate(app);
  kiln::cli::register_import(app);
  kiln::cli::register_compile(app);
  kiln::cli::register_embed(app);
  kiln::cli::register_fleet(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const kiln::host::ToolError& e) {
    std::fprintf(stderr, "kiln: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiln: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}
