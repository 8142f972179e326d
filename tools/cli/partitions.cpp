// kiln partitions BOARD [--json] [--header FILE]: the board's boot/OTA flash
// layout from its device tree (fixed-partitions), checked by the device
// library's own make_layout; --header writes it as a C header for firmware.
#include <iostream>

#include "commands.h"
#include "kiln/host/file_io.h"
#include "kiln/image/board_layout.h"

namespace kiln::cli {

namespace {

struct PartitionsOptions {
  std::string board, header;
  bool json = false;
};

void partitions(const PartitionsOptions& o) {
  const image::BoardLayout layout = image::load_board_layout(o.board);
  if (!o.header.empty()) {
    const std::string text = image::layout_header(layout);
    if (o.header == "-") {
      std::cout << text;
      return;
    }
    host::write_file_bytes(o.header, std::vector<uint8_t>(text.begin(), text.end()));
  }
  if (o.json) {
    std::cout << image::layout_json(layout).dump(2) << "\n";
  } else if (o.header.empty()) {
    std::cout << image::layout_text(layout);
  } else {
    std::cout << "wrote " << o.header << " (" << layout.partitions.partitions.size() << " partitions, "
              << boot::upgrade_mode_name(layout.table.mode) << ")\n";
  }
}

}  // namespace

void register_partitions(CLI::App& app) {
  auto o = std::make_shared<PartitionsOptions>();
  CLI::App* cmd = app.add_subcommand("partitions", "Boot/OTA flash partitions of a board (device tree), checked; C header");
  cmd->add_option("board", o->board, "board name (folder in boards/) or a .dts/.dtb file")->required();
  cmd->add_flag("--json", o->json, "Print the layout as JSON");
  cmd->add_option("--header", o->header, "Write a C header with the partition table for firmware ('-': stdout)");
  cmd->callback([o] { partitions(*o); });
}

}  // namespace kiln::cli
