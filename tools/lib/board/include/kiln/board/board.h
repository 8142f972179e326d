// A board as kiln derives it from its device tree (boards/<name>/board.dts,
// compiled with dtc and read with libfdt): the CPU's ISA and what the
// toolchain makes of it, memories, clock, budgets, and how to emulate it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/board/isa.h"

namespace kiln::board {

struct MemoryRegion {
  std::string node;   // device-tree node name, e.g. memory@80400000
  std::string kind;   // sram, dram or flash (kiln,kind)
  uint64_t base = 0;
  uint64_t size = 0;
};

struct Board {
  std::string name;        // folder name
  std::string source;      // the .dts/.dtb it came from
  std::string model;       // /model
  std::string compatible;  // first /compatible entry
  uint32_t cpu_count = 0;
  uint64_t clock_hz = 0;       // cpu clock-frequency
  uint64_t timebase_hz = 0;    // cpus/timebase-frequency
  Isa isa;
  Target target;
  std::vector<MemoryRegion> memories;
  MemoryRegion flash;          // kiln,flash: code + model (the flash budget)
  MemoryRegion ram;            // kiln,ram: data + arena + stack (the RAM budget)
  uint64_t stack_bytes = 0;    // kiln,stack-size
  uint64_t model_slot_bytes = 0;  // kiln,model-slot-size: RAM slot the agent loads models into
  uint64_t console_base = 0;   // kiln,console: ns16550 UART (0 if none)
  std::string qemu_system;     // kiln,qemu-system, empty if not emulated
  std::string qemu_machine;
  // RAM QEMU is started with: flash + ram regions from DRAM base, rounded up to
  // 2 MB, plus 2 MB where QEMU places its own device tree.
  uint64_t qemu_ram_bytes() const;
  bool emulated() const { return !qemu_system.empty(); }
};

// Reads a compiled device tree blob (bytes) as board `name`.
Board parse_board_blob(const std::string& name, const std::vector<uint8_t>& dtb, const std::string& source);
// NAME (a folder in the boards directory) or a path to a .dts or .dtb file.
// .dts files are compiled with dtc. Throws BoardError.
// A board's device tree as a flattened blob: boards/<name>/board.dts, or a
// .dts/.dtb path, compiled with dtc. Shared by the board and partition readers.
struct BoardTree {
  std::string name;
  std::string path;
  std::vector<uint8_t> blob;
};
BoardTree read_board_tree(const std::string& name_or_path);
Board load_board(const std::string& name_or_path);
// $KILN_BOARDS_DIR, else the source tree's boards/ folder.
std::string boards_dir();
std::vector<std::string> board_names();

}  // namespace kiln::board
