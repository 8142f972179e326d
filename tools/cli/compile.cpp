// kiln compile MODEL -o DIR [--name ID] [--json]: ahead-of-time compilation of
// a model into plain C++ for the device core (docs/aot.md).
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/aot/compiler.h"
#include "kiln/host/model_file.h"

namespace kiln::cli {

namespace {

struct CompileOptions {
  std::string model;
  std::string out_dir;
  std::string name;
  bool json = false;
};

void compile(const CompileOptions& o) {
  const host::LoadedModel model(o.model);
  const std::string id =
      o.name.empty() ? aot::identifier_from(std::filesystem::path(o.model).stem().string()) : o.name;
  const aot::CompiledModel c = aot::compile(model, id);
  const std::vector<std::string> files = aot::write_files(c, o.out_dir);
  if (o.json) {
    nlohmann::json j;
    j["model"] = o.model;
    j["id"] = c.id;
    j["namespace"] = "kiln_aot_" + c.id;
    j["files"] = files;
    j["arena_bytes"] = c.arena_bytes;
    j["planned_bytes"] = c.planned_bytes;
    j["state_bytes"] = c.state_bytes;
    j["flash_bytes"] = c.flash_bytes;
    nlohmann::json ops = nlohmann::json::array();
    for (const aot::CompiledOp& op : c.ops) {
      ops.push_back({{"index", op.index}, {"op", op.op}, {"kernel", op.kernel}, {"output", op.output}});
    }
    j["ops"] = ops;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "compiled " << o.model << " as kiln_aot_" << c.id << ": " << c.ops.size() << " operators, arena "
            << c.arena_bytes << " B (state " << c.state_bytes << " B), constants " << c.flash_bytes << " B\n";
  for (const std::string& f : files) std::cout << "  " << f << "\n";
}

}  // namespace

void register_compile(CLI::App& app) {
  auto opts = std::make_shared<CompileOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compile", "Compile a model ahead of time into C++ calling the kernels directly (no interpreter)");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_option("-o,--output", opts->out_dir, "Directory for <id>_aot.h, <id>_aot.cpp, <id>_aot_weights.cpp")
      ->required();
  cmd->add_option("--name", opts->name, "Model id: namespace kiln_aot_<id> and file prefix (default: file stem)");
  cmd->add_flag("--json", opts->json, "Print a JSON document (files, arena, ops) instead of text");
  cmd->callback([opts] { compile(*opts); });
}

}  // namespace kiln::cli
