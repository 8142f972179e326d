// Numbers as text: comma and/or whitespace separated, as the seanet CSVs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/scalar.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::host {

// Every number in `text`; integers stay exact. Throws on a malformed token.
std::vector<Scalar> parse_numbers(const std::string& text, const std::string& what);

std::vector<uint8_t> csv_to_tensor(const std::string& text, const TensorSpec& spec,
                                   const ConvertPolicy& policy, const std::string& what);

// One line, comma separated, newline-terminated; floats round-trip exactly.
std::string tensor_to_csv(const TensorSpec& spec, const std::vector<uint8_t>& data);

// Formats element `index` as text the way tensor_to_csv does.
std::string format_element(model::TensorType type, const uint8_t* data, size_t index);

}  // namespace kiln::host
