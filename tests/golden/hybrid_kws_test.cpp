// kws_ref_model_float32 is "hybrid": float activations, int8 conv weights.
// TFLM refuses it; kiln dequantizes the weights at prepare time. There is no
// TFLM golden, so kiln's output is checked against an independent, plain
// double-precision evaluation of the same graph written here.
//
// (Its int8 sibling is no oracle: on the random-noise golden inputs the two
// models genuinely pick different keywords.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "model_runner.h"

namespace kiln::testing {
namespace {

using Values = std::vector<double>;

class DoubleReference {
 public:
  explicit DoubleReference(const model::Model& m) : m_(m) {}

  Values run(Values x) const {
    for (uint32_t i = 0; i < m_.operator_count(); ++i) {
      const model::OperatorView op = m_.op(i);
      switch (static_cast<model::BuiltinOp>(op.builtin_code)) {
        case model::BuiltinOp::kConv2d: x = conv(x, op, false); break;
        case model::BuiltinOp::kDepthwiseConv2d: x = conv(x, op, true); break;
        case model::BuiltinOp::kAveragePool2d: x = global_average(x, op); break;
        case model::BuiltinOp::kReshape: break;
        case model::BuiltinOp::kFullyConnected: x = fully_connected(x, op); break;
        case model::BuiltinOp::kSoftmax: x = softmax(x, op.options.scalar<float>(0, 1.0f)); break;
        default: ADD_FAILURE() << "reference lacks op " << op.builtin_code;
      }
    }
    return x;
  }

 private:
  // Weights as real values: float as stored, int8 times its channel scale.
  Values constant(int32_t t) const {
    const model::TensorView v = m_.tensor(t);
    const model::BufferView b = m_.tensor_data(t);
    const uint32_t n = v.element_count();
    Values out(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (v.type == model::TensorType::kFloat32) {
        float f;
        std::memcpy(&f, b.data + 4 * i, 4);
        out[i] = f;
      } else {
        const uint32_t channels = v.quant.scale.size();
        const uint32_t c = channels > 1 ? i / (n / channels) : 0;  // axis 0
        out[i] = static_cast<int8_t>(b.data[i]) * static_cast<double>(v.quant.scale[c]);
      }
    }
    return out;
  }
  int32_t dim(int32_t t, uint32_t d) const { return m_.tensor(t).shape[d]; }
  static double activate(double v, int act) {
    if (act == 1) return std::max(0.0, v);
    if (act == 3) return std::clamp(v, 0.0, 6.0);
    return v;
  }

  Values conv(const Values& in, const model::OperatorView& op, bool depthwise) const {
    const int32_t it = op.inputs[0], wt = op.inputs[1], ot = op.outputs[0];
    const Values w = constant(wt), bias = constant(op.inputs[2]);
    const bool same = op.options.scalar<int8_t>(0, 0) == 0;
    const int sw = op.options.scalar<int32_t>(1, 1), sh = op.options.scalar<int32_t>(2, 1);
    const int act = op.options.scalar<int8_t>(depthwise ? 4 : 3, 0);
    const int H = dim(it, 1), W = dim(it, 2), C = dim(it, 3), FH = dim(wt, 1), FW = dim(wt, 2);
    const int OH = dim(ot, 1), OW = dim(ot, 2), OC = dim(ot, 3);
    const int ph = same ? std::max(0, ((OH - 1) * sh + FH - H) / 2) : 0;
    const int pw = same ? std::max(0, ((OW - 1) * sw + FW - W) / 2) : 0;
    Values out(static_cast<size_t>(OH) * OW * OC);
    for (int oy = 0; oy < OH; ++oy)
      for (int ox = 0; ox < OW; ++ox)
        for (int oc = 0; oc < OC; ++oc) {
          double s = bias[oc];
          for (int fy = 0; fy < FH; ++fy)
            for (int fx = 0; fx < FW; ++fx) {
              const int iy = oy * sh - ph + fy, ix = ox * sw - pw + fx;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              if (depthwise) {
                s += in[(iy * W + ix) * C + oc / (OC / C)] * w[(fy * FW + fx) * OC + oc];
              } else {
                for (int ic = 0; ic < C; ++ic) s += in[(iy * W + ix) * C + ic] * w[((oc * FH + fy) * FW + fx) * C + ic];
              }
            }
          out[(oy * OW + ox) * OC + oc] = activate(s, act);
        }
    return out;
  }

  Values global_average(const Values& in, const model::OperatorView& op) const {
    const int n = dim(op.inputs[0], 1) * dim(op.inputs[0], 2), C = dim(op.inputs[0], 3);
    EXPECT_EQ(dim(op.outputs[0], 1) * dim(op.outputs[0], 2), 1) << "reference pools globally only";
    Values out(C, 0.0);
    for (int p = 0; p < n; ++p)
      for (int c = 0; c < C; ++c) out[c] += in[p * C + c] / n;
    return out;
  }

  Values fully_connected(const Values& in, const model::OperatorView& op) const {
    const Values w = constant(op.inputs[1]), bias = constant(op.inputs[2]);
    const size_t units = bias.size(), depth = in.size();
    Values out(units);
    for (size_t u = 0; u < units; ++u) {
      double s = bias[u];
      for (size_t d = 0; d < depth; ++d) s += w[u * depth + d] * in[d];
      out[u] = activate(s, op.options.scalar<int8_t>(0, 0));
    }
    return out;
  }

  static Values softmax(Values x, double beta) {
    const double top = *std::max_element(x.begin(), x.end());
    double sum = 0;
    for (double& v : x) sum += (v = std::exp(beta * (v - top)));
    for (double& v : x) v /= sum;
    return x;
  }

  const model::Model& m_;
};

TEST(HybridKws, MatchesDoublePrecisionEvaluationOfTheSameGraph) {
  auto int8 = ModelRunner::from_file(testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite"));
  auto fp32 = ModelRunner::from_file(testdata_path("models/mlperf-tiny/kws_ref_model_float32.tflite"));
  ASSERT_EQ(fp32->status(), Status::kOk) << fp32->message();
  ASSERT_EQ(int8->status(), Status::kOk) << int8->message();
  // Conv weights really are int8 here (the hybrid case TFLM rejects).
  EXPECT_EQ(fp32->model().tensor(fp32->model().op(0).inputs[1]).type, model::TensorType::kInt8);
  const model::TensorView in_info = int8->model().tensor(int8->model().inputs()[0]);
  const DoubleReference reference(fp32->model());
  for (int k = 0; k < 5; ++k) {
    // The golden int8 inputs, dequantized with the int8 model's input scale.
    const auto q = read_file(testdata_path("models/golden/kws_ref_model_int8/input_" + std::to_string(k) + ".bin"));
    std::vector<float> x(q.size());
    for (size_t i = 0; i < q.size(); ++i) {
      x[i] = static_cast<float>((static_cast<int8_t>(q[i]) - in_info.quant.zero_point[0]) * in_info.quant.scale[0]);
    }
    std::vector<uint8_t> bytes(x.size() * 4);
    std::memcpy(bytes.data(), x.data(), bytes.size());
    ASSERT_TRUE(fp32->set_input(0, bytes));
    ASSERT_EQ(fp32->invoke(), Status::kOk) << fp32->message();
    const Values want = reference.run(Values(x.begin(), x.end()));
    std::vector<float> got(want.size());
    ASSERT_EQ(fp32->output_bytes(0).size(), got.size() * 4);
    std::memcpy(got.data(), fp32->output_bytes(0).data(), got.size() * 4);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5) << "input " << k << " class " << i;
  }
}

}  // namespace
}  // namespace kiln::testing
