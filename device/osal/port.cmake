# OSAL port selection, included by device/CMakeLists.txt after kiln_device is
# defined. Exactly one port's sources and port_types.h join the device core:
#   posix    - host builds (default), needs pthreads
#   none     - bare-metal builds without an RTOS (default for cross builds)
#   freertos - FreeRTOS-Kernel; set KILN_FREERTOS_DIR (and a FreeRTOSConfig.h)
#   zephyr   - built by Zephyr's own build (see zephyr/CMakeLists.txt), not here
if(KILN_DEVICE_ONLY)
  set(kiln_osal_default none)
else()
  set(kiln_osal_default posix)
endif()
set(KILN_OSAL_PORT ${kiln_osal_default} CACHE STRING "OSAL port: posix, none, freertos")
set_property(CACHE KILN_OSAL_PORT PROPERTY STRINGS posix none freertos)
if(NOT KILN_OSAL_PORT MATCHES "^(posix|none)$")
  message(FATAL_ERROR "KILN_OSAL_PORT=${KILN_OSAL_PORT}: kiln_device is built with posix or none here; "
                      "the FreeRTOS port is built by device/osal/freertos (KILN_FREERTOS_DIR), "
                      "the Zephyr port by Zephyr's build (zephyr/module.yml)")
endif()

set(kiln_osal_port_dir ${CMAKE_CURRENT_LIST_DIR}/${KILN_OSAL_PORT})
file(GLOB kiln_osal_port_srcs CONFIGURE_DEPENDS ${kiln_osal_port_dir}/*.cpp)
target_sources(kiln_device PRIVATE ${kiln_osal_port_srcs})
target_include_directories(kiln_device PUBLIC ${kiln_osal_port_dir}/include)
if(KILN_OSAL_PORT STREQUAL "posix")
  find_package(Threads REQUIRED)
  target_link_libraries(kiln_device PUBLIC Threads::Threads)
endif()
message(STATUS "kiln: OSAL port ${KILN_OSAL_PORT}")

# FreeRTOS port test: only with a FreeRTOS-Kernel source tree (not a Debian
# package, so CI normally skips it and says so).
if(NOT KILN_DEVICE_ONLY)
  include(${CMAKE_CURRENT_LIST_DIR}/freertos/freertos_test.cmake)
endif()
