#include "kiln/validate/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiln::validate {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string short_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string text(double x, double y, const std::string& s, const std::string& attrs = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" " + attrs + ">" + html_escape(s) + "</text>";
}

std::string rect(double x, double y, double w, double h, const std::string& fill, const std::string& title = "") {
  std::string r = "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(0.0, w)) + "\" height=\"" +
                  num(std::max(0.0, h)) + "\" fill=\"" + fill + "\"";
  if (title.empty()) return r + "/>";
  return r + "><title>" + html_escape(title) + "</title></rect>";
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string bar_chart_svg(const std::vector<Bar>& bars, const std::string& unit) {
  const double left = 50, top = 20, plot_h = 220, bottom = 130, step = bars.size() > 24 ? 24 : 44;
  const double width = left + 20 + step * static_cast<double>(std::max<size_t>(bars.size(), 1));
  double top_value = 1.0;
  for (const Bar& b : bars) {
    if (std::isfinite(b.value)) top_value = std::max(top_value, b.value);
  }
  // SQNR far above int8's ~50 dB (exact conversions) would flatten the rest.
  top_value = std::min(80.0, std::ceil(top_value / 10.0) * 10.0);
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
                  num(top + plot_h + bottom) + "\" class=\"plot\">";
  for (int k = 0; k <= 4; ++k) {
    const double v = top_value * k / 4.0, y = top + plot_h - plot_h * k / 4.0;
    s += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - 10) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) +
         "\" stroke=\"#ddd\"/>";
    s += text(left - 6, y + 4, short_num(v), "text-anchor=\"end\" class=\"tick\"");
  }
  s += text(12, top + plot_h / 2, unit, "transform=\"rotate(-90 12 " + num(top + plot_h / 2) + ")\" text-anchor=\"middle\" class=\"tick\"");
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const bool inf = std::isinf(b.value) && b.value > 0;
    const double v = inf ? top_value : std::min(top_value, std::max(0.0, std::isfinite(b.value) ? b.value : 0.0));
    const double h = plot_h * v / top_value, x = left + step * static_cast<double>(i) + 4;
    s += rect(x, top + plot_h - h, step - 8, h, b.highlight ? "#d62728" : (inf ? "#9ecae1" : "#3182bd"), b.tooltip);
    s += text(x + (step - 8) / 2, top + plot_h - h - 4, inf ? "inf" : short_num(b.value),
              "text-anchor=\"middle\" class=\"val\"");
    const double lx = x + (step - 8) / 2, ly = top + plot_h + 10;
    s += text(lx, ly, b.label, "transform=\"rotate(50 " + num(lx) + " " + num(ly) + ")\" class=\"tick\"" +
                                   std::string(b.highlight ? " style=\"font-weight:bold;fill:#d62728\"" : ""));
  }
  s += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - 10) + "\" y1=\"" + num(top + plot_h) + "\" y2=\"" +
       num(top + plot_h) + "\" stroke=\"#333\"/>";
  return s + "</svg>";
}

std::string confusion_svg(const ConfusionMatrix& m) {
  const double cell = m.classes > 20 ? 22 : 40, left = 60, top = 40;
  const double size = cell * static_cast<double>(m.classes);
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(left + size + 20) + "\" height=\"" +
                  num(top + size + 40) + "\" class=\"plot\">";
  s += text(left + size / 2, 14, "predicted class", "text-anchor=\"middle\" class=\"tick\"");
  s += text(14, top + size / 2, "true label", "transform=\"rotate(-90 14 " + num(top + size / 2) + ")\" text-anchor=\"middle\" class=\"tick\"");
  for (size_t a = 0; a < m.classes; ++a) {
    uint64_t row = 0;
    for (size_t b = 0; b < m.classes; ++b) row += m.at(a, b);
    s += text(left - 6, top + cell * (static_cast<double>(a) + 0.6), std::to_string(a), "text-anchor=\"end\" class=\"tick\"");
    s += text(left + cell * (static_cast<double>(a) + 0.5), top - 6, std::to_string(a), "text-anchor=\"middle\" class=\"tick\"");
    for (size_t b = 0; b < m.classes; ++b) {
      const uint64_t c = m.at(a, b);
      const double share = row > 0 ? static_cast<double>(c) / static_cast<double>(row) : 0.0;
      // Diagonal in blue, confusions in red, intensity = share of the row.
      const int shade = static_cast<int>(255 - 200 * std::sqrt(share));
      char fill[32];
      if (a == b) std::snprintf(fill, sizeof fill, "rgb(%d,%d,255)", shade, shade);
      else std::snprintf(fill, sizeof fill, "rgb(255,%d,%d)", shade, shade);
      const double x = left + cell * static_cast<double>(b), y = top + cell * static_cast<double>(a);
      s += rect(x, y, cell - 1, cell - 1, fill,
                "label " + std::to_string(a) + ", predicted " + std::to_string(b) + ": " + std::to_string(c));
      if (c > 0 && cell >= 30) {
        s += text(x + cell / 2, y + cell * 0.6, std::to_string(c),
                  std::string("text-anchor=\"middle\" class=\"cell\"") + (share > 0.5 ? " style=\"fill:#fff\"" : ""));
      }
    }
  }
  return s + "</svg>";
}

std::string histogram_svg(const Histogram& h, const std::string& x_title) {
  const double left = 60, top = 20, plot_w = 720, plot_h = 220;
  uint64_t most = 1;
  for (uint64_t c : h.counts) most = std::max(most, c);
  const double log_top = std::ceil(std::log10(static_cast<double>(most) + 1.0));
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(left + plot_w + 20) + "\" height=\"" +
                  num(top + plot_h + 50) + "\" class=\"plot\">";
  for (int k = 0; k <= static_cast<int>(log_top); ++k) {
    const double y = top + plot_h - plot_h * k / std::max(1.0, log_top);
    s += "<line x1=\"" + num(left) + "\" x2=\"" + num(left + plot_w) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) +
         "\" stroke=\"#ddd\"/>";
    s += text(left - 6, y + 4, "1e" + std::to_string(k), "text-anchor=\"end\" class=\"tick\"");
  }
  const double bw = plot_w / static_cast<double>(std::max<size_t>(h.counts.size(), 1));
  for (size_t i = 0; i < h.counts.size(); ++i) {
    const double v = std::log10(static_cast<double>(h.counts[i]) + 1.0) / std::max(1.0, log_top);
    const double lo = h.upper * static_cast<double>(i) / static_cast<double>(h.counts.size());
    const double hi = h.upper * static_cast<double>(i + 1) / static_cast<double>(h.counts.size());
    s += rect(left + bw * static_cast<double>(i) + 1, top + plot_h - plot_h * v, bw - 2, plot_h * v, "#31a354",
              "[" + short_num(lo) + ", " + short_num(hi) + "): " + std::to_string(h.counts[i]) + " values");
  }
  for (int k = 0; k <= 4; ++k) {
    const double x = left + plot_w * k / 4.0;
    s += text(x, top + plot_h + 16, short_num(h.upper * k / 4.0), "text-anchor=\"middle\" class=\"tick\"");
  }
  s += text(left + plot_w / 2, top + plot_h + 40, x_title, "text-anchor=\"middle\" class=\"tick\"");
  s += "<line x1=\"" + num(left) + "\" x2=\"" + num(left + plot_w) + "\" y1=\"" + num(top + plot_h) + "\" y2=\"" +
       num(top + plot_h) + "\" stroke=\"#333\"/>";
  return s + "</svg>";
}

}  // namespace kiln::validate
