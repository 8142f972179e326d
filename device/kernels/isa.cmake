# The kernels' ISA HAL, build side: a board's ISA string (KILN_BOARD_MARCH,
# from its device tree) -> the defines that select kernel variants
# (device/kernels/include/kiln/kernels/isa.h). Zba/Zbb need no define: GCC
# announces them (__riscv_zbb) when they are in -march.
#   kiln_kernel_isa_defines(<out_var> <isa string> [VLEN <bits>])
function(kiln_kernel_isa_defines out_var isa)
  cmake_parse_arguments(arg "" "VLEN" "" ${ARGN})
  string(TOLOWER "${isa}" isa)
  set(defs)
  # Single-letter extensions come before the first '_' (rv32imacv_zba...).
  string(REGEX REPLACE "^rv(32|64)" "" letters "${isa}")
  string(REGEX REPLACE "_.*" "" letters "${letters}")
  if(letters MATCHES "v" OR isa MATCHES "_v(_|$)")
    if(NOT arg_VLEN)
      set(arg_VLEN 128)
    endif()
    list(APPEND defs KILN_ISA_V KILN_RVV_VLEN=${arg_VLEN})
  endif()
  if(isa MATCHES "_xai-?matmul")
    list(APPEND defs KILN_ISA_XAI_MATMUL)
  endif()
  set(${out_var} ${defs} PARENT_SCOPE)
endfunction()
