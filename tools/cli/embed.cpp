// kiln embed MODEL -o DIR [--name ID] [--version V] [--mode interpreter|aot] [--json]
// The build-time step of kiln_add_model: checks the model (verifies, every
// operator supported, arena planned) and writes <id>_identity.h and
// <id>_model.h/.cpp. Files whose contents did not change are left untouched,
// so a rebuild after touching the model recompiles nothing.
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/identity/embed_sources.h"
#include "qemu_probe.h"

namespace kiln::cli {

namespace {

struct EmbedOptions {
  std::string model;
  std::string name;
  std::string out_dir;
  std::string version;
  std::string mode = "interpreter";
  std::string probe;  // rv32 probe firmware: the arena measured on the target ABI
  bool json = false;
};

// true when the file was (re)written.
bool write_if_changed(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    const std::vector<uint8_t> old = host::read_file_bytes(path.string());
    if (std::string(old.begin(), old.end()) == text) return false;
  }
  host::write_file_text(path.string(), text);
  return true;
}

void embed(const EmbedOptions& o) {
  namespace id = identity;
  const std::vector<uint8_t> bytes = host::read_file_bytes(o.model);
  const host::LoadedModel model(o.model);
  id::EmbedInput in;
  in.id = o.name.empty() ? std::filesystem::path(o.model).stem().string() : o.name;
  id::check_id(in.id);
  in.model_path = o.model;
  in.bytes = &bytes;
  in.identity = id::identify(model, bytes, o.version);
  in.mode = o.mode == "aot" ? id::EmbedMode::kAot : id::EmbedMode::kInterpreter;
  id::check_supported(in.identity, o.model);
  if (in.mode == id::EmbedMode::kInterpreter) {
    const host::HostInterpreter interp(model);  // throws naming the op that cannot be prepared
    in.arena_bytes = interp.get().arena_report().required_bytes;
    in.arena_origin = "host planner (64-bit tables: an upper bound on a 32-bit target)";
    if (!o.probe.empty()) {
      // Tensor/operator tables and kernel data hold pointers: only the
      // target's own build knows their size. The probe prepares the model on
      // the emulated target and reports the exact bytes.
      std::string why;
      const auto probe = target::run_probe(o.probe, o.model, "", &why);
      if (!probe) host::fail("the probe firmware could not size the arena on the target: " + why);
      in.arena_bytes = static_cast<uint32_t>(probe->get("arena_required"));
      in.arena_origin = "exact on the target ABI (kiln_probe on QEMU)";
    }
  }
  const id::EmbedSources src = id::embed_sources(in);

  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) host::fail("cannot create '" + o.out_dir + "': " + ec.message());
  const std::filesystem::path dir(o.out_dir);
  nlohmann::json files = nlohmann::json::array();
  for (const auto& [name, text] : {std::pair{in.id + "_identity.h", &src.identity_h},
                                   std::pair{in.id + "_model.h", &src.model_h},
                                   std::pair{in.id + "_model.cpp", &src.model_cpp}}) {
    const bool written = write_if_changed(dir / name, *text);
    files.push_back({{"path", (dir / name).string()}, {"written", written}});
  }

  const id::ModelIdentity& m = in.identity;
  nlohmann::json ops = nlohmann::json::array();
  for (const id::OpUse& op : m.ops) ops.push_back({{"name", op.name}, {"code", op.code}, {"version", op.version}});
  nlohmann::json report = {{"model", o.model}, {"name", in.id}, {"mode", o.mode},
                           {"model_bytes", bytes.size()}, {"sha256", m.sha256}, {"version", m.version},
                           {"op_set_fingerprint", m.op_set_fingerprint}, {"runtime_abi", m.runtime_abi},
                           {"ops", ops}, {"files", files}};
  if (in.mode == id::EmbedMode::kInterpreter) {
    report["arena_bytes"] = in.arena_bytes;
    report["arena_origin"] = in.arena_origin;
  }
  if (o.json) {
    std::cout << report.dump(2) << "\n";
    return;
  }
  std::cout << "model " << in.id << " (" << o.model << ", " << bytes.size() << " B), " << o.mode << " mode\n"
            << "  sha256      " << m.sha256 << "\n  version     " << m.version << "\n  op set      "
            << m.op_set_fingerprint << " (";
  for (size_t i = 0; i < m.ops.size(); ++i) std::cout << (i ? ", " : "") << m.ops[i].name << " v" << m.ops[i].version;
  std::cout << ")\n  runtime ABI " << m.runtime_abi << "\n";
  if (in.mode == id::EmbedMode::kInterpreter) std::cout << "  arena       " << in.arena_bytes << " B\n";
  for (const auto& f : files) {
    std::cout << "  " << (f["written"].get<bool>() ? "wrote     " : "unchanged ") << f["path"].get<std::string>() << "\n";
  }
}

}  // namespace

void register_embed(CLI::App& app) {
  auto opts = std::make_shared<EmbedOptions>();
  CLI::App* cmd = app.add_subcommand(
      "embed", "Generate a firmware's model sources: embedded model, arena, operator table, identity");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_option("-o,--output", opts->out_dir, "Folder for <name>_identity.h, <name>_model.h/.cpp")->required();
  cmd->add_option("--name", opts->name, "C identifier: namespace kiln_model_<name> (default: file stem)");
  cmd->add_option("--version", opts->version, "Version string (default: the model's description)");
  cmd->add_option("--mode", opts->mode, "interpreter (model array + op table) or aot (arena for kiln compile's code)")
      ->check(CLI::IsMember({"interpreter", "aot"}));
  cmd->add_option("--probe", opts->probe,
                  "rv32 kiln_probe.elf: size the arena on the emulated target (exact for 32-bit firmware)");
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->callback([opts] { embed(*opts); });
}

}  // namespace kiln::cli
