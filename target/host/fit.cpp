#include "fit.h"

namespace kiln::target {

namespace {
uint64_t align16(uint64_t n) { return (n + 15) & ~uint64_t{15}; }
}  // namespace

FitReport compute_fit(const board::Board& board, const FitInput& in) {
  FitReport r;
  r.board = board.name;
  r.in = in;
  r.stack_bytes = board.stack_bytes;
  r.flash_budget = board.flash.size;
  r.ram_budget = board.ram.size;
  r.flash_used = in.code_bytes + align16(in.model_bytes);
  r.ram_used = in.arena_bytes + board.stack_bytes + in.data_bytes;
  return r;
}

std::string FitReport::overflow_message() const {
  std::string m;
  if (!flash_fits()) {
    m += board + ": flash overflow: code " + std::to_string(in.code_bytes) + " + model " +
         std::to_string(flash_used - in.code_bytes) + " = " + std::to_string(flash_used) + " bytes > budget " +
         std::to_string(flash_budget) + " (over by " + std::to_string(flash_used - flash_budget) + ")";
  }
  if (!ram_fits()) {
    m += std::string(m.empty() ? "" : "; ") + board + ": RAM overflow: arena " + std::to_string(in.arena_bytes) +
         " + stack " + std::to_string(stack_bytes) + " + data " + std::to_string(in.data_bytes) + " = " +
         std::to_string(ram_used) + " bytes > budget " + std::to_string(ram_budget) + " (over by " +
         std::to_string(ram_used - ram_budget) + ")";
  }
  return m;
}

nlohmann::json FitReport::to_json() const {
  return {{"board", board},
          {"fits", fits()},
          {"flash", {{"used", flash_used}, {"budget", flash_budget}, {"code", in.code_bytes},
                     {"code_source", in.code_source}, {"model", flash_used - in.code_bytes}, {"fits", flash_fits()}}},
          {"ram", {{"used", ram_used}, {"budget", ram_budget}, {"arena", in.arena_bytes}, {"stack", stack_bytes},
                   {"data", in.data_bytes}, {"fits", ram_fits()}}}};
}

}  // namespace kiln::target
