// What `kiln board show` prints, and the CMake fragment firmware builds use.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/board/board.h"

namespace kiln::board {

nlohmann::json board_json(const Board& b);
std::string board_text(const Board& b);

}  // namespace kiln::board
