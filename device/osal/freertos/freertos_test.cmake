# FreeRTOS port test (osal_freertos_test): builds FreeRTOS-Kernel's POSIX
# simulator port with the kiln FreeRTOS OSAL port and runs the OSAL checks on
# real FreeRTOS tasks. Registered only with -DKILN_FREERTOS_DIR=<FreeRTOS-Kernel>.
set(KILN_FREERTOS_DIR "" CACHE PATH "FreeRTOS-Kernel source tree (enables osal_freertos_test)")
if(NOT KILN_FREERTOS_DIR)
  set(why "KILN_FREERTOS_DIR not set (FreeRTOS-Kernel is not a Debian package)")
  message(STATUS "kiln: osal_freertos_test SKIPPED: ${why}")
  # Shows up as "Skipped" in ctest, never as a pass.
  add_test(NAME osal_freertos_test COMMAND sh -c "echo 'osal_freertos_test SKIPPED: ${why}'; exit 77")
  set_tests_properties(osal_freertos_test PROPERTIES SKIP_RETURN_CODE 77)
  return()
endif()
if(NOT EXISTS ${KILN_FREERTOS_DIR}/tasks.c)
  message(FATAL_ERROR "KILN_FREERTOS_DIR=${KILN_FREERTOS_DIR} has no tasks.c: not a FreeRTOS-Kernel tree")
endif()
set(rtos ${KILN_FREERTOS_DIR})
add_library(kiln_freertos_posix STATIC
  ${rtos}/tasks.c ${rtos}/queue.c ${rtos}/list.c
  ${rtos}/portable/ThirdParty/GCC/Posix/port.c
  ${rtos}/portable/ThirdParty/GCC/Posix/utils/wait_for_event.c)
target_include_directories(kiln_freertos_posix PUBLIC
  ${rtos}/include ${rtos}/portable/ThirdParty/GCC/Posix ${rtos}/portable/ThirdParty/GCC/Posix/utils
  ${CMAKE_CURRENT_LIST_DIR}/test)
find_package(Threads REQUIRED)
target_link_libraries(kiln_freertos_posix PUBLIC Threads::Threads)

file(GLOB osal_common_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../*.cpp)
add_executable(osal_freertos_test
  ${CMAKE_CURRENT_LIST_DIR}/osal_freertos.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test/freertos_port_test.cpp
  ${PROJECT_SOURCE_DIR}/device/common/status.cpp
  ${osal_common_srcs})
target_include_directories(osal_freertos_test PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/include ${CMAKE_CURRENT_LIST_DIR}/../include ${PROJECT_SOURCE_DIR}/device/common/include)
target_compile_options(osal_freertos_test PRIVATE ${KILN_DEVICE_FLAGS})
target_link_libraries(osal_freertos_test PRIVATE kiln_freertos_posix)
add_test(NAME osal_freertos_test COMMAND osal_freertos_test)
message(STATUS "kiln: osal_freertos_test registered against ${KILN_FREERTOS_DIR}")
