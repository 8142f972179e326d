# CTest driver: a firmware project using kiln_add_model (tests/target/
# budget_project) is built, then its model is touched:
#  1. `ninja -n` plans the generator and only the files that include or are
#     the generated sources, never anything else;
#  2. the real rebuild re-runs the generator, which leaves its unchanged
#     outputs alone, so nothing is recompiled or relinked;
#  3. a changed model regenerates and recompiles the model's sources.
#   cmake -DKILN_SOURCE= -DKILN_HOST_TOOL= -DMODEL= -DOTHER_MODEL= -DWORK= -P incremental_test.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(model ${WORK}/net.tflite)
file(COPY_FILE ${MODEL} ${model})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${KILN_SOURCE}/tests/target/budget_project -B ${WORK}/b -G Ninja
    -DCMAKE_TOOLCHAIN_FILE=${KILN_SOURCE}/cmake/toolchain-riscv.cmake -DKILN_MARCH=rv32imac -DKILN_MABI=ilp32
    -DKILN_SOURCE=${KILN_SOURCE} -DKILN_HOST_TOOL=${KILN_HOST_TOOL} -DMODEL=${model} -DBOARD=tiny-64k
    -DKILN_BOARDS_DIR=${KILN_SOURCE}/tests/target/boards
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}\n${err}")
endif()

function(ninja label out_var)
  execute_process(COMMAND ninja -C ${WORK}/b ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message("--- ${label}:\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${label} failed")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

ninja("first build" out)
if(NOT out MATCHES "kiln: embedding net")
  message(FATAL_ERROR "the first build did not run kiln embed")
endif()
ninja("no-op build" out)
if(NOT out MATCHES "ninja: no work to do")
  message(FATAL_ERROR "a second build with nothing changed did work")
endif()

# 1. Touched model: the dry run plans the generator and the model's dependents only.
execute_process(COMMAND ${CMAKE_COMMAND} -E touch ${model})
ninja("dry run after touching the model" out -n)
if(NOT out MATCHES "kiln: embedding net")
  message(FATAL_ERROR "touching the model does not re-run kiln embed")
endif()
string(REGEX MATCHALL "Building CXX object [^\n]+" compiles "${out}")
foreach(c ${compiles})
  if(NOT c MATCHES "(net_model\\.cpp|main\\.cpp)\\.obj")
    message(FATAL_ERROR "touching the model would rebuild something that does not depend on it: ${c}")
  endif()
endforeach()

# 2. Real rebuild: same bytes, so the generated files are not rewritten.
ninja("rebuild after touching the model" out)
if(out MATCHES "Building CXX object" OR out MATCHES "Linking CXX")
  message(FATAL_ERROR "touching the model (same bytes) recompiled or relinked the firmware")
endif()

# 3. Another model in the same file: the model's sources regenerate and recompile.
file(COPY_FILE ${OTHER_MODEL} ${model})
execute_process(COMMAND ${CMAKE_COMMAND} -E touch ${model})
ninja("rebuild after changing the model" out)
if(NOT out MATCHES "net_model\\.cpp\\.obj")
  message(FATAL_ERROR "a changed model did not recompile its embedded sources")
endif()
message("ok: only the model's dependents rebuild")
