// Inline SVG plots for the HTML report: plain markup, no scripts, so the
// report opens from file:// in any browser.
#pragma once
#include <string>
#include <vector>

#include "kiln/validate/metrics.h"

namespace kiln::validate {

// &, <, >, " and ' as entities: tensor and model names come from the model file.
std::string html_escape(const std::string& text);

struct Bar {
  std::string label;    // under the bar
  std::string tooltip;  // <title>
  double value = 0.0;   // may be +inf (drawn full height, labelled "inf")
  bool highlight = false;
};
// Vertical bars from 0 to max(values), y axis titled `unit`.
std::string bar_chart_svg(const std::vector<Bar>& bars, const std::string& unit);

// Cells shaded by count per row (recall), numbers printed; rows = labels.
std::string confusion_svg(const ConfusionMatrix& m);

// Counts on a log scale, x from 0 to h.upper.
std::string histogram_svg(const Histogram& h, const std::string& x_title);

}  // namespace kiln::validate
