// kiln fit MODEL --board NAME [--firmware ELF] [--json]
// Before building: does the model fit the board? Arena exact from the
// planner, model flash bytes, firmware code (documented estimate, or measured
// in --firmware ELF), the board's stack; exits non-zero naming the overflow.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "fit.h"
#include "kiln/board/board.h"
#include "kiln/host/error.h"
#include "kiln/host/host_interpreter.h"
#include "kiln/host/model_file.h"
#include "qemu_probe.h"

namespace kiln::cli {

namespace {

struct FitOptions {
  std::string model;
  std::string board = "qemu-virt-rv32";
  std::string firmware;
  bool json = false;
};

void fit(const FitOptions& o) {
  board::Board b;
  try {
    b = board::load_board(o.board);
  } catch (const board::BoardError& e) {
    host::fail(e.what());
  }
  const host::LoadedModel m(o.model);
  const host::HostInterpreter interp(m);  // untimed: the arena a firmware provides
  target::FitInput in;
  in.model_bytes = m.file_bytes();
  in.arena_bytes = interp.get().arena_report().required_bytes;
  if (!o.firmware.empty()) {
    const auto cs = target::measure_code_size(o.firmware);
    if (!cs) host::fail("cannot measure " + o.firmware + " (needs riscv64-unknown-elf-size and an ELF file)");
    in.code_bytes = cs->elf_text;
    in.code_source = o.firmware;
  }
  const target::FitReport r = target::compute_fit(b, in);
  if (o.json) {
    nlohmann::json j = r.to_json();
    j["file"] = o.model;
    if (!r.fits()) j["message"] = r.overflow_message();
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf("%s on %s: %s\n", o.model.c_str(), b.name.c_str(), r.fits() ? "fits" : "does NOT fit");
    std::printf("  flash %10llu / %10llu B  (code %llu [%s] + model %llu)\n",
                static_cast<unsigned long long>(r.flash_used), static_cast<unsigned long long>(r.flash_budget),
                static_cast<unsigned long long>(in.code_bytes), in.code_source.c_str(),
                static_cast<unsigned long long>(r.flash_used - in.code_bytes));
    std::printf("  RAM   %10llu / %10llu B  (arena %llu + stack %llu + data %llu)\n",
                static_cast<unsigned long long>(r.ram_used), static_cast<unsigned long long>(r.ram_budget),
                static_cast<unsigned long long>(in.arena_bytes), static_cast<unsigned long long>(r.stack_bytes),
                static_cast<unsigned long long>(in.data_bytes));
  }
  if (!r.fits()) host::fail(r.overflow_message());
}

}  // namespace

void register_fit(CLI::App& app) {
  auto opts = std::make_shared<FitOptions>();
  CLI::App* cmd = app.add_subcommand("fit", "Check a model against a board's flash and RAM budgets before building");
  cmd->add_option("model", opts->model, "TFLite model file")->required();
  cmd->add_option("--board", opts->board, "Board (boards/<name>, or a .dts/.dtb path)")->capture_default_str();
  cmd->add_option("--firmware", opts->firmware, "Measure firmware code in this ELF instead of the documented estimate");
  cmd->add_flag("--json", opts->json, "Print a JSON document instead of text");
  cmd->callback([opts] { fit(*opts); });
}

}  // namespace kiln::cli
