// RVV 1.0 variant of the 1x1-convolution / fully-connected dot products
// (compiled when the board's ISA has V: KILN_ISA_V; empty otherwise).
// GCC 12 cannot vectorize for V, so the loop is assembly, assembled with
// `.option arch, +v` while the rest of the file stays rv32imac.
#include "int8_fast.h"

#if defined(KILN_ISA_V) && defined(__riscv) && __riscv_xlen == 32
#if defined(KILN_RVV_VLEN) && KILN_RVV_VLEN < 128
#error "the RVV kernels need VLEN >= 128 (16 lanes of e16 at LMUL 2)"
#endif

// acc[j] += Σ_i w[j·w_stride + i]·(x[i] + offset), j < vl (vl <= 16):
// per input, one strided load gathers the weight of 16 output channels,
// vsext widens them to 16 bits and vwmacc.vx accumulates into 32-bit lanes:
// 8 instructions per 16 MACs at VLEN >= 128 (e16, LMUL 2; int32 LMUL 4).
// Sums are exact modulo 2^32 like the scalar kernels: same bits.
extern "C" void kiln_rvv_mac16(int32_t* acc, const int8_t* x, const int8_t* w, int32_t w_stride, int32_t n,
                               int32_t offset, int32_t vl, const int32_t* init);
__asm__(
    "  .section .text.kiln_rvv_mac16,\"ax\",@progbits\n"
    "  .globl kiln_rvv_mac16\n"
    "  .type kiln_rvv_mac16, @function\n"
    "  .p2align 2\n"
    "  .option push\n"
    "  .option arch, +v\n"
    "kiln_rvv_mac16:\n"
    "  vsetvli zero, a6, e16, m2, ta, ma\n"
    "  vle32.v v8, (a7)\n"
    "  beqz a4, 2f\n"
    "1:\n"
    "  lb t1, 0(a1)\n"
    "  vlse8.v v2, (a2), a3\n"
    "  addi a1, a1, 1\n"
    "  addi a2, a2, 1\n"
    "  add t1, t1, a5\n"
    "  vsext.vf2 v4, v2\n"
    "  vwmacc.vx v8, t1, v4\n"
    "  addi a4, a4, -1\n"
    "  bnez a4, 1b\n"
    "2:\n"
    "  vse32.v v8, (a0)\n"
    "  ret\n"
    "  .option pop\n"
    "  .size kiln_rvv_mac16, .-kiln_rvv_mac16\n"
    "  .text\n");

// Depthwise: acc[j] += Σ_taps w[tap][j]·(x[tap][j] + offset) for vl <= 16
// adjacent channels; taps = {rows, cols, x_row, x_col, w_row, w_col} (int32
// each, element strides). Per tap: two unit-stride loads, two sign
// extensions, the offset, one widening multiply-accumulate: 10 instructions
// per 16 MACs with the pointer steps.
extern "C" void kiln_rvv_dw16(int32_t* acc, const int8_t* x, const int8_t* w, const int32_t* taps,
                              int32_t offset, int32_t vl, const int32_t* init);
__asm__(
    "  .section .text.kiln_rvv_dw16,\"ax\",@progbits\n"
    "  .globl kiln_rvv_dw16\n"
    "  .type kiln_rvv_dw16, @function\n"
    "  .p2align 2\n"
    "  .option push\n"
    "  .option arch, +v\n"
    "kiln_rvv_dw16:\n"
    "  vsetvli zero, a5, e16, m2, ta, ma\n"
    "  vle32.v v8, (a6)\n"
    "  lw t0, 0(a3)\n  beqz t0, 3f\n"
    "  lw t1, 4(a3)\n  beqz t1, 3f\n"
    "  lw t2, 8(a3)\n  lw t3, 12(a3)\n  lw t4, 16(a3)\n  lw t5, 20(a3)\n"
    "1:\n"
    "  mv a6, a1\n  mv a7, a2\n  mv t6, t1\n"
    "2:\n"
    "  vle8.v v2, (a6)\n"
    "  vle8.v v3, (a7)\n"
    "  vsext.vf2 v4, v2\n"
    "  vsext.vf2 v6, v3\n"
    "  vadd.vx v4, v4, a4\n"
    "  vwmacc.vv v8, v4, v6\n"
    "  add a6, a6, t3\n  add a7, a7, t5\n  addi t6, t6, -1\n  bnez t6, 2b\n"
    "  add a1, a1, t2\n  add a2, a2, t4\n  addi t0, t0, -1\n  bnez t0, 1b\n"
    "3:\n"
    "  vse32.v v8, (a0)\n"
    "  ret\n"
    "  .option pop\n"
    "  .size kiln_rvv_dw16, .-kiln_rvv_dw16\n"
    "  .text\n");

