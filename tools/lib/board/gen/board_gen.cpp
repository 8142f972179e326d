// kiln-board-gen BOARD OUT.cmake: the board's derived values as CMake
// variables, for firmware cross builds (which cannot run the kiln binary).
#include <cstdio>
#include <fstream>

#include "kiln/board/board.h"
#include "kiln/board/board_cmake.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: kiln-board-gen BOARD|FILE.dts OUT.cmake\n");
    return 2;
  }
  try {
    const kiln::board::Board b = kiln::board::load_board(argv[1]);
    std::ofstream out(argv[2]);
    out << kiln::board::board_cmake(b);
    if (!out) throw kiln::board::BoardError(std::string("cannot write ") + argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiln-board-gen: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
