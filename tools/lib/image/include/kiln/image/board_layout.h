// A board's flash partitions (tools/lib/board) as the device boot library
// sees them: a FlashGeometry and a boot::PartitionTable, checked by the
// device's own make_layout. Used by `kiln bundle --board`, `kiln partitions`
// (JSON and a C header for firmware) and the OTA simulator.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/board/partitions.h"
#include "kiln/boot/slots.h"

namespace kiln::image {

struct BoardLayout {
  std::string board;
  board::FlashPartitions partitions;
  boot::FlashGeometry geometry{};
  boot::PartitionTable table{};
};

// Maps the labelled partitions onto a PartitionTable and validates it with
// boot::make_layout; throws ToolError with the board file and the reason.
BoardLayout board_layout(const std::string& board_name, const board::FlashPartitions& parts);
BoardLayout load_board_layout(const std::string& name_or_path);

nlohmann::json layout_json(const BoardLayout& layout);
std::string layout_text(const BoardLayout& layout);
// A C/C++ header for the firmware: flash geometry, every partition's offset
// and size, the upgrade mode and a kiln::boot::PartitionTable initializer.
std::string layout_header(const BoardLayout& layout);

// Throws unless the bundle's firmware, model and manifest images fit the
// board's partitions (the manifest together with its boot trailer).
void check_bundle_fits(const BoardLayout& layout, const std::vector<uint8_t>& bundle);

}  // namespace kiln::image
