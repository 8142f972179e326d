// MEAN over any set of axes, bit-exact with TFLite Micro's reference kernels
// (reference_ops::Mean, QuantizedMeanOrSum).
#pragma once
#include <stdint.h>

namespace kiln::kernels {

constexpr uint32_t kMaxReduceRank = 6;

// Which input elements feed which output element: walking the input in
// row-major order, output index = Σ index[i] · out_stride[i].
struct ReducePlan {
  uint32_t rank = 0;
  int32_t dims[kMaxReduceRank] = {};        // input shape
  int32_t out_stride[kMaxReduceRank] = {};  // 0 on reduced axes
  uint32_t input_count = 0;
  uint32_t output_count = 0;
  int32_t reduce_count = 1;  // inputs averaged into each output (0 if empty)
};

// Resolves negative axes and duplicates as TFLite's ResolveAxis. Returns
// false for an axis outside [-rank, rank) or a rank above kMaxReduceRank.
bool make_reduce_plan(const int32_t* dims, uint32_t rank, const int32_t* axes, uint32_t axis_count,
                      ReducePlan* plan);

// Quantized mean: the 1/count factor is folded into the multiplier exactly
// as TFLite does it (including its precision trade-off for large counts).
struct MeanParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int32_t multiplier = 0, shift = 0;
};
// Returns false when in_scale / out_scale needs a left shift above 31.
bool make_mean_params(float in_scale, int32_t in_zp, float out_scale, int32_t out_zp,
                      int32_t reduce_count, MeanParams* p);

// `acc` is scratch for plan.output_count int32 sums.
void mean_int8(const ReducePlan& plan, const MeanParams& p, const int8_t* input, int32_t* acc,
               int8_t* output);
void mean_int16(const ReducePlan& plan, const MeanParams& p, const int16_t* input, int32_t* acc,
                int16_t* output);
// Sums in row-major input order in float, then divides by the count.
void mean_float(const ReducePlan& plan, const float* input, float* output);

}  // namespace kiln::kernels
