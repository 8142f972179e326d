# CTest driver: configures and builds tests/target/budget_project for BOARD
# with MODEL; EXPECT is a regex the build output must match, FAIL=1 when the
# build must fail (the budget check), 0 when it must succeed.
#   cmake -DKILN_SOURCE= -DKILN_HOST_TOOL= -DMODEL= -DBOARD= -DWORK= -DEXPECT= -DFAIL= [-DMODE=aot] [-DBOARDS_DIR=] -P budget_test.cmake
if(NOT BOARDS_DIR)
  set(BOARDS_DIR ${KILN_SOURCE}/tests/target/boards)
endif()
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${KILN_SOURCE}/tests/target/budget_project -B ${WORK} -G Ninja
    -DCMAKE_TOOLCHAIN_FILE=${KILN_SOURCE}/cmake/toolchain-riscv.cmake -DKILN_MARCH=rv32imac -DKILN_MABI=ilp32
    -DKILN_SOURCE=${KILN_SOURCE} -DKILN_HOST_TOOL=${KILN_HOST_TOOL} -DMODEL=${MODEL} -DBOARD=${BOARD} -DMODE=${MODE}
    -DKILN_BOARDS_DIR=${BOARDS_DIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(FAIL AND rc EQUAL 0)
  message(FATAL_ERROR "the build succeeded but must fail the budget check")
endif()
if(NOT FAIL AND NOT rc EQUAL 0)
  message(FATAL_ERROR "the build failed but must pass the budget check")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "build output does not match: ${EXPECT}")
endif()
message("ok: ${EXPECT}")
