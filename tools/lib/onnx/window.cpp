#include "window.h"

#include <algorithm>

#include "kiln/host/error.h"

namespace kiln::onnx {

WindowPlan plan_window(WindowAxis a, const std::string& auto_pad, bool ceil_mode, const std::string& where) {
  if (a.in < 1 || a.kernel < 1 || a.stride < 1 || a.dilation < 1 || a.pad_begin < 0 || a.pad_end < 0) {
    host::fail(where + ": bad window (input " + std::to_string(a.in) + ", kernel " + std::to_string(a.kernel) +
               ", stride " + std::to_string(a.stride) + ", dilation " + std::to_string(a.dilation) + ", pads " +
               std::to_string(a.pad_begin) + "/" + std::to_string(a.pad_end) + ")");
  }
  const int64_t span = (a.kernel - 1) * a.dilation + 1;
  if (auto_pad == "VALID") {
    a.pad_begin = a.pad_end = 0;
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    const int64_t out = (a.in + a.stride - 1) / a.stride;
    const int64_t total = std::max<int64_t>((out - 1) * a.stride + span - a.in, 0);
    a.pad_begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    a.pad_end = total - a.pad_begin;
  } else if (auto_pad != "NOTSET" && !auto_pad.empty()) {
    host::fail(where + ": auto_pad '" + auto_pad + "' is not supported");
  }
  const int64_t padded = a.in + a.pad_begin + a.pad_end - span;
  if (padded < 0) host::fail(where + ": the window is larger than the padded input");
  WindowPlan p;
  p.out = (ceil_mode ? (padded + a.stride - 1) / a.stride : padded / a.stride) + 1;
  // ONNX drops a ceil_mode window that would start in the end padding.
  if (ceil_mode && (p.out - 1) * a.stride >= a.in + a.pad_begin) --p.out;

  const int64_t valid_out = (a.in - span) / a.stride + 1;
  if (a.pad_begin == 0 && a.in >= span && p.out == valid_out) {
    p.fit = WindowFit::kValid;
    return p;
  }
  const int64_t same_out = (a.in + a.stride - 1) / a.stride;
  const int64_t same_total = std::max<int64_t>((same_out - 1) * a.stride + span - a.in, 0);
  if (p.out == same_out && a.pad_begin == same_total / 2) {
    p.fit = WindowFit::kSame;
    return p;
  }
  p.fit = WindowFit::kExplicit;
  p.pad_begin = a.pad_begin;
  p.pad_end = std::max<int64_t>((p.out - 1) * a.stride + span - a.in - a.pad_begin, 0);
  return p;
}

}  // namespace kiln::onnx
