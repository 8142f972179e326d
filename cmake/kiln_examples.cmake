# Cross builds: the standalone firmware example (examples/firmware_kws) is
# configured and built as its own project through find_package(kiln), exactly
# as a product would, with the host tool this build was given. The rv32imac
# build also builds it for every benchmark model in both modes: host tests
# (tests/build) run those firmwares on QEMU and the bench reads their figures.
include_guard(GLOBAL)
include(ExternalProject)

function(kiln_add_firmware_example)
  if(NOT KILN_MARCH STREQUAL "rv32imac")
    return()  # the example's board (qemu-virt-rv32) is rv32imac
  endif()
  if(NOT KILN_HOST_TOOL OR NOT EXISTS "${KILN_HOST_TOOL}")
    message(STATUS "kiln: examples/firmware_kws not built: KILN_HOST_TOOL (the host kiln) not given")
    return()
  endif()
  set(models "kws=${PROJECT_SOURCE_DIR}/testdata/models/mlperf-tiny/kws_ref_model_int8.tflite")
  set(modes interpreter)
  execute_process(COMMAND ${KILN_HOST_TOOL} compile --help RESULT_VARIABLE compile_rc OUTPUT_QUIET ERROR_QUIET)
  if(compile_rc EQUAL 0)
    list(APPEND modes aot)
  else()
    message(STATUS "kiln: examples/firmware_kws: the host tool has no `kiln compile`: interpreter mode only")
  endif()
  foreach(m hello_world_int8=tflm/hello_world_int8.tflite person_detect=tflm/person_detect.tflite
            micro_speech=tflm/micro_speech_quantized.tflite keyword_scrambled=tflm/keyword_scrambled_8bit.tflite
            ad01_int8=mlperf-tiny/ad01_int8.tflite)
    string(REPLACE "=" "=${PROJECT_SOURCE_DIR}/testdata/models/" m "${m}")
    list(APPEND models ${m})
  endforeach()
  string(REPLACE ";" "|" models_arg "${models}")
  string(REPLACE ";" "|" modes_arg "${modes}")
  ExternalProject_Add(firmware_kws_example
    SOURCE_DIR ${PROJECT_SOURCE_DIR}/examples/firmware_kws
    BINARY_DIR ${CMAKE_BINARY_DIR}/examples/firmware_kws
    LIST_SEPARATOR |
    CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchain-riscv.cmake
      -DKILN_MARCH=${KILN_MARCH} -DKILN_MABI=${KILN_MABI} -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
      -Dkiln_DIR=${PROJECT_SOURCE_DIR}/cmake -DKILN_HOST_TOOL=${KILN_HOST_TOOL}
      -DFW_MODELS=${models_arg} -DFW_MODES=${modes_arg} -DKILN_PROBE_ELF=${CMAKE_BINARY_DIR}/target/firmware/kiln_probe.elf
    DEPENDS kiln_probe
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON)
endfunction()
