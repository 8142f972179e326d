// kiln board list | kiln board show NAME|FILE.dts [--json]
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "kiln/board/board.h"
#include "kiln/board/board_report.h"
#include "kiln/host/error.h"

namespace kiln::cli {

namespace {

board::Board load_or_fail(const std::string& name) {
  try {
    return board::load_board(name);
  } catch (const board::BoardError& e) {
    host::fail(e.what());
  }
}

}  // namespace

void register_board(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("board", "Boards from device tree: what kiln derives from boards/<name>/board.dts");
  cmd->require_subcommand(1);

  struct ShowOptions {
    std::string name;
    bool json = false;
  };
  auto show_opts = std::make_shared<ShowOptions>();
  CLI::App* show = cmd->add_subcommand("show", "Print the ISA, -march/-mabi, memories, budgets and emulator of a board");
  show->add_option("board", show_opts->name, "board name (folder in boards/) or a .dts/.dtb file")->required();
  show->add_flag("--json", show_opts->json, "machine-readable output");
  show->callback([show_opts] {
    const board::Board b = load_or_fail(show_opts->name);
    if (show_opts->json) {
      std::cout << board::board_json(b).dump(2) << "\n";
    } else {
      std::cout << board::board_text(b);
    }
  });

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = cmd->add_subcommand("list", "List the boards in " + board::boards_dir());
  list->add_flag("--json", *list_json, "machine-readable output");
  list->callback([list_json] {
    nlohmann::json all = nlohmann::json::array();
    for (const std::string& name : board::board_names()) {
      const board::Board b = load_or_fail(name);
      if (*list_json) {
        all.push_back({{"name", b.name}, {"model", b.model}, {"march", b.target.march}, {"mabi", b.target.mabi},
                       {"emulated", b.emulated()}});
      } else {
        std::printf("%-18s %-40s %-34s %s\n", b.name.c_str(), b.model.c_str(), b.target.march.c_str(),
                    b.emulated() ? "emulated" : "");
      }
    }
    if (*list_json) std::cout << all.dump(2) << "\n";
  });
}

}  // namespace kiln::cli
