#include "int8_fast.h"

#if defined(__riscv) && __riscv_xlen == 32
// The 4x2 loop nest in assembly: GCC keeps all twelve loaded bytes live and
// spills accumulators (3.4 instructions per MAC); this loop loads each input
// once per 4 MACs and each weight once per 2: 24 lb + 32 mul + 32 add +
// 6 pointer steps + 1 branch per 32 MACs = 2.97 instructions per MAC, plus
// ~25 per window row. acc[0..3] += Σ w_j·x0, acc[4..7] += Σ w_j·x1,
// w_j = w + j·w_stride, over `rows` spans of n4 elements (n4 a positive
// multiple of 4, rows >= 1); advances x0, x1, w in *args row by row.
// Modular sums: same bits as the portable loop.
namespace {
struct Mac4x2Args {
  const int8_t* x0;      // 0
  const int8_t* x1;      // 4
  const int8_t* w;       // 8
  int32_t w_stride;      // 12
  int32_t n4;            // 16
  int32_t rows;          // 20
  int32_t x_row_stride;  // 24
  int32_t w_row_stride;  // 28
};
}  // namespace
extern "C" void kiln_mac4x2_rows_rv32(uint32_t* acc, Mac4x2Args* args);
#define KILN_STEP(o)                                                           \
  "  lb s2, " #o "(a2)\n  lb s3, " #o "(a3)\n"                               \
  "  lb s4, " #o "(a4)\n  mul s5, s4, s2\n  add t0, t0, s5\n  mul s5, s4, s3\n  add t4, t4, s5\n" \
  "  lb s4, " #o "(s0)\n  mul s5, s4, s2\n  add t1, t1, s5\n  mul s5, s4, s3\n  add t5, t5, s5\n" \
  "  lb s4, " #o "(s1)\n  mul s5, s4, s2\n  add t2, t2, s5\n  mul s5, s4, s3\n  add t6, t6, s5\n" \
  "  lb s4, " #o "(a5)\n  mul s5, s4, s2\n  add t3, t3, s5\n  mul s5, s4, s3\n  add a6, a6, s5\n"
__asm__(
    "  .section .text.kiln_mac4x2_rows_rv32,\"ax\",@progbits\n"
    "  .globl kiln_mac4x2_rows_rv32\n"
    "  .type kiln_mac4x2_rows_rv32, @function\n"
    "  .p2align 1\n"
    "kiln_mac4x2_rows_rv32:\n"
    "  addi sp, sp, -32\n  sw s0, 0(sp)\n  sw s1, 4(sp)\n  sw s2, 8(sp)\n  sw s3, 12(sp)\n  sw s4, 16(sp)\n"
    "  sw s5, 20(sp)\n"
    "  lw t0, 0(a0)\n  lw t1, 4(a0)\n  lw t2, 8(a0)\n  lw t3, 12(a0)\n"
    "  lw t4, 16(a0)\n  lw t5, 20(a0)\n  lw t6, 24(a0)\n  lw a6, 28(a0)\n"
    "2:\n"
    "  lw a2, 0(a1)\n  lw a3, 4(a1)\n  lw a4, 8(a1)\n  lw s5, 12(a1)\n  lw a7, 16(a1)\n"
    "  add s0, a4, s5\n  add s1, s0, s5\n  add a5, s1, s5\n  add a7, a2, a7\n"
    "1:\n" KILN_STEP(0) KILN_STEP(1) KILN_STEP(2) KILN_STEP(3)
    "  addi a2, a2, 4\n  addi a3, a3, 4\n  addi a4, a4, 4\n  addi s0, s0, 4\n  addi s1, s1, 4\n  addi a5, a5, 4\n"
    "  bne a2, a7, 1b\n"
    "  lw s2, 0(a1)\n  lw s3, 24(a1)\n  add s2, s2, s3\n  sw s2, 0(a1)\n"
    "  lw s2, 4(a1)\n  add s2, s2, s3\n  sw s2, 4(a1)\n"
    "  lw s2, 8(a1)\n  lw s3, 28(a1)\n  add s2, s2, s3\n  sw s2, 8(a1)\n"
    "  lw s2, 20(a1)\n  addi s2, s2, -1\n  sw s2, 20(a1)\n  bnez s2, 2b\n"
    "  sw t0, 0(a0)\n  sw t1, 4(a0)\n  sw t2, 8(a0)\n  sw t3, 12(a0)\n"
    "  sw t4, 16(a0)\n  sw t5, 20(a0)\n  sw t6, 24(a0)\n  sw a6, 28(a0)\n"
    "  lw s0, 0(sp)\n  lw s1, 4(sp)\n  lw s2, 8(sp)\n  lw s3, 12(sp)\n  lw s4, 16(sp)\n  lw s5, 20(sp)\n"
    "  addi sp, sp, 32\n  ret\n"
    "  .size kiln_mac4x2_rows_rv32, .-kiln_mac4x2_rows_rv32\n"
    "  .text\n");
