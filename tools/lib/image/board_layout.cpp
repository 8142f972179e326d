#include "kiln/image/board_layout.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "kiln/board/isa.h"
#include "kiln/boot/swap.h"
#include "kiln/boot/trailer.h"
#include "kiln/host/error.h"
#include "kiln/image/bundle.h"

namespace kiln::image {

namespace {

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

boot::Partition to_partition(const BoardLayout& l, const std::string& label) {
  const board::FlashPartition& p = l.partitions.get(label);
  return {static_cast<uint32_t>(p.offset), static_cast<uint32_t>(p.size)};
}

// The labels kiln needs, with where they go in a PartitionTable.
struct Role {
  const char* label;
  const char* what;
};
const Role kRoles[] = {
    {"image-0", "firmware, primary"},          {"image-1", "firmware, secondary"},
    {"image-2", "model, primary"},             {"image-3", "model, secondary"},
    {"kiln-manifest-0", "manifest + trailer, primary"}, {"kiln-manifest-1", "manifest + trailer, secondary"},
    {"kiln-security-counter", "anti-rollback counter"}, {"image-scratch", "swap scratch"},
    {"kiln-swap-status", "swap log (two halves)"},
};

const char* role_of(const std::string& label) {
  for (const Role& r : kRoles) {
    if (label == r.label) return r.what;
  }
  return label == "mcuboot" ? "boot loader" : "";
}

std::string macro_name(const std::string& label) {
  std::string m = "KILN_PARTITION_";
  for (char c : label) m += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  return m;
}

boot::SlotLayout checked_layout(const BoardLayout& l) {
  boot::RamFlash flash(l.geometry, nullptr);  // geometry only: make_layout reads no flash
  boot::SlotLayout layout;
  Diag diag;
  const Status s = boot::make_layout(&flash, l.table, &layout, &diag);
  if (s != Status::kOk) host::fail(l.partitions.source + ": " + host::diag_text(s, diag));
  return layout;
}

}  // namespace

BoardLayout board_layout(const std::string& board_name, const board::FlashPartitions& parts) {
  BoardLayout l;
  l.board = board_name;
  l.partitions = parts;
  if (parts.flash_size > 0xffffffffu || parts.erase_block > parts.flash_size || parts.write_block == 0 ||
      parts.write_block > 32) {
    host::fail(parts.source + ": flash of " + hex(parts.flash_size) + " bytes with write blocks of " +
               std::to_string(parts.write_block) + " bytes is not supported (32-bit offsets, write block 1..32)");
  }
  l.geometry = {static_cast<uint32_t>(parts.flash_size), static_cast<uint32_t>(parts.erase_block),
                static_cast<uint32_t>(parts.write_block), 0xff};
  try {
    for (uint32_t s = 0; s < boot::kSlotCount; ++s) {
      const std::string n = std::to_string(s);
      l.table.firmware[s] = to_partition(l, "image-" + n);
      l.table.model[s] = to_partition(l, "image-" + std::to_string(s + 2));
      l.table.manifest[s] = to_partition(l, "kiln-manifest-" + n);
    }
    l.table.counter = to_partition(l, "kiln-security-counter");
    l.table.mode = parts.upgrade_mode == "swap-scratch" ? boot::UpgradeMode::kSwap : boot::UpgradeMode::kDirect;
    if (l.table.mode == boot::UpgradeMode::kSwap) {
      l.table.scratch = to_partition(l, "image-scratch");
      l.table.swap_status = to_partition(l, "kiln-swap-status");
    }
  } catch (const board::BoardError& e) {
    host::fail(e.what());
  }
  (void)checked_layout(l);
  return l;
}

BoardLayout load_board_layout(const std::string& name_or_path) {
  try {
    return board_layout(name_or_path, board::load_partitions(name_or_path));
  } catch (const board::BoardError& e) {
    host::fail(e.what());
  }
}

nlohmann::json layout_json(const BoardLayout& l) {
  nlohmann::json parts = nlohmann::json::array();
  for (const board::FlashPartition& p : l.partitions.partitions) {
    parts.push_back({{"label", p.label}, {"role", role_of(p.label)}, {"node", p.node}, {"offset", p.offset},
                     {"size", p.size}, {"address", l.partitions.flash_base + p.offset}, {"read_only", p.read_only}});
  }
  nlohmann::json j = {{"board", l.board},
                      {"source", l.partitions.source},
                      {"flash", {{"node", l.partitions.flash_node},
                                 {"base", l.partitions.flash_base},
                                 {"size", l.partitions.flash_size},
                                 {"erase_block", l.geometry.erase_size},
                                 {"write_block", l.geometry.write_size}}},
                      {"upgrade_mode", boot::upgrade_mode_name(l.table.mode)},
                      {"partitions", parts}};
  if (l.table.mode == boot::UpgradeMode::kSwap) {
    const boot::SlotLayout layout = checked_layout(l);
    j["swap"] = {{"chunks", boot::swap_chunk_count(layout)}, {"log_bytes", boot::swap_status_bytes(layout)}};
  }
  return j;
}

std::string layout_text(const BoardLayout& l) {
  std::ostringstream o;
  o << l.board << ": flash " << l.partitions.flash_node << " at " << hex(l.partitions.flash_base) << ", "
    << hex(l.partitions.flash_size) << " bytes, erase block " << hex(l.geometry.erase_size) << ", write block "
    << l.geometry.write_size << "\nupgrade mode: " << boot::upgrade_mode_name(l.table.mode) << "\n";
  char line[200];
  for (const board::FlashPartition& p : l.partitions.partitions) {
    std::snprintf(line, sizeof line, "  %-22s %10s  %9s  (%7.1f KiB)  %s%s\n", p.label.c_str(), hex(p.offset).c_str(),
                  hex(p.size).c_str(), static_cast<double>(p.size) / 1024.0, role_of(p.label),
                  p.read_only ? ", read-only" : "");
    o << line;
  }
  if (l.table.mode == boot::UpgradeMode::kSwap) {
    const boot::SlotLayout layout = checked_layout(l);
    o << "swap: " << boot::swap_chunk_count(layout) << " chunks through the scratch area, log of "
      << boot::swap_status_bytes(layout) << " bytes per half\n";
  }
  return o.str();
}

std::string layout_header(const BoardLayout& l) {
  std::ostringstream o;
  o << "// Generated by `kiln partitions " << l.board << " --header` from " << l.partitions.source
    << ": do not edit.\n// Flash partitions of the board for the kiln boot/OTA library (kiln/boot/slots.h).\n"
    << "#pragma once\n\n"
    << "#define KILN_FLASH_BASE " << hex(l.partitions.flash_base) << "u\n"
    << "#define KILN_FLASH_SIZE " << hex(l.partitions.flash_size) << "u\n"
    << "#define KILN_FLASH_ERASE_BLOCK " << hex(l.geometry.erase_size) << "u\n"
    << "#define KILN_FLASH_WRITE_BLOCK " << l.geometry.write_size << "u\n"
    << "#define KILN_UPGRADE_MODE_SWAP " << (l.table.mode == boot::UpgradeMode::kSwap ? 1 : 0)
    << "  // 1: swap-scratch, 0: direct-xip\n\n";
  for (const board::FlashPartition& p : l.partitions.partitions) {
    o << "#define " << macro_name(p.label) << "_OFFSET " << hex(p.offset) << "u  // " << role_of(p.label) << "\n"
      << "#define " << macro_name(p.label) << "_SIZE " << hex(p.size) << "u\n";
  }
  auto part = [](const boot::Partition& p) { return "{" + hex(p.offset) + "u, " + hex(p.size) + "u}"; };
  const boot::PartitionTable& t = l.table;
  o << "\n// A kiln::boot::PartitionTable for boot::make_layout (field order of kiln/boot/slots.h).\n"
    << "#define KILN_PARTITION_TABLE_INIT \\\n  {{" << part(t.firmware[0]) << ", " << part(t.firmware[1]) << "}, \\\n   {"
    << part(t.model[0]) << ", " << part(t.model[1]) << "}, \\\n   {" << part(t.manifest[0]) << ", "
    << part(t.manifest[1]) << "}, \\\n   " << part(t.counter) << ", " << part(t.scratch) << ", "
    << part(t.swap_status) << ", \\\n   "
    << (t.mode == boot::UpgradeMode::kSwap ? "::kiln::boot::UpgradeMode::kSwap" : "::kiln::boot::UpgradeMode::kDirect")
    << "}\n";
  return o.str();
}

void check_bundle_fits(const BoardLayout& l, const std::vector<uint8_t>& bundle) {
  const BundleParts parts = split_bundle(bundle);
  const boot::SlotLayout layout = checked_layout(l);
  const boot::FlashArea& manifest = layout.area(0, boot::Part::kManifest);
  const struct {
    const char* what;
    size_t bytes;
    uint32_t room;
    const char* label;
  } checks[] = {
      {"firmware image", parts.firmware.size(), layout.area(0, boot::Part::kFirmware).size, "image-0"},
      {"model image", parts.model.size(), layout.area(0, boot::Part::kModel).size, "image-2"},
      {"manifest image + boot trailer", parts.manifest.size() + boot::trailer_size(manifest), manifest.size,
       "kiln-manifest-0"},
  };
  for (const auto& c : checks) {
    if (c.bytes > c.room) {
      host::fail("the " + std::string(c.what) + " (" + std::to_string(c.bytes) + " bytes) does not fit partition \"" +
                 c.label + "\" of board " + l.board + " (" + std::to_string(c.room) + " bytes)");
    }
  }
}

}  // namespace kiln::image