// Depthwise with one input channel broadcast (in_ch 1): per tap one scalar
// input, one unit-stride weight vector: 9 instructions per 16 MACs.
extern "C" void kiln_rvv_dwb16(int32_t* acc, const int8_t* x, const int8_t* w, const int32_t* taps,
                               int32_t offset, int32_t vl, const int32_t* init);
__asm__(
    "  .section .text.kiln_rvv_dwb16,\"ax\",@progbits\n"
    "  .globl kiln_rvv_dwb16\n"
    "  .type kiln_rvv_dwb16, @function\n"
    "  .p2align 2\n"
    "  .option push\n"
    "  .option arch, +v\n"
    "kiln_rvv_dwb16:\n"
    "  vsetvli zero, a5, e16, m2, ta, ma\n"
    "  vle32.v v8, (a6)\n"
    "  lw t0, 0(a3)\n  beqz t0, 3f\n"
    "  lw t1, 4(a3)\n  beqz t1, 3f\n"
    "  lw t2, 8(a3)\n  lw t3, 12(a3)\n  lw t4, 16(a3)\n  lw t5, 20(a3)\n"
    "1:\n"
    "  mv a6, a1\n  mv a7, a2\n  mv t6, t1\n"
    "2:\n"
    "  lb a3, 0(a6)\n"
    "  vle8.v v2, (a7)\n"
    "  add a3, a3, a4\n"
    "  vsext.vf2 v4, v2\n"
    "  vwmacc.vx v8, a3, v4\n"
    "  add a6, a6, t3\n  add a7, a7, t5\n  addi t6, t6, -1\n  bnez t6, 2b\n"
    "  add a1, a1, t2\n  add a2, a2, t4\n  addi t0, t0, -1\n  bnez t0, 1b\n"
    "3:\n"
    "  vse32.v v8, (a0)\n"
    "  ret\n"
    "  .option pop\n"
    "  .size kiln_rvv_dwb16, .-kiln_rvv_dwb16\n"
    "  .text\n");

// Requantization of vl <= 16 accumulators, same bits as fast::requantize:
//   a    = acc << left                      vsll
//   high = floor((a·m + 2^30) / 2^31)       vsmul, vxrm = rnu (round-to-nearest-up:
//          exactly TFLite's doubling high multiply; its one saturating case,
//          m = INT32_MIN, is ruled out by multipliers_ok)
//   TFLite's rounding shift rounds ties away from zero, vssra (rnu) rounds
//   them up: for high < 0 and right > 0, shift high − 1 instead (saturating:
//   INT32_MIN − 1 would wrap, and INT32_MIN has no tie to break).
//   + output offset (wrapping), clamp, narrow to int8, store.
// mult: int32[vl], shift: int8[vl] (left = max(s, 0), right = max(−s, 0)),
// consts = {output_offset, act_min, act_max}.
extern "C" void kiln_rvv_requant16(const int32_t* acc, int8_t* out, const int32_t* mult, const int8_t* shift,
                                   const int32_t* consts, int32_t vl);
