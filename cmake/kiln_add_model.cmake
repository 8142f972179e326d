# kiln_add_model(<target> MODEL <file.tflite> [NAME <id>] [BOARD <board>]
#                [MODE interpreter|aot] [VERSION <v>])
#
# One build for firmware and model. At build time the host tool
# (KILN_HOST_TOOL) checks the model (it verifies, every operator is
# supported) and generates, in <binary dir>/kiln_models:
#   <id>_identity.h  constexpr identity: kSha256, kVersion, kOpSetFingerprint,
#                    kOpSetBitmap, kRuntimeAbi (both modes)
#   <id>_model.h     namespace kiln_model_<id>: arena, arena_size (constexpr);
#                    interpreter mode also model_data, model_size and
#                    op_resolver() holding ONLY the kernels the model uses
#   <id>_aot.h/...   AOT mode: `kiln compile` output (namespace kiln_aot_<id>)
# Generated files are rewritten only when their contents change: touching
# the model re-runs the generator, recompiling nothing that did not change.
#
# With BOARD (default: KILN_BOARD) <target> is linked for that board and a
# post-link budget check reports flash (code + model or weights) and RAM
# (arena + stack + data) against the board's budgets, failing the build with
# both figures when the firmware does not fit.
include_guard(GLOBAL)

