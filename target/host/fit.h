// Does a model fit a board? The arithmetic behind `kiln fit`, the bench's
// budget columns and (measured instead of estimated) the firmware build's
// post-link budget check (target/firmware/budget_check.cmake):
//   flash = firmware code + model (embedded, 16-byte aligned)
//   RAM   = arena (exact, from the planner) + stack (board) + static data
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/board/board.h"

namespace kiln::target {

// Firmware without a model, rv32imac GCC 12 -O2, all 24 operators linked:
// kiln_agent.elf's flash (.text + .rodata + .data image) measured at 121,402 B
// (target/firmware/budget_check.cmake), rounded up. Static data: the agent's
// .data + .bss without its model slot and stack, 3,416 B, rounded up.
constexpr uint64_t kFirmwareCodeEstimate = 124 * 1024;
constexpr uint64_t kStaticDataEstimate = 4 * 1024;

struct FitInput {
  uint64_t model_bytes = 0;
  uint64_t arena_bytes = 0;
  uint64_t code_bytes = kFirmwareCodeEstimate;
  uint64_t data_bytes = kStaticDataEstimate;
  std::string code_source = "estimate";  // or the ELF it was measured in
};

struct FitReport {
  std::string board;
  uint64_t flash_used = 0, flash_budget = 0;
  uint64_t ram_used = 0, ram_budget = 0;
  FitInput in;
  uint64_t stack_bytes = 0;
  bool flash_fits() const { return flash_used <= flash_budget; }
  bool ram_fits() const { return ram_used <= ram_budget; }
  bool fits() const { return flash_fits() && ram_fits(); }
  // "" when it fits; else names each overflow with its figures.
  std::string overflow_message() const;
  nlohmann::json to_json() const;
};

FitReport compute_fit(const board::Board& board, const FitInput& in);

}  // namespace kiln::target
