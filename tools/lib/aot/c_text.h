// Small helpers that print C++ source text: identifiers, literals, arrays and
// constexpr structs built field by field (robust to new fields with defaults).
#pragma once
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "kiln/model/schema.h"

namespace kiln::aot {

// "[a-z0-9_]" form of a model name, at most `max_len` characters (the tail:
// the most specific part of a TensorFlow scope path).
std::string c_name(const std::string& text, size_t max_len = 40);
// A float literal that round-trips exactly (infinities as builtins).
std::string float_literal(float v);
// The C type of a tensor element ("int8_t", "float"...); throws for types
// the device core cannot hold.
std::string c_type(model::TensorType type);

// "alignas(16) extern const T name[N] = {...};" from raw little-endian bytes
// of element type `type`, 16 (or 8) values a line.
std::string array_definition(const std::string& name, model::TensorType type, const uint8_t* data,
                             size_t bytes);
std::string array_declaration(const std::string& name, model::TensorType type, size_t bytes);

// constexpr T name = [] { T v; v.field = value; ...; return v; }();
class StructText {
 public:
  explicit StructText(std::string type) : type_(std::move(type)) {}
  template <typename T>
  StructText& set(const std::string& field, T value) {
    if constexpr (std::is_floating_point_v<T>) {
      return set_float(field, static_cast<float>(value));
    } else {
      return set_int(field, static_cast<int64_t>(value));
    }
  }
  StructText& set_int(const std::string& field, int64_t value);
  StructText& set_float(const std::string& field, float value);
  StructText& set_expr(const std::string& field, const std::string& expr);
  StructText& set_array(const std::string& field, const int32_t* values, uint32_t count);
  std::string define(const std::string& name, const std::string& comment) const;

 private:
  std::string type_;
  std::vector<std::string> assignments_;
};

}  // namespace kiln::aot
