// FULLY_CONNECTED int8, optimized (docs/kernels.md): 4 units per block share
// each loaded input (offset applied once per input, not per unit); there is
// no weight reuse to fold the offset into. Same bits as the reference.
#include "int8_fast.h"
#include "kiln/kernels/fully_connected.h"
#include "kiln/kernels/reference.h"

namespace kiln::kernels {

#if !defined(KILN_KERNELS_REFERENCE)
namespace {
constexpr int32_t kUnitsPerPoll = 64;  // as the reference: overshoot <= 64 units
}  // namespace
#endif

bool fully_connected_int8(const FullyConnectedShape& s, const RequantParams& q, const int8_t* input,
                          const int8_t* weights, const int32_t* bias, int8_t* output, const Poll& poll) {
#if !defined(KILN_KERNELS_REFERENCE)
  if (fast::multipliers_ok(q, s.units)) {
#if defined(KILN_ISA_V)
    fast::RvvRequant rq;
    fast::rvv_requant_init(rq, q);
    for (int32_t b = 0; b < s.batches; ++b) {
      const int8_t* x = input + b * s.accum_depth;
      int8_t* out = output + b * s.units;
      for (int32_t u = 0; u < s.units; u += 16) {
        if ((u % kUnitsPerPoll) == 0 && poll.should_stop()) return false;
        const int32_t vl = s.units - u < 16 ? s.units - u : 16;
        uint32_t acc[16];
        fast::mac_16x1_rvv(x, weights + u * s.accum_depth, s.accum_depth, s.accum_depth, q.input_offset, vl,
                           fast::rvv_init(bias, u), acc);
        fast::rvv_requant(rq, q, acc, u, vl, out + u);
      }
    }
    return true;
#endif
    const fast::Window win{1, s.accum_depth, 0, 0};
    for (int32_t b = 0; b < s.batches; ++b) {
      const int8_t* x = input + b * s.accum_depth;
      int8_t* out = output + b * s.units;
      for (int32_t u = 0; u < s.units; u += 4) {
        if ((u % kUnitsPerPoll) == 0 && poll.should_stop()) return false;
        // The last block ends at `units` (recomputing a few units); under
        // 4 units, one unit per block with its row repeated (stride 0).
        const bool small = s.units < 4;
        const int32_t first = small ? u : (u + 4 <= s.units ? u : s.units - 4);
        const int32_t count = small ? s.units - u : 4;
        for (int32_t k = 0; k < count; k += small ? 1 : 4) {
          const int32_t unit = first + k;
          uint32_t acc[4];
          for (int32_t j = 0; j < 4; ++j) {
            acc[j] = bias != nullptr ? static_cast<uint32_t>(bias[small ? unit : unit + j]) : 0u;
          }
          fast::mac_4x1_offset(x, weights + unit * s.accum_depth, small ? 0 : s.accum_depth, win,
                               q.input_offset, acc);
          const int32_t n = small ? 1 : 4;
          for (int32_t j = 0; j < n; ++j) {
            out[unit + j] = static_cast<int8_t>(fast::requantize(acc[j], fast::channel_requant(q, unit + j), q));
          }
        }
      }
    }
    return true;
  }
#endif
  return fully_connected_int8_reference(s, q, input, weights, bias, output, poll);
}

}  // namespace kiln::kernels
