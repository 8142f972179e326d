#include "kiln/board/board.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

extern "C" {
#include <libfdt.h>
}

namespace kiln::board {

namespace {

namespace fs = std::filesystem;

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class Fdt {
 public:
  Fdt(const std::vector<uint8_t>& blob, const std::string& source) : blob_(blob), source_(source) {
    if (blob_.size() < sizeof(fdt_header) || fdt_check_header(blob_.data()) != 0 ||
        fdt_totalsize(blob_.data()) > blob_.size()) {
      throw BoardError(source_ + ": not a valid device tree blob");
    }
  }
  const void* fdt() const { return blob_.data(); }

  const void* prop(int node, const char* name, int* len) const {
    const void* p = fdt_getprop(fdt(), node, name, len);
    if (p == nullptr) *len = 0;
    return p;
  }
  bool has(int node, const char* name) const {
    int len = 0;
    return prop(node, name, &len) != nullptr;
  }
  std::string str(int node, const char* name) const {
    int len = 0;
    const char* p = static_cast<const char*>(prop(node, name, &len));
    if (p == nullptr || len <= 0) return "";
    return std::string(p, strnlen(p, static_cast<size_t>(len)));
  }
  std::vector<std::string> strings(int node, const char* name) const {
    int len = 0;
    const char* p = static_cast<const char*>(prop(node, name, &len));
    std::vector<std::string> out;
    for (int pos = 0; p != nullptr && pos < len;) {
      const size_t n = strnlen(p + pos, static_cast<size_t>(len - pos));
      if (pos + static_cast<int>(n) >= len) throw BoardError(source_ + ": " + path(node) + "/" + name + " is not a string list");
      out.emplace_back(p + pos, n);
      pos += static_cast<int>(n) + 1;
    }
    return out;
  }
  // A one- or two-cell number.
  uint64_t number(int node, const char* name, uint64_t fallback) const {
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(prop(node, name, &len));
    if (p == nullptr) return fallback;
    if (len == 4) return fdt32_to_cpu(p[0]);
    if (len == 8) return (static_cast<uint64_t>(fdt32_to_cpu(p[0])) << 32) | fdt32_to_cpu(p[1]);
    throw BoardError(source_ + ": " + path(node) + "/" + name + " must be one or two cells");
  }
  uint64_t required(int node, const char* name) const {
    if (!has(node, name)) throw BoardError(source_ + ": " + path(node) + " has no " + name);
    return number(node, name, 0);
  }
  std::string path(int node) const {
    std::array<char, 512> buf{};
    if (fdt_get_path(fdt(), node, buf.data(), static_cast<int>(buf.size())) != 0) return "?";
    return buf.data();
  }
  std::string name(int node) const {
    const char* n = fdt_get_name(fdt(), node, nullptr);
    return n ? n : "";
  }
  // First (base, size) of `reg`, using the parent's #address-cells/#size-cells.
  std::pair<uint64_t, uint64_t> reg(int node) const {
    const int parent = fdt_parent_offset(fdt(), node);
    const int ac = fdt_address_cells(fdt(), parent), sc = fdt_size_cells(fdt(), parent);
    int len = 0;
    const auto* p = static_cast<const fdt32_t*>(prop(node, "reg", &len));
    if (p == nullptr || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < 4 * (ac + sc)) {
      throw BoardError(source_ + ": " + path(node) + " has no valid reg");
    }
    auto cells = [&](int at, int n) {
      uint64_t v = 0;
      for (int i = 0; i < n; ++i) v = (v << 32) | fdt32_to_cpu(p[at + i]);
      return v;
    };
    return {cells(0, ac), cells(ac, sc)};
  }
  int by_phandle(int node, const char* name) const {
    const uint64_t ph = required(node, name);
    const int target = fdt_node_offset_by_phandle(fdt(), static_cast<uint32_t>(ph));
    if (target < 0) throw BoardError(source_ + ": " + path(node) + "/" + name + " points to no node");
    return target;
  }
  const std::string& source() const { return source_; }

 private:
  const std::vector<uint8_t>& blob_;
  std::string source_;
};

MemoryRegion region_of(const Fdt& t, int node) {
  MemoryRegion r;
  r.node = t.name(node);
  r.kind = t.str(node, "kiln,kind");
  if (r.kind.empty()) r.kind = t.str(node, "device_type") == "memory" ? "dram" : "sram";
  const auto [base, size] = t.reg(node);
  r.base = base;
  r.size = size;
  if (size == 0) throw BoardError(t.source() + ": " + t.path(node) + " has size 0");
  return r;
}

void read_cpus(const Fdt& t, Board& b) {
  const int cpus = fdt_path_offset(t.fdt(), "/cpus");
  if (cpus < 0) throw BoardError(t.source() + ": no /cpus node");
  b.timebase_hz = t.number(cpus, "timebase-frequency", 0);
  bool first = true;
  int child = 0;
  fdt_for_each_subnode(child, t.fdt(), cpus) {
    if (t.str(child, "device_type") != "cpu") continue;
    Isa isa;
    const std::string where = t.path(child);
    try {
      if (t.has(child, "riscv,isa-base")) {
        isa = parse_isa(t.str(child, "riscv,isa-base"), t.strings(child, "riscv,isa-extensions"));
      } else if (t.has(child, "riscv,isa")) {
        isa = parse_isa_string(t.str(child, "riscv,isa"));
      } else {
        throw BoardError("no riscv,isa-base/riscv,isa-extensions nor riscv,isa");
      }
    } catch (const BoardError& e) {
      throw BoardError(t.source() + ": " + where + ": " + e.what());
    }
    const uint64_t clock = t.number(child, "clock-frequency", 0);
    if (first) {
      b.isa = isa;
      b.clock_hz = clock;
      first = false;
    } else if (isa.to_string() != b.isa.to_string()) {
      throw BoardError(t.source() + ": " + where + " has ISA " + isa.to_string() + ", unlike the first CPU's " +
                       b.isa.to_string() + " (kiln targets one ISA per board)");
    }
    ++b.cpu_count;
  }
  if (first) throw BoardError(t.source() + ": /cpus has no cpu node");
  if (b.clock_hz == 0) throw BoardError(t.source() + ": the cpu node has no clock-frequency");
}

}  // namespace

uint64_t Board::qemu_ram_bytes() const {
  constexpr uint64_t k2M = 2u << 20;
  const uint64_t lo = std::min(flash.base, ram.base);
  const uint64_t hi = std::max(flash.base + flash.size, ram.base + ram.size);
  return (hi - lo + k2M - 1) / k2M * k2M + k2M;
}

Board parse_board_blob(const std::string& name, const std::vector<uint8_t>& dtb, const std::string& source) {
  const Fdt t(dtb, source);
  Board b;
  b.name = name;
  b.source = source;
  b.model = t.str(0, "model");
  b.compatible = t.str(0, "compatible");
  read_cpus(t, b);
  b.target = derive_target(b.isa);
  int node = 0;
  fdt_for_each_subnode(node, t.fdt(), 0) {
    if (t.str(node, "device_type") == "memory" || t.has(node, "kiln,kind")) b.memories.push_back(region_of(t, node));
  }
  const int k = fdt_node_offset_by_compatible(t.fdt(), -1, "kiln,board");
  if (k < 0) throw BoardError(source + ": no node with compatible = \"kiln,board\"");
  b.flash = region_of(t, t.by_phandle(k, "kiln,flash"));
  b.ram = region_of(t, t.by_phandle(k, "kiln,ram"));
  b.stack_bytes = t.required(k, "kiln,stack-size");
  b.model_slot_bytes = t.required(k, "kiln,model-slot-size");
  if (t.has(k, "kiln,console")) b.console_base = t.reg(t.by_phandle(k, "kiln,console")).first;
  b.qemu_system = t.str(k, "kiln,qemu-system");
  b.qemu_machine = t.str(k, "kiln,qemu-machine");
  if (b.stack_bytes + b.model_slot_bytes >= b.ram.size) {
    throw BoardError(source + ": stack (" + hex(b.stack_bytes) + ") + model slot (" + hex(b.model_slot_bytes) +
                     ") leave no RAM in " + b.ram.node + " (" + hex(b.ram.size) + ")");
  }
  if (b.isa.xlen == 32 && (b.flash.base + b.flash.size > (1ull << 32) || b.ram.base + b.ram.size > (1ull << 32))) {
    throw BoardError(source + ": a memory region lies beyond the 32-bit address space");
  }
  return b;
}

std::string boards_dir() {
  if (const char* env = std::getenv("KILN_BOARDS_DIR"); env != nullptr && *env) return env;
#ifdef KILN_DEFAULT_BOARDS_DIR
  return KILN_DEFAULT_BOARDS_DIR;
#else
  return "boards";
#endif
}

std::vector<std::string> board_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(boards_dir(), ec)) {
    if (fs::exists(e.path() / "board.dts")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

BoardTree read_board_tree(const std::string& name_or_path) {
  BoardTree tree;
  fs::path path = name_or_path;
  const std::string ext = path.extension().string();
  // boards/<name>/board.dts is named after its folder, any other file after its stem.
  tree.name = path.stem() == "board" && path.has_parent_path() ? path.parent_path().filename().string()
                                                               : path.stem().string();
  if (ext != ".dts" && ext != ".dtb") {
    path = fs::path(boards_dir()) / name_or_path / "board.dts";
    tree.name = name_or_path;
    if (!fs::exists(path)) {
      std::string known;
      for (const std::string& n : board_names()) known += (known.empty() ? "" : ", ") + n;
      throw BoardError("unknown board '" + name_or_path + "' (boards in " + boards_dir() + ": " + known + ")");
    }
  }
  tree.path = path.string();
  if (path.extension() == ".dtb") {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BoardError("cannot read " + path.string());
    tree.blob.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    if (!fs::exists(path)) throw BoardError("cannot read " + path.string());
    // dtc reports syntax errors on stderr, which the user sees.
    const std::string cmd = "dtc -q -I dts -O dtb -o - '" + path.string() + "'";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) throw BoardError("cannot run dtc (install device-tree-compiler)");
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) tree.blob.insert(tree.blob.end(), buf.data(), buf.data() + n);
    const int status = pclose(pipe);
    if (status != 0 || tree.blob.empty()) {
      throw BoardError("dtc failed on " + path.string() + (status == 32512 ? " (dtc not installed: apt install device-tree-compiler)" : ""));
    }
  }
  return tree;
}

Board load_board(const std::string& name_or_path) {
  const BoardTree tree = read_board_tree(name_or_path);
  return parse_board_blob(tree.name, tree.blob, tree.path);
}

}  // namespace kiln::board
