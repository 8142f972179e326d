#include "kiln/board/partitions.h"

#include <array>
#include <cstring>
#include <tuple>

#include "kiln/board/board.h"
#include "kiln/board/isa.h"

extern "C" {
#include <libfdt.h>
}

namespace kiln::board {

namespace {


std::string path_of(const void* fdt, int node) {
  std::array<char, 512> buf{};
  return fdt_get_path(fdt, node, buf.data(), static_cast<int>(buf.size())) == 0 ? buf.data() : "?";
}

std::string string_prop(const void* fdt, int node, const char* name) {
  int len = 0;
  const char* p = static_cast<const char*>(fdt_getprop(fdt, node, name, &len));
  if (p == nullptr || len <= 0) return "";
  return std::string(p, strnlen(p, static_cast<size_t>(len)));
}

uint64_t cells(const fdt32_t* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 32) | fdt32_to_cpu(p[i]);
  return v;
}

uint64_t number_prop(const void* fdt, int node, const char* name, const std::string& source) {
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &len));
  if (p == nullptr) throw BoardError(source + ": " + path_of(fdt, node) + " has no " + name);
  if (len != 4 && len != 8) throw BoardError(source + ": " + path_of(fdt, node) + "/" + name + " must be one or two cells");
  return cells(p, len / 4);
}

// (base, size) of a node's first reg entry, using its parent's cell counts.
std::pair<uint64_t, uint64_t> reg_of(const void* fdt, int node, const std::string& source) {
  const int parent = fdt_parent_offset(fdt, node);
  const int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
  if (p == nullptr || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 4 * (ac + sc)) {
    throw BoardError(source + ": " + path_of(fdt, node) + " has no valid reg");
  }
  return {cells(p, ac), cells(p + ac, sc)};
}

}  // namespace

const FlashPartition* FlashPartitions::find(const std::string& label) const {
  for (const FlashPartition& p : partitions) {
    if (p.label == label) return &p;
  }
  return nullptr;
}

const FlashPartition& FlashPartitions::get(const std::string& label) const {
  if (const FlashPartition* p = find(label)) return *p;
  throw BoardError(source + ": no partition labelled \"" + label + "\" in " + flash_node + "/partitions");
}

FlashPartitions parse_partitions_blob(const std::vector<uint8_t>& dtb, const std::string& source) {
  const void* fdt = dtb.data();
  if (dtb.size() < sizeof(fdt_header) || fdt_check_header(fdt) != 0 || fdt_totalsize(fdt) > dtb.size()) {
    throw BoardError(source + ": not a valid device tree blob");
  }
  const int k = fdt_node_offset_by_compatible(fdt, -1, "kiln,board");
  if (k < 0) throw BoardError(source + ": no node with compatible = \"kiln,board\"");
  const uint64_t phandle = number_prop(fdt, k, "kiln,flash", source);
  const int flash = fdt_node_offset_by_phandle(fdt, static_cast<uint32_t>(phandle));
  if (flash < 0) throw BoardError(source + ": kiln,flash points to no node");

  FlashPartitions out;
  out.source = source;
  out.flash_node = path_of(fdt, flash);
  std::tie(out.flash_base, out.flash_size) = reg_of(fdt, flash, source);
  int parts = -1, child = 0;
  fdt_for_each_subnode(child, fdt, flash) {
    if (fdt_node_check_compatible(fdt, child, "fixed-partitions") == 0) parts = child;
  }
  if (parts < 0) {
    throw BoardError(source + ": " + out.flash_node + " has no `partitions { compatible = \"fixed-partitions\"; }` node");
  }
  out.upgrade_mode = string_prop(fdt, parts, "kiln,upgrade-mode");
  if (out.upgrade_mode != "direct-xip" && out.upgrade_mode != "swap-scratch") {
    throw BoardError(source + ": " + path_of(fdt, parts) + "/kiln,upgrade-mode must be \"direct-xip\" or \"swap-scratch\"" +
                     (out.upgrade_mode.empty() ? "" : ", not \"" + out.upgrade_mode + "\""));
  }
  out.erase_block = number_prop(fdt, parts, "kiln,erase-block-size", source);
  out.write_block = number_prop(fdt, parts, "kiln,write-block-size", source);
  fdt_for_each_subnode(child, fdt, parts) {
    FlashPartition p;
    p.node = fdt_get_name(fdt, child, nullptr);
    p.label = string_prop(fdt, child, "label");
    if (p.label.empty()) throw BoardError(source + ": " + path_of(fdt, child) + " has no label");
    if (out.find(p.label) != nullptr) throw BoardError(source + ": two partitions are labelled \"" + p.label + "\"");
    std::tie(p.offset, p.size) = reg_of(fdt, child, source);
    p.read_only = fdt_getprop(fdt, child, "read-only", nullptr) != nullptr;
    if (p.offset > out.flash_size || p.size > out.flash_size - p.offset) {
      char buf[160];
      std::snprintf(buf, sizeof buf, " (0x%llx+0x%llx) lies outside the 0x%llx-byte flash",
                    static_cast<unsigned long long>(p.offset), static_cast<unsigned long long>(p.size),
                    static_cast<unsigned long long>(out.flash_size));
      throw BoardError(source + ": partition \"" + p.label + "\"" + buf);
    }
    out.partitions.push_back(p);
  }
  return out;
}

FlashPartitions load_partitions(const std::string& name_or_path) {
  const BoardTree tree = read_board_tree(name_or_path);
  return parse_partitions_blob(tree.blob, tree.path);
}

}  // namespace kiln::board
