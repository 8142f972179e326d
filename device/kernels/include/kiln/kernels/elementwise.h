// ADD, SUB, MUL with NumPy-style broadcasting, bit-exact with TFLite Micro's
// reference kernels (reference_ops::Add/Sub/Mul, BroadcastBinaryOpSimple and
// the integer_ops variants). One choice is left to the caller: how SUB forms
// its scale ratios (see make_sub_params_float_ratios).
//
// Prepare builds a BroadcastPlan and the quantized parameters once (the only
// place floating point is used for int8/int16); the element loops are pure
// integer arithmetic.
#pragma once
#include <stdint.h>

#include "kiln/kernels/clamp.h"

namespace kiln::kernels {

constexpr uint32_t kMaxBroadcastRank = 6;

// The loop nest of a broadcasting binary op, outermost dimension first.
// Strides are in elements; a stride of 0 repeats that input along the axis.
// Adjacent axes with the same broadcast pattern are merged, so a same-shape
// op is a single loop.
struct BroadcastPlan {
  uint32_t rank = 0;
  int32_t extent[kMaxBroadcastRank] = {};
  int32_t stride1[kMaxBroadcastRank] = {};
  int32_t stride2[kMaxBroadcastRank] = {};
  uint32_t elements = 0;  // output elements
};

// Right-aligns both input shapes against the output shape. Every output
// dimension must equal the input's or the input's must be 1 (or absent);
// returns false otherwise, or when a rank exceeds kMaxBroadcastRank.
bool make_broadcast_plan(const int32_t* dims1, uint32_t rank1, const int32_t* dims2, uint32_t rank2,
                         const int32_t* out_dims, uint32_t out_rank, BroadcastPlan* plan);

// Quantized ADD / SUB (TFLite ArithmeticParams): each input is rescaled to a
// common scale with `left_shift` bits of headroom, added, then rescaled.
struct AddSubParams {
  int32_t input1_offset = 0;  // −zero point
  int32_t input2_offset = 0;
  int32_t output_offset = 0;  // +zero point
  int32_t left_shift = 0;     // 20 for int8, 15 for int16
  int32_t input1_multiplier = 0, input1_shift = 0;
  int32_t input2_multiplier = 0, input2_shift = 0;
  int32_t output_multiplier = 0, output_shift = 0;
  int32_t act_min = 0, act_max = 0;
};

// Scale ratios formed in double: TFLM's CalculateOpDataAdd and TFLite's
// PrepareGeneralSubOp. Returns false when a scale is not positive or a
// ratio falls outside (0, 1).
bool make_add_sub_params(float scale1, int32_t zp1, float scale2, int32_t zp2, float out_scale,
                         int32_t out_zp, int32_t left_shift, AddSubParams* p);
// TFLM's CalculateOpDataSub forms the ratios in float before widening, which
// can change the last multiplier bits and, rarely, an output by one step (the
// seanet SUB goldens, made by TFLite, need the double form; TFLM's own seanet
// test accepts ±1 there).
bool make_sub_params_float_ratios(float scale1, int32_t zp1, float scale2, int32_t zp2,
                                  float out_scale, int32_t out_zp, int32_t left_shift,
                                  AddSubParams* p);

// Quantized MUL: out = clamp(mbqm((a + in1_offset)·(b + in2_offset)) + out_offset).
struct MulParams {
  int32_t input1_offset = 0;  // −zero point
  int32_t input2_offset = 0;
  int32_t output_offset = 0;
  int32_t multiplier = 0, shift = 0;  // in1_scale · in2_scale / out_scale
  int32_t act_min = 0, act_max = 0;
};
// Returns false when the product of scales needs a left shift above 31.
bool make_mul_params(float scale1, int32_t zp1, float scale2, int32_t zp2, float out_scale,
                     int32_t out_zp, MulParams* p);

struct FloatRange {
  float min = 0.0f;
  float max = 0.0f;
};

void add_int8(const BroadcastPlan& plan, const AddSubParams& p, const int8_t* a, const int8_t* b,
              int8_t* out);
void add_int16(const BroadcastPlan& plan, const AddSubParams& p, const int16_t* a, const int16_t* b,
               int16_t* out);
void add_float(const BroadcastPlan& plan, FloatRange act, const float* a, const float* b,
               float* out);

void sub_int8(const BroadcastPlan& plan, const AddSubParams& p, const int8_t* a, const int8_t* b,
              int8_t* out);
void sub_int16(const BroadcastPlan& plan, const AddSubParams& p, const int16_t* a, const int16_t* b,
               int16_t* out);
void sub_float(const BroadcastPlan& plan, FloatRange act, const float* a, const float* b,
               float* out);

void mul_int8(const BroadcastPlan& plan, const MulParams& p, const int8_t* a, const int8_t* b,
              int8_t* out);
void mul_int16(const BroadcastPlan& plan, const MulParams& p, const int16_t* a, const int16_t* b,
               int16_t* out);
void mul_float(const BroadcastPlan& plan, FloatRange act, const float* a, const float* b,
               float* out);

}  // namespace kiln::kernels
