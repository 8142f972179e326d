# kiln_read_board(NAME OK_VAR): reads boards/NAME/board.dts through
# kiln-board-gen (host-compiled from tools/lib/board with libfdt) and sets the
# KILN_BOARD_* variables in the caller. OK_VAR is false, with a message saying
# why, when the board cannot be read or does not match this cross build's
# -march/-mabi (its multilib). Boards come from KILN_BOARDS_DIR (default: the
# source tree's boards/), so tests can bring their own.
get_filename_component(KILN_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(KILN_BOARDS_DIR "${KILN_SOURCE_DIR}/boards" CACHE PATH "folder of boards/<name>/board.dts")
function(kiln_read_board name ok_var)
  set(${ok_var} FALSE PARENT_SCOPE)
  find_program(KILN_HOST_CXX NAMES c++ g++ clang++)
  set(src ${KILN_SOURCE_DIR}/tools/lib/board)
  set(gen ${CMAKE_BINARY_DIR}/kiln-board-gen)
  set(srcs ${src}/isa.cpp ${src}/board.cpp ${src}/board_cmake.cpp ${src}/gen/board_gen.cpp)
  set(stale FALSE)
  foreach(s ${srcs})
    if(NOT EXISTS ${gen} OR ${s} IS_NEWER_THAN ${gen})
      set(stale TRUE)
    endif()
  endforeach()
  if(stale)
    execute_process(COMMAND ${KILN_HOST_CXX} -std=c++17 -O1 -I${src}/include
        -DKILN_DEFAULT_BOARDS_DIR="${KILN_SOURCE_DIR}/boards" ${srcs} -lfdt -o ${gen}
      RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(WARNING "kiln: cannot build kiln-board-gen (needs a host C++ compiler and libfdt-dev): ${err}\n"
                      "kiln: the firmware agent is NOT built.")
      return()
    endif()
  endif()
  set(out ${CMAKE_BINARY_DIR}/board-${name}.cmake)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env KILN_BOARDS_DIR=${KILN_BOARDS_DIR} ${gen} ${name} ${out}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "kiln: board ${name}: ${err}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KILN_BOARDS_DIR}/${name}/board.dts)
  include(${out})
  if(NOT KILN_BOARD_MULTILIB_MARCH STREQUAL KILN_MARCH OR NOT KILN_BOARD_MABI STREQUAL KILN_MABI)
    message(STATUS "kiln: board ${name} needs ${KILN_BOARD_MULTILIB_MARCH}/${KILN_BOARD_MABI}; this build is "
                   "${KILN_MARCH}/${KILN_MABI}: its firmware agent is not built here")
    return()
  endif()
  if(KILN_BOARD_UNTARGETABLE)
    message(STATUS "kiln: board ${name}: extensions the toolchain cannot target: ${KILN_BOARD_UNTARGETABLE}")
  endif()
  foreach(v NAME XLEN MARCH MULTILIB_MARCH MABI UNTARGETABLE CLOCK_HZ FLASH_ORIGIN FLASH_SIZE RAM_ORIGIN RAM_SIZE
            STACK_SIZE MODEL_SLOT_SIZE CONSOLE_BASE QEMU_SYSTEM QEMU_RAM_BYTES)
    set(KILN_BOARD_${v} "${KILN_BOARD_${v}}" PARENT_SCOPE)
  endforeach()
  set(${ok_var} TRUE PARENT_SCOPE)
endfunction()
