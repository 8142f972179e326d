// kiln plan MODEL [--json]
#include <iostream>

#include "commands.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/host/plan_report.h"

namespace kiln::cli {

namespace {

struct PlanOptions {
  std::string model;
  bool json = false;
};

void plan(const PlanOptions& o) {
  const host::LoadedModel model(o.model);
  const host::HostInterpreter interp(model);
  const nlohmann::json report = host::plan_json(model, interp.get(), interp.plan());
  std::cout << (o.json ? report.dump(2) + "\n" : host::render_plan(report));
}

}  // namespace

void register_plan(CLI::App& app) {
  auto opts = std::make_shared<PlanOptions>();
  CLI::App* cmd = app.add_subcommand("plan", "Show the arena layout: every buffer's offset, size and lifetime");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->callback([opts] { plan(*opts); });
}

}  // namespace kiln::cli
