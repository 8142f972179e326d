// SVDF glue. Inputs: input [batches, input_size], weights_feature
// [num_filters, input_size], weights_time [num_filters, memory_size], bias
// [num_units] (optional), activation_state [batches, num_filters ·
// memory_size] (a variable tensor: persistent, zeroed at init, updated in
// place). Output [batches, num_units], num_units = num_filters / rank.
//
// Variants as TFLite Micro runs them: float32; int8 input/feature weights/
// output with int8 or int16 time weights and state. The int8 paths ignore
// the fused activation (TFLite Micro does too; the output clamp is all).
#include "kiln/kernels/svdf.h"
#include "kiln/runtime/op_data/svdf.h"
#include "kiln/runtime/op_util.h"
#include "kiln/runtime/ops.h"

namespace kiln::runtime::ops {

namespace {

constexpr uint32_t kInput = 0, kWeightsFeature = 1, kWeightsTime = 2, kBias = 3, kState = 4;

Status check_dims(PrepareContext& ctx, const Tensor* t, int32_t d0, int32_t d1, const char* what) {
  const int32_t dims[2] = {d0, d1};
  return expect_shape(ctx, t, dims, 2, what);
}

Status plan_shape(PrepareContext& ctx, int32_t rank, kernels::SvdfShape* s) {
  const Tensor* in = ctx.input(kInput);
  const Tensor* wf = ctx.input(kWeightsFeature);
  const Tensor* wt = ctx.input(kWeightsTime);
  KILN_TRY(expect_rank(ctx, in, 2, "input"));
  KILN_TRY(expect_rank(ctx, wf, 2, "weights_feature"));
  KILN_TRY(expect_rank(ctx, wt, 2, "weights_time"));
  const int32_t batches = in->dims[0], input_size = in->dims[1];
  const int32_t filters = wf->dims[0], memory = wt->dims[1];
  if (rank <= 0 || batches <= 0 || input_size <= 0 || filters <= 0 || memory <= 0 || filters % rank != 0) {
    return ctx.fail(Status::kInvalidModel,
                    "rank %ld, batches %ld, input size %ld, %ld filters, memory %ld do not form an SVDF",
                    static_cast<long>(rank), static_cast<long>(batches), static_cast<long>(input_size),
                    static_cast<long>(filters), static_cast<long>(memory));
  }
  // The state's element count bounds batches · filters · memory (the model
  // reader checked its byte size), so none of the products below overflow.
  const int64_t state_len = static_cast<int64_t>(filters) * memory;
  KILN_TRY(expect_int32_extent(ctx, state_len, "activation state"));
  KILN_TRY(check_dims(ctx, wf, filters, input_size, "weights_feature"));
  KILN_TRY(check_dims(ctx, wt, filters, memory, "weights_time"));
  KILN_TRY(check_dims(ctx, ctx.input(kState), batches, static_cast<int32_t>(state_len), "activation state"));
  KILN_TRY(check_dims(ctx, ctx.output(0), batches, filters / rank, "output"));
  if (!ctx.input_info(kState).is_variable) {
    return ctx.fail(Status::kInvalidModel, "activation state must be a variable tensor");
  }
  s->batches = static_cast<uint32_t>(batches);
  s->input_size = static_cast<uint32_t>(input_size);
  s->num_filters = static_cast<uint32_t>(filters);
  s->memory_size = static_cast<uint32_t>(memory);
  s->rank = static_cast<uint32_t>(rank);
  return Status::kOk;
}

Status plan_types(PrepareContext& ctx, SvdfData* d) {
  using model::TensorType;
  const TensorType in = ctx.input(kInput)->type;
  const TensorType time = ctx.input(kWeightsTime)->type;
  if (in == TensorType::kFloat32 && time == TensorType::kFloat32) {
    d->kind = SvdfKind::kFloat;
  } else if (in == TensorType::kInt8 && (time == TensorType::kInt8 || time == TensorType::kInt16)) {
    d->kind = time == TensorType::kInt8 ? SvdfKind::kInt8State8 : SvdfKind::kInt8State16;
  } else {
    return ctx.fail(Status::kUnsupported,
                    "input %s with weights_time %s is not supported (float32, or int8 with int8/int16)",
                    model::tensor_type_name(in), model::tensor_type_name(time));
  }
  const TensorType narrow = in == TensorType::kFloat32 ? TensorType::kFloat32 : TensorType::kInt8;
  KILN_TRY(expect_type(ctx, ctx.input(kWeightsFeature), narrow, "weights_feature"));
  KILN_TRY(expect_type(ctx, ctx.input(kState), time, "activation state"));
  KILN_TRY(expect_type(ctx, ctx.output(0), narrow, "output"));
  const TensorType bias = in == TensorType::kFloat32 ? TensorType::kFloat32 : TensorType::kInt32;
  return expect_bias(ctx, ctx.input(kBias), bias, static_cast<int32_t>(d->shape.num_units()));
}

Status plan_quantized(PrepareContext& ctx, kernels::SvdfQuantParams* q) {
  float in_s = 0.0f, wf_s = 0.0f, wt_s = 0.0f, state_s = 0.0f, out_s = 0.0f;
  int32_t wf_zp = 0, wt_zp = 0;
  KILN_TRY(tensor_quant(ctx, ctx.input_info(kInput), "input", &in_s, &q->input_zero_point));
  KILN_TRY(tensor_quant(ctx, ctx.input_info(kWeightsFeature), "weights_feature", &wf_s, &wf_zp));
  KILN_TRY(tensor_quant(ctx, ctx.input_info(kWeightsTime), "weights_time", &wt_s, &wt_zp));
  KILN_TRY(tensor_quant(ctx, ctx.input_info(kState), "activation state", &state_s, &q->state_zero_point));
  KILN_TRY(tensor_quant(ctx, ctx.output_info(0), "output", &out_s, &q->output_zero_point));
  if (wf_zp != 0 || wt_zp != 0) return ctx.fail(Status::kUnsupported, "weight zero points must be 0");
  if (ctx.input(kBias) != nullptr) {
    float bias_s = 0.0f;
    int32_t bias_zp = 0;
    KILN_TRY(tensor_quant(ctx, ctx.input_info(kBias), "bias", &bias_s, &bias_zp));
    const double diff = static_cast<double>(bias_s) - static_cast<double>(state_s * wt_s);
    if (!(diff < 1e-5 && diff > -1e-5)) {
      return ctx.fail(Status::kInvalidModel, "bias scale %g is not state scale × weights_time scale (%g)",
                      static_cast<double>(bias_s), static_cast<double>(state_s * wt_s));
    }
  }
  // TFLite Micro forms both products in float32 before widening.
  KILN_TRY(checked_multiplier(ctx, static_cast<double>(in_s * wf_s / state_s), "feature", &q->feature_scale));
  KILN_TRY(checked_multiplier(ctx, static_cast<double>(state_s * wt_s / out_s), "output", &q->output_scale));
  return Status::kOk;
}

Status plan_scratch(PrepareContext& ctx, SvdfData* d) {
  const uint64_t count = d->kind == SvdfKind::kFloat ? static_cast<uint64_t>(d->shape.batches) * d->shape.num_filters
                                                     : static_cast<uint64_t>(d->shape.batches) *
                                                           (d->shape.num_filters + d->shape.num_units());
  KILN_TRY(expect_int32_extent(ctx, static_cast<int64_t>(count * 4), "scratch bytes"));
  return ctx.request_scratch(static_cast<size_t>(count * 4), &d->scratch);
}

Status prepare(PrepareContext& ctx) {
  if (ctx.input_count() != 5) {
    return ctx.fail(Status::kInvalidModel, "needs 5 inputs, has %lu", static_cast<unsigned long>(ctx.input_count()));
  }
  KILN_TRY(expect_io(ctx, 3, 1));
  if (ctx.input(kState) == nullptr) return ctx.fail(Status::kInvalidModel, "activation state is missing");
  KILN_TRY(expect_options(ctx, model::OptionsType::kSvdf));
  const int32_t rank = ctx.op().options.scalar<int32_t>(0, 0);
  const int8_t act = ctx.op().options.scalar<int8_t>(1, 0);
  auto* d = static_cast<SvdfData*>(ctx.allocate_persistent(sizeof(SvdfData), alignof(SvdfData)));
  if (d == nullptr) return Status::kArenaTooSmall;
  *d = SvdfData();
  KILN_TRY(plan_shape(ctx, rank, &d->shape));
  KILN_TRY(plan_types(ctx, d));
  if (d->kind == SvdfKind::kFloat) {
    if (act < 0 || act > static_cast<int8_t>(kernels::SvdfActivation::kSignBit)) {
      return ctx.fail(Status::kUnsupported, "fused activation %d is not supported", act);
    }
    d->activation = static_cast<kernels::SvdfActivation>(act);
  } else {
    KILN_TRY(plan_quantized(ctx, &d->quant));
  }
  KILN_TRY(plan_scratch(ctx, d));
  const kernels::SvdfShape& s = d->shape;
  ctx.set_macs(static_cast<uint64_t>(s.batches) * s.num_filters * (s.input_size + s.memory_size));
  ctx.set_op_data(d);
  return Status::kOk;
}

Status invoke(InvokeContext& ctx) {
  const auto& d = *static_cast<const SvdfData*>(ctx.op_data());
  const Tensor* in = ctx.input(kInput);
  const Tensor* wf = ctx.input(kWeightsFeature);
  const Tensor* wt = ctx.input(kWeightsTime);
  const Tensor* bias = ctx.input(kBias);
  Tensor* state = ctx.input(kState);
  Tensor* out = ctx.output(0);
  void* scratch = ctx.scratch(d.scratch);
  switch (d.kind) {
    case SvdfKind::kFloat:
      kernels::svdf_f32(d.shape, d.activation, in->as<float>(), wf->as<float>(), wt->as<float>(),
                        bias ? bias->as<float>() : nullptr, state->as<float>(), static_cast<float*>(scratch),
                        out->as<float>());
      break;
    case SvdfKind::kInt8State8:
      kernels::svdf_s8(d.shape, d.quant, in->as<int8_t>(), wf->as<int8_t>(), wt->as<int8_t>(),
                       bias ? bias->as<int32_t>() : nullptr, state->as<int8_t>(), static_cast<int32_t*>(scratch),
                       out->as<int8_t>());
      break;
    case SvdfKind::kInt8State16:
      kernels::svdf_s8_s16(d.shape, d.quant, in->as<int8_t>(), wf->as<int8_t>(), wt->as<int16_t>(),
                           bias ? bias->as<int32_t>() : nullptr, state->as<int16_t>(),
                           static_cast<int32_t*>(scratch), out->as<int8_t>());
      break;
  }
  return Status::kOk;
}

}  // namespace

const KernelRegistration& svdf() {
  static const KernelRegistration kReg{static_cast<int32_t>(model::BuiltinOp::kSvdf), prepare, invoke};
  return kReg;
}

}  // namespace kiln::runtime::ops