get_filename_component(KILN_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(KILN_HOST_TOOL "" CACHE FILEPATH "host kiln tool (kiln embed / kiln compile run at build time)")
include(${KILN_SOURCE_DIR}/target/firmware/board.cmake)

function(kiln_add_model target)
  cmake_parse_arguments(A "" "MODEL;NAME;BOARD;MODE;VERSION" "" ${ARGN})
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
  if(NOT A_MODE)
    set(A_MODE interpreter)
  endif()
  if(NOT A_MODE MATCHES "^(interpreter|aot)$")
    message(FATAL_ERROR "kiln_add_model(${target}): MODE ${A_MODE}: must be interpreter or aot")
  endif()
  if(NOT A_BOARD)
    set(A_BOARD "${KILN_BOARD}")
  endif()
  if(NOT KILN_HOST_TOOL OR NOT EXISTS "${KILN_HOST_TOOL}")
    message(FATAL_ERROR "kiln_add_model(${target}): needs the host kiln tool: configure with "
                        "-DKILN_HOST_TOOL=<host build>/tools/cli/kiln (make cross does)")
  endif()
  set(version_arg "")
  if(A_VERSION)
    set(version_arg --version "${A_VERSION}")
  endif()

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/kiln_models/${target})
  set(gen ${dir}/${id}_identity.h ${dir}/${id}_model.h ${dir}/${id}_model.cpp)
  set(aot_code "")
  if(A_MODE STREQUAL "aot")
    set(aot_code ${dir}/${id}_aot.cpp)
    add_custom_command(OUTPUT ${dir}/${id}_aot.h ${aot_code} ${dir}/${id}_aot_weights.cpp
      COMMAND ${KILN_HOST_TOOL} compile ${model} -o ${dir} --name ${id}
      DEPENDS ${model} ${KILN_HOST_TOOL}
      COMMENT "kiln: compiling ${A_NAME} ahead of time (${model})"
      VERBATIM)
  endif()
  set(aot_header "")
  if(A_MODE STREQUAL "aot")
    set(aot_header ${dir}/${id}_aot.h)  # <id>_model.h includes it
  endif()
  # Interpreter mode: the arena holds pointer-sized tables, so it is sized by
  # the rv32 probe on QEMU when this build has one (exact), else by the host
  # planner (64-bit tables: an upper bound).
  set(probe_arg "")
  set(probe_dep "")
  if(A_MODE STREQUAL "interpreter")
    if(TARGET kiln_probe)
      set(probe_arg --probe $<TARGET_FILE:kiln_probe>)
      set(probe_dep kiln_probe)
    elseif(KILN_PROBE_ELF AND EXISTS "${KILN_PROBE_ELF}")
      set(probe_arg --probe ${KILN_PROBE_ELF})
      set(probe_dep ${KILN_PROBE_ELF})
    endif()
  endif()
  add_custom_command(OUTPUT ${gen}
    COMMAND ${KILN_HOST_TOOL} embed ${model} -o ${dir} --name ${id} --mode ${A_MODE} ${version_arg} ${probe_arg}
    DEPENDS ${model} ${KILN_HOST_TOOL} ${aot_header} ${probe_dep}
    COMMENT "kiln: embedding ${A_NAME} (${model}), ${A_MODE} mode"
    VERBATIM)
  # The generated sources include the device core's headers (op_resolver.h,
  # status.h) even when the target does not link kiln_device itself.
  file(GLOB device_includes LIST_DIRECTORIES true ${KILN_SOURCE_DIR}/device/*/include)
  target_sources(${target} PRIVATE ${gen} ${aot_code})
  target_include_directories(${target} PRIVATE ${dir} ${device_includes})
  set(weights "")
  if(A_MODE STREQUAL "aot")
    # The weights compile on their own (target's options) so the budget
    # check can measure them: flash = code + weights.
    set(weights_lib ${target}_${id}_weights)
    add_library(${weights_lib} OBJECT ${dir}/${id}_aot_weights.cpp)
    target_include_directories(${weights_lib} PRIVATE ${dir} ${device_includes})
    get_target_property(opts ${target} COMPILE_OPTIONS)
    if(opts)
      target_compile_options(${weights_lib} PRIVATE ${opts})
    endif()
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${weights_lib}>)
    set(weights WEIGHTS_OBJECTS $<TARGET_OBJECTS:${weights_lib}>)
  endif()

  if(A_BOARD)
    kiln_link_for_board(${target} ${A_BOARD} MODEL_ID ${id} MODE ${A_MODE} ${weights})
  endif()
endfunction()

# Links <target> for <board>: memory regions from its device tree and the
# post-link budget check. The RAM region is given to the linker with room to
# spare so an oversized arena reaches the budget check, which names it; the
# stack still sits at the top of the board's real RAM.
function(kiln_link_for_board target board)
  cmake_parse_arguments(A "" "MODEL_ID;MODE" "WEIGHTS_OBJECTS" ${ARGN})
  kiln_read_board(${board} ok)
  if(NOT ok)
    message(FATAL_ERROR "kiln: ${target}: board ${board} cannot be used by this build (see above)")
  endif()
  math(EXPR stack_top "${KILN_BOARD_RAM_ORIGIN} + ${KILN_BOARD_RAM_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  math(EXPR stack_bottom "${stack_top} - ${KILN_BOARD_STACK_SIZE}" OUTPUT_FORMAT HEXADECIMAL)
  set(link_ram 0x10000000)  # 256 MB: the budget check, not the linker, judges RAM
  # Flash likewise, up to where RAM starts (when it lies above flash).
  set(link_flash ${KILN_BOARD_FLASH_SIZE})
  if(KILN_BOARD_RAM_ORIGIN GREATER KILN_BOARD_FLASH_ORIGIN)
    math(EXPR link_flash "${KILN_BOARD_RAM_ORIGIN} - ${KILN_BOARD_FLASH_ORIGIN}" OUTPUT_FORMAT HEXADECIMAL)
  endif()
  target_compile_definitions(${target} PRIVATE KILN_BOARD_NAME="${KILN_BOARD_NAME}"
    KILN_CONSOLE_BASE=${KILN_BOARD_CONSOLE_BASE})
  target_link_options(${target} PRIVATE --oslib=dummyhost -Wl,--gc-sections
    -Wl,--defsym=__flash=${KILN_BOARD_FLASH_ORIGIN} -Wl,--defsym=__flash_size=${link_flash}
    -Wl,--defsym=__ram=${KILN_BOARD_RAM_ORIGIN} -Wl,--defsym=__ram_size=${link_ram}
    -Wl,--defsym=__stack_size=${KILN_BOARD_STACK_SIZE} -Wl,--defsym=__stack=${stack_top}
    -Wl,--defsym=__heap_end=${stack_bottom})
  set_target_properties(${target} PROPERTIES SUFFIX ".elf")
  set(arena_sym "")
  set(model_sym "")
  if(A_MODEL_ID)
    set(arena_sym "kiln_model_${A_MODEL_ID}::arena")
    if(NOT A_MODE STREQUAL "aot")
      set(model_sym "kiln_model_${A_MODEL_ID}::model_data")
    endif()
  endif()
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DELF=$<TARGET_FILE:${target}> -DBOARD=${KILN_BOARD_NAME}
      -DFLASH=${KILN_BOARD_FLASH_SIZE} -DRAM=${KILN_BOARD_RAM_SIZE} -DSTACK=${KILN_BOARD_STACK_SIZE}
      -DARENA_SYMBOL=${arena_sym} -DMODEL_SYMBOL=${model_sym}
      "-DWEIGHTS_OBJECTS=${A_WEIGHTS_OBJECTS}"
      -P ${KILN_SOURCE_DIR}/target/firmware/budget_check.cmake
    VERBATIM)
endfunction()