#undef KILN_STEP
#endif

namespace kiln::kernels::fast {

namespace {
inline uint32_t mul(int32_t a, int32_t b) { return static_cast<uint32_t>(a * b); }
}  // namespace

namespace {

// Portable 4x2 loop over one span (host builds; the last n % 4 elements of
// each row on rv32).
void mac_4x2_portable(const int8_t* x0, const int8_t* x1, const int8_t* w, int32_t w_stride, int32_t n,
                      uint32_t* acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  uint32_t b0 = acc[4], b1 = acc[5], b2 = acc[6], b3 = acc[7];
  const int8_t* w1 = w + w_stride;
  const int8_t* w2 = w1 + w_stride;
  const int8_t* w3 = w2 + w_stride;
  for (; n >= 2; n -= 2, x0 += 2, x1 += 2, w += 2, w1 += 2, w2 += 2, w3 += 2) {
    int32_t u = x0[0], v = x1[0], k;
    k = w[0]; a0 += mul(k, u); b0 += mul(k, v);
    k = w1[0]; a1 += mul(k, u); b1 += mul(k, v);
    k = w2[0]; a2 += mul(k, u); b2 += mul(k, v);
    k = w3[0]; a3 += mul(k, u); b3 += mul(k, v);
    u = x0[1]; v = x1[1];
    k = w[1]; a0 += mul(k, u); b0 += mul(k, v);
    k = w1[1]; a1 += mul(k, u); b1 += mul(k, v);
    k = w2[1]; a2 += mul(k, u); b2 += mul(k, v);
    k = w3[1]; a3 += mul(k, u); b3 += mul(k, v);
  }
  if (n > 0) {
    const int32_t u = x0[0], v = x1[0];
    a0 += mul(w[0], u); b0 += mul(w[0], v);
    a1 += mul(w1[0], u); b1 += mul(w1[0], v);
    a2 += mul(w2[0], u); b2 += mul(w2[0], v);
    a3 += mul(w3[0], u); b3 += mul(w3[0], v);
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
  acc[4] = b0; acc[5] = b1; acc[6] = b2; acc[7] = b3;
}

}  // namespace

void mac_4x2(const int8_t* x0, const int8_t* x1, const int8_t* w, int32_t w_stride, const Window& win,
             uint32_t* acc) {
  int32_t done = 0;  // elements of each row already summed
#if defined(__riscv) && __riscv_xlen == 32
  if (win.rows > 0 && win.row_len >= 4) {
    Mac4x2Args args{x0, x1, w, w_stride, win.row_len & ~3, win.rows, win.x_row_stride, win.w_row_stride};
    kiln_mac4x2_rows_rv32(acc, &args);
    done = args.n4;
  }
#endif
  if (done == win.row_len) return;
  for (int32_t r = 0; r < win.rows; ++r) {
    mac_4x2_portable(x0 + r * win.x_row_stride + done, x1 + r * win.x_row_stride + done,
                     w + r * win.w_row_stride + done, w_stride, win.row_len - done, acc);
  }
}

void mac_4x2_span(const int8_t* x0, const int8_t* x1, const int8_t* w, int32_t w_stride, int32_t n,
                  uint32_t* acc) {
  mac_4x2(x0, x1, w, w_stride, Window{1, n, 0, 0}, acc);
}

__attribute__((noinline)) void mac_4x1_offset(const int8_t* x, const int8_t* w, int32_t w_stride,
                                              const Window& win, int32_t offset, uint32_t* acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int32_t r = 0; r < win.rows; ++r) {
    const int8_t* p = x + r * win.x_row_stride;
    const int8_t* w0 = w + r * win.w_row_stride;
#if defined(KILN_ISA_XAI_MATMUL)
    if (kiln_xai_matmul_4x1 != nullptr) {
      int32_t part[4] = {0, 0, 0, 0};
      if (kiln_xai_matmul_4x1(p, w0, w_stride, win.row_len, offset, part)) {
        a0 += static_cast<uint32_t>(part[0]); a1 += static_cast<uint32_t>(part[1]);
        a2 += static_cast<uint32_t>(part[2]); a3 += static_cast<uint32_t>(part[3]);
        continue;
      }
    }
#endif
    const int8_t* w1 = w0 + w_stride;
    const int8_t* w2 = w1 + w_stride;
    const int8_t* w3 = w2 + w_stride;
    int32_t n = win.row_len;
    for (; n >= 4; n -= 4, p += 4, w0 += 4, w1 += 4, w2 += 4, w3 += 4) {
      const int32_t u0 = p[0] + offset, u1 = p[1] + offset, u2 = p[2] + offset, u3 = p[3] + offset;
      a0 += mul(w0[0], u0) + mul(w0[1], u1) + mul(w0[2], u2) + mul(w0[3], u3);
      a1 += mul(w1[0], u0) + mul(w1[1], u1) + mul(w1[2], u2) + mul(w1[3], u3);
      a2 += mul(w2[0], u0) + mul(w2[1], u1) + mul(w2[2], u2) + mul(w2[3], u3);
      a3 += mul(w3[0], u0) + mul(w3[1], u1) + mul(w3[2], u2) + mul(w3[3], u3);
    }
    for (; n > 0; --n, ++p, ++w0, ++w1, ++w2, ++w3) {
      const int32_t u = p[0] + offset;
      a0 += mul(w0[0], u); a1 += mul(w1[0], u); a2 += mul(w2[0], u); a3 += mul(w3[0], u);
    }
  }
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

uint32_t sum_int8(const int8_t* w, int32_t n) {
  uint32_t s = 0;
  for (; n >= 4; n -= 4, w += 4) s += static_cast<uint32_t>(w[0] + w[1] + w[2] + w[3]);
  for (; n > 0; --n, ++w) s += static_cast<uint32_t>(w[0]);
  return s;
}

bool multipliers_ok(const RequantParams& q, int32_t channels) {
  const int32_t entries = q.channel_mask == 0 ? 1 : channels;
  for (int32_t c = 0; c < entries; ++c) {
    if (q.multipliers[static_cast<uint32_t>(c) & q.channel_mask] == INT32_MIN) return false;
  }
  return true;
}

const char* variant_name_impl() {
#if defined(KILN_KERNELS_REFERENCE)
  return "reference";
#elif defined(KILN_ISA_V)
  return "rvv";
#elif defined(__riscv_zbb)
  return "zbb";
#else
  return "portable";
#endif
}

}  // namespace kiln::kernels::fast

namespace kiln::kernels::isa {
const char* variant_name() { return fast::variant_name_impl(); }
}  // namespace kiln::kernels::isa
