# find_package(kiln) for a firmware project, straight from a kiln source tree:
#   cmake -S fw -B build -DCMAKE_TOOLCHAIN_FILE=<kiln>/cmake/toolchain-riscv.cmake \
#         -Dkiln_DIR=<kiln>/cmake -DKILN_HOST_TOOL=<kiln host build>/tools/cli/kiln
# gives
#   kiln::device     the freestanding device core, compiled for this project's
#                    toolchain (-march/-mabi) with the device charter flags
#   KILN_DEVICE_FLAGS  the charter flags, for the firmware's own sources
#   kiln_add_model() model embedding / AOT, op tables, identity, budgets
#   KILN_SOURCE_DIR, KILN_MODELS_DIR (the shipped models)
# The device core is built inside the firmware's build tree, not installed:
# one toolchain, one set of flags for firmware and runtime.
include_guard(GLOBAL)
get_filename_component(KILN_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(KILN_MODELS_DIR ${KILN_SOURCE_DIR}/testdata/models)
include(${KILN_SOURCE_DIR}/cmake/device_core.cmake)

if(NOT DEFINED KILN_DEVICE_ONLY)
  set(KILN_DEVICE_ONLY ON)  # no host tests inside a firmware project
endif()
if(NOT TARGET kiln_device)
  add_subdirectory(${KILN_SOURCE_DIR}/device ${CMAKE_BINARY_DIR}/kiln_device EXCLUDE_FROM_ALL)
endif()
if(NOT TARGET kiln::device)
  add_library(kiln::device ALIAS kiln_device)
endif()

# The host tool: given, or next to this tree's usual host builds.
if(NOT KILN_HOST_TOOL)
  find_program(KILN_HOST_TOOL_FOUND kiln NO_DEFAULT_PATH
    PATHS ${KILN_SOURCE_DIR}/build/release/tools/cli ${KILN_SOURCE_DIR}/build/sanitize/tools/cli)
  if(KILN_HOST_TOOL_FOUND)
    set(KILN_HOST_TOOL ${KILN_HOST_TOOL_FOUND} CACHE FILEPATH "host kiln tool" FORCE)
  endif()
endif()
include(${KILN_SOURCE_DIR}/cmake/kiln_add_model.cmake)
set(kiln_FOUND TRUE)
