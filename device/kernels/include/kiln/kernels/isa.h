// The kernels' ISA HAL: which optimized variants this build compiles.
//
// The board's ISA string (boards/<name>/*.dts, riscv,isa) becomes -march and
// defines (target/firmware/board.cmake); the compiler then announces the
// extensions it may use (__riscv_zbb, ...). Selection is at build time only:
// one kernel interface, no run-time dispatch cost. Host builds use the
// portable code.
//
//   KILN_KERNELS_REFERENCE   public kernels run the reference loops (benchmarks)
//   KILN_ISA_V (+ KILN_RVV_VLEN, default 128)  RVV 1.0 dot products (inline asm)
//   KILN_ISA_XAI_MATMUL      vendor matmul unit: kiln_xai_matmul_4x1 (see below)
#pragma once
#include <stdint.h>

namespace kiln::kernels::isa {

#if defined(__riscv_zbb)
constexpr bool kZbb = true;
#else
constexpr bool kZbb = false;
#endif

#if defined(__riscv_zba)
constexpr bool kZba = true;
#else
constexpr bool kZba = false;
#endif

#if defined(KILN_ISA_V) && defined(__riscv)
constexpr bool kRvv = true;
#else
constexpr bool kRvv = false;
#endif

#if defined(KILN_ISA_XAI_MATMUL)
constexpr bool kVendorMatmul = true;
#else
constexpr bool kVendorMatmul = false;
#endif

// Name of the variant set compiled in, for reports ("portable", "zbb", "rvv").
const char* variant_name();

// Branch-free min/max: a single instruction with Zbb, a compare and a
// conditional move otherwise.
inline int32_t max_i32(int32_t a, int32_t b) {
#if defined(__riscv_zbb)
  int32_t r;
  __asm__("max %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  return a > b ? a : b;
#endif
}

inline int32_t min_i32(int32_t a, int32_t b) {
#if defined(__riscv_zbb)
  int32_t r;
  __asm__("min %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  return a < b ? a : b;
#endif
}

}  // namespace kiln::kernels::isa

// Vendor-extension hook. A board with a matrix unit ("xai-matmul" in its
// ISA string) defines KILN_ISA_XAI_MATMUL and links a function with this
// signature: four dot products of length n sharing x, weights rows w_stride
// apart, input offset applied to x; acc[j] += Σ w[j·w_stride + i]·(x[i] + offset).
// Declared weak: when no such function is linked its address is null and
// the portable code runs. It returns false to decline a call (e.g. unit busy or n too short), and the
// portable code then does the work: absence never changes the results.
extern "C" __attribute__((weak)) bool kiln_xai_matmul_4x1(const int8_t* x, const int8_t* w, int32_t w_stride, int32_t n,
                                   int32_t offset, int32_t* acc);
