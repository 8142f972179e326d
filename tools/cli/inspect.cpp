// kiln inspect MODEL [--json]
#include <iostream>
#include <memory>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/host/model_report.h"

namespace kiln::cli {

namespace {

struct InspectOptions {
  std::string model;
  bool json = false;
};

void inspect(const InspectOptions& o) {
  const host::LoadedModel model(o.model);
  // A model the runtime cannot prepare is still worth describing; the error
  // is reported after the description and the exit code is non-zero.
  std::unique_ptr<host::HostInterpreter> interp;
  std::string runtime_error;
  try {
    interp = std::make_unique<host::HostInterpreter>(model);
  } catch (const host::ToolError& e) {
    runtime_error = e.what();
  }
  const nlohmann::json report = host::inspect_json(model, interp ? &interp->get() : nullptr, runtime_error);
  if (o.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << host::render_inspect(report);
  }
  std::cout.flush();
  if (!runtime_error.empty()) host::fail(runtime_error);
}

}  // namespace

void register_inspect(CLI::App& app) {
  auto opts = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand("inspect", "Describe a model: tensors, operators, MACs, weights, arena");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->callback([opts] { inspect(*opts); });
}

}  // namespace kiln::cli
