// Maps an ONNX window (conv/pool kernel, stride, dilation, explicit pads,
// auto_pad, ceil_mode) along one spatial axis onto TFLite's SAME or VALID
// padding, or onto an explicit PAD followed by VALID.
#pragma once
#include <cstdint>
#include <string>

namespace kiln::onnx {

struct WindowAxis {
  int64_t in = 0, kernel = 0, stride = 1, dilation = 1;
  int64_t pad_begin = 0, pad_end = 0;
};

enum class WindowFit { kSame, kValid, kExplicit };

struct WindowPlan {
  int64_t out = 0;        // ONNX output size
  WindowFit fit = WindowFit::kValid;
  int64_t pad_begin = 0;  // for kExplicit: PAD amounts before a VALID window
  int64_t pad_end = 0;
};

// `auto_pad` is NOTSET, VALID, SAME_UPPER or SAME_LOWER (pads from the
// attribute are ignored unless NOTSET). Fails with `where` on bad values.
WindowPlan plan_window(WindowAxis a, const std::string& auto_pad, bool ceil_mode, const std::string& where);

}  // namespace kiln::onnx
