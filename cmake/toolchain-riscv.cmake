# Bare-metal RISC-V with Debian's riscv64-unknown-elf-gcc and picolibc.
# There is no C++ library for this target, so C++ is compiled with the gcc
# driver and the device core may use C headers only.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(KILN_MARCH "rv32imac" CACHE STRING "-march for the device core")
set(KILN_MABI "ilp32" CACHE STRING "-mabi for the device core")
set(KILN_DEVICE_ONLY ON CACHE BOOL "" FORCE)

set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_CXX_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# _zicsr lets the device core read mcycle/minstret; linking must name the
# plain ISA so the multilib matcher finds picolibc (see docs/toolchain.md).
set(arch_flags "-march=${KILN_MARCH}_zicsr -mabi=${KILN_MABI} --specs=picolibc.specs")
set(CMAKE_C_FLAGS_INIT "${arch_flags}")
set(CMAKE_CXX_FLAGS_INIT "${arch_flags}")
# The compile flags (with --specs) are on the link line too; only the ISA
# string changes, and the last -march wins.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=${KILN_MARCH} -mabi=${KILN_MABI}")

