// One numeric value on its way between a file and a tensor, and the rules for
// storing it: exact conversions always, rounding only when asked for.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "kiln/model/schema.h"

namespace kiln::host {

struct Scalar {
  bool is_float = false;
  int64_t i = 0;   // valid when !is_float
  double f = 0.0;  // valid when is_float

  static Scalar integer(int64_t v) { return Scalar{false, v, 0.0}; }
  static Scalar real(double v) { return Scalar{true, 0, v}; }
  std::string to_string() const;
};

struct ConvertPolicy {
  // Allow rounding: float64 -> float32 narrowing and float -> integer
  // rounding to nearest. Out-of-range values are rejected regardless.
  bool allow_rounding = false;
  // Decimal text can rarely be exact in binary floating point: storing a
  // parsed real into a float tensor always rounds when this is set.
  bool text_source = false;
};

// Reads element `index` of a little-endian array of `type`.
Scalar load_scalar(model::TensorType type, const uint8_t* data, size_t index);
// Stores `v` as element `index` of `dst`; throws ToolError naming `index`
// (and `what`, e.g. the file) when the value does not fit the policy.
void store_scalar(const Scalar& v, model::TensorType type, uint8_t* dst, size_t index,
                  const ConvertPolicy& policy, const std::string& what);

float half_to_float(uint16_t h);

}  // namespace kiln::host
