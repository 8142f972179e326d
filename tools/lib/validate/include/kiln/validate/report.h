// The validation report in three forms: a terminal table, a JSON document and
// one self-contained HTML file (inline CSS and SVG, no scripts, opens from
// file://).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/validate/validate.h"

namespace kiln::validate {

nlohmann::json to_json(const ValidationReport& report);
std::string to_text(const ValidationReport& report);
std::string to_html(const ValidationReport& report);

}  // namespace kiln::validate
