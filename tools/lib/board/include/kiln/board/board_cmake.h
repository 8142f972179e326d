// A board as CMake variables (KILN_BOARD_*) for firmware builds: -march/-mabi,
// the linker's memory regions, stack and model-slot sizes, budgets.
#pragma once
#include <string>

#include "kiln/board/board.h"

namespace kiln::board {

std::string board_cmake(const Board& b);

}  // namespace kiln::board
