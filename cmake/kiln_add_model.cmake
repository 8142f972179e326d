# kiln_add_model(<target> MODEL <file.tflite> [NAME <id>] [BOARD <board>])
#
# Interpreter mode: embeds MODEL in <target>'s read-only data (flash) as an
# aligned const array, and declares a static arena of exactly the bytes the
# planner needs (`kiln plan --json`, run at build time by the host tool
# KILN_HOST_TOOL), in a generated kiln_models/<id>_model.{h,cpp} that is
# regenerated only when the model (or the tool) changes. Firmware code:
#
#   #include "<id>_model.h"   // namespace kiln_model_<id>: model_data, model_size, arena, arena_size
#
# With BOARD (default: KILN_BOARD) <target> is also linked for that board and
# a post-link budget check reports flash (code + model) and RAM (arena + stack
# + data) against the board's budgets and fails naming the overflow. Issue 7
# (AOT, op tables, model identity) extends this function.
include_guard(GLOBAL)

get_filename_component(KILN_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(KILN_HOST_TOOL "" CACHE FILEPATH "host kiln tool (kiln plan --json gives the arena size at build time)")
include(${KILN_SOURCE_DIR}/target/firmware/board.cmake)

function(kiln_add_model target)
  cmake_parse_arguments(A "" "MODEL;NAME;BOARD" "" ${ARGN})
  if(NOT A_MODEL)
    message(FATAL_ERROR "kiln_add_model(${target}): MODEL <file.tflite> is required")
  endif()
  get_filename_component(model "${A_MODEL}" ABSOLUTE)
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "kiln_add_model(${target}): no model file ${model}")
  endif()
  if(NOT A_NAME)
    get_filename_component(A_NAME "${model}" NAME_WE)
  endif()
  string(MAKE_C_IDENTIFIER "${A_NAME}" id)
  if(NOT A_BOARD)
    set(A_BOARD "${KILN_BOARD}")
  endif()
  if(NOT KILN_HOST_TOOL OR NOT EXISTS "${KILN_HOST_TOOL}")
    message(FATAL_ERROR "kiln_add_model(${target}): needs the host kiln tool for the arena size: "
                        "configure with -DKILN_HOST_TOOL=<host build>/tools/cli/kiln (make cross does)")
  endif()

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/kiln_models)
  set(src ${dir}/${id}_model.cpp)
  set(hdr ${dir}/${id}_model.h)
  add_custom_command(OUTPUT ${src} ${hdr}
    COMMAND ${CMAKE_COMMAND} -DTOOL=${KILN_HOST_TOOL} -DMODEL=${model} -DID=${id} -DSRC=${src} -DHDR=${hdr}
      -P ${KILN_SOURCE_DIR}/cmake/kiln_embed_model.cmake
    DEPENDS ${model} ${KILN_HOST_TOOL} ${KILN_SOURCE_DIR}/cmake/kiln_embed_model.cmake
    COMMENT "kiln: embedding ${A_NAME} (${model}), arena from kiln plan"
    VERBATIM)
  target_sources(${target} PRIVATE ${src} ${hdr})
  target_include_directories(${target} PRIVATE ${dir})

  if(A_BOARD)
    kiln_link_for_board(${target} ${A_BOARD} MODEL_ID ${id})
  endif()
endfunction()

# Links <target> for <board>: memory regions from its device tree and the
# post-link budget check. The RAM region is given to the linker with room to
# spare so an oversized arena reaches the budget check, which names it; the
# stack still sits at the top of the board's real RAM.
function(kiln_link_for_board target board)
  cmake_parse_arguments(A "" "MODEL_ID" "" ${ARGN})
  kiln_read_board(${board} ok)
  if(NOT ok)
    message(FATAL_ERROR "kiln: ${target}: board ${board} cannot be used by this build (see above)")
  endif()
  math(EXPR stack_top "${KILN_BOARD_RAM_ORIGIN} + ${KILN_BOARD_RAM_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR stack_bottom "${stack_top} - ${KILN_BOARD_STACK_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  set(link_ram 0x10000000)  # 256 MB: the budget check, not the linker, judges RAM
  target_compile_definitions(${target} PRIVATE KILN_BOARD_NAME="${KILN_BOARD_NAME}"
    KILN_CONSOLE_BASE=${KILN_BOARD_CONSOLE_BASE})
  target_link_options(${target} PRIVATE --oslib=dummyhost -Wl,--gc-sections
    -Wl,--defsym=__flash=${KILN_BOARD_FLASH_ORIGIN} -Wl,--defsym=__flash_size=${KILN_BOARD_FLASH_SIZE}
    -Wl,--defsym=__ram=${KILN_BOARD_RAM_ORIGIN} -Wl,--defsym=__ram_size=${link_ram}
    -Wl,--defsym=__stack_size=${KILN_BOARD_STACK_SIZE} -Wl,--defsym=__stack=${stack_top}
    -Wl,--defsym=__heap_end=${stack_bottom})
  set_target_properties(${target} PROPERTIES SUFFIX ".elf")
  set(arena_sym "")
  if(A_MODEL_ID)
    set(arena_sym "kiln_model_${A_MODEL_ID}::arena")
  endif()
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DELF=$<TARGET_FILE:${target}> -DBOARD=${KILN_BOARD_NAME}
      -DFLASH=${KILN_BOARD_FLASH_SIZE} -DRAM=${KILN_BOARD_RAM_SIZE} -DSTACK=${KILN_BOARD_STACK_SIZE}
      -DARENA_SYMBOL=${arena_sym} -DMODEL_SYMBOL=$<$<BOOL:${A_MODEL_ID}>:kiln_model_${A_MODEL_ID}::model_data>
      -P ${KILN_SOURCE_DIR}/target/firmware/budget_check.cmake
    VERBATIM)
endfunction()