__asm__(
    "  .section .text.kiln_rvv_requant16,\"ax\",@progbits\n"
    "  .globl kiln_rvv_requant16\n"
    "  .type kiln_rvv_requant16, @function\n"
    "  .p2align 2\n"
    "  .option push\n"
    "  .option arch, +v\n"
    "kiln_rvv_requant16:\n"
    "  csrwi vxrm, 0\n"
    "  vsetvli zero, a5, e8, m1, ta, ma\n"
    "  vle8.v v4, (a3)\n"
    "  vsetvli zero, a5, e32, m4, ta, mu\n"
    "  vle32.v v8, (a0)\n"
    "  vle32.v v12, (a2)\n"
    "  vsext.vf4 v16, v4\n"
    "  vmax.vx v20, v16, zero\n"
    "  vsll.vv v8, v8, v20\n"
    "  vsmul.vv v8, v8, v12\n"
    "  vrsub.vx v16, v16, zero\n"
    "  vmax.vx v16, v16, zero\n"
    "  vmsgt.vi v0, v16, 0\n"
    "  vmslt.vx v1, v8, zero\n"
    "  vmand.mm v0, v0, v1\n"
    "  li t0, -1\n"
    "  vsadd.vx v8, v8, t0, v0.t\n"
    "  vssra.vv v8, v8, v16\n"
    "  lw t0, 0(a4)\n  lw t1, 4(a4)\n  lw t2, 8(a4)\n"
    "  vadd.vx v8, v8, t0\n"
    "  vmax.vx v8, v8, t1\n"
    "  vmin.vx v8, v8, t2\n"
    "  vsetvli zero, a5, e16, m2, ta, ma\n"
    "  vnsrl.wi v24, v8, 0\n"
    "  vsetvli zero, a5, e8, m1, ta, ma\n"
    "  vnsrl.wi v28, v24, 0\n"
    "  vse8.v v28, (a1)\n"
    "  ret\n"
    "  .option pop\n"
    "  .size kiln_rvv_requant16, .-kiln_rvv_requant16\n"
    "  .text\n");

namespace kiln::kernels::fast {

namespace {
// The vector unit is off at reset (mstatus.VS = Off: every V instruction
// traps). Bare-metal firmware runs in M-mode: switch it on before main.
// An RTOS running tasks in U-mode must do this in its start-up code instead
// (KILN_RVV_NO_AUTO_ENABLE).
#if !defined(KILN_RVV_NO_AUTO_ENABLE)
__attribute__((constructor)) void enable_vector_unit() {
  __asm__ volatile("csrs mstatus, %0" : : "r"(1u << 9));  // VS = Initial
}
#endif
}  // namespace

void mac_16x1_rvv(const int8_t* x, const int8_t* w, int32_t w_stride, int32_t n, int32_t offset, int32_t vl,
                  const int32_t* init, uint32_t* acc) {
  kiln_rvv_mac16(reinterpret_cast<int32_t*>(acc), x, w, w_stride, n, offset, vl, init);
}

void dw_16x1_rvv(const int8_t* x, const int8_t* w, const int32_t* taps, int32_t offset, int32_t vl,
                 const int32_t* init, uint32_t* acc) {
  kiln_rvv_dw16(reinterpret_cast<int32_t*>(acc), x, w, taps, offset, vl, init);
}

void dw_bcast_16x1_rvv(const int8_t* x, const int8_t* w, const int32_t* taps, int32_t offset, int32_t vl,
                       const int32_t* init, uint32_t* acc) {
  kiln_rvv_dwb16(reinterpret_cast<int32_t*>(acc), x, w, taps, offset, vl, init);
}

const int32_t* rvv_zeros() {
  static const int32_t kZeros[16] = {};
  return kZeros;
}

void rvv_requant_init(RvvRequant& r, const RequantParams& q) {
  r.consts[0] = q.output_offset;
  r.consts[1] = q.act_min;
  r.consts[2] = q.act_max;
  r.per_channel = q.channel_mask != 0;
  for (int32_t j = 0; j < 16; ++j) {
    r.mult_rep[j] = q.multipliers[0];
    r.shift_rep[j] = q.shifts[0];
  }
}

void rvv_requant(const RvvRequant& r, const RequantParams& q, const uint32_t* acc, int32_t c, int32_t vl,
                 int8_t* out) {
  const int32_t* m = r.per_channel ? q.multipliers + c : r.mult_rep;
  const int8_t* s = r.per_channel ? q.shifts + c : r.shift_rep;
  kiln_rvv_requant16(reinterpret_cast<const int32_t*>(acc), out, m, s, r.consts, vl);
}

}  // namespace kiln::kernels::fast

#endif
