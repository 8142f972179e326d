#include "c_text.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "kiln/host/error.h"

namespace kiln::aot {

std::string c_name(const std::string& text, size_t max_len) {
  // TFLite joins fused names with ';': the first is the op's own.
  const std::string first = text.substr(0, text.find(';'));
  std::string out;
  for (char c : first) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > max_len) {
    out = out.substr(out.size() - max_len);
    const size_t cut = out.find('_');
    if (cut != std::string::npos && cut + 1 < out.size()) out = out.substr(cut + 1);
  }
  return out;
}

std::string float_literal(float v) {
  if (std::isinf(v)) return v > 0 ? "__builtin_huge_valf()" : "-__builtin_huge_valf()";
  if (std::isnan(v)) return "__builtin_nanf(\"\")";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string c_type(model::TensorType type) {
  using T = model::TensorType;
  switch (type) {
    case T::kFloat32: return "float";
    case T::kInt32: return "int32_t";
    case T::kUInt8: return "uint8_t";
    case T::kInt64: return "int64_t";
    case T::kBool: return "uint8_t";
    case T::kInt16: return "int16_t";
    case T::kInt8: return "int8_t";
    case T::kUInt32: return "uint32_t";
    case T::kUInt16: return "uint16_t";
    default: host::fail(std::string("tensor type ") + model::tensor_type_name(type) + " cannot be emitted");
  }
}

namespace {

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string element_text(model::TensorType type, const uint8_t* p) {
  using T = model::TensorType;
  switch (type) {
    case T::kFloat32: {
      // Hex floats are exact; weights are for the compiler, not for reading.
      const float f = load<float>(p);
      if (!std::isfinite(f)) return float_literal(f);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%af", static_cast<double>(f));
      return buf;
    }
    case T::kInt32: {
      const int32_t v = load<int32_t>(p);
      return v == INT32_MIN ? "INT32_MIN" : std::to_string(v);
    }
    case T::kInt64: {
      const int64_t v = load<int64_t>(p);
      return v == INT64_MIN ? "INT64_MIN" : "INT64_C(" + std::to_string(v) + ")";
    }
    case T::kInt16: return std::to_string(load<int16_t>(p));
    case T::kInt8: return std::to_string(load<int8_t>(p));
    case T::kUInt32: return std::to_string(load<uint32_t>(p)) + "u";
    case T::kUInt16: return std::to_string(load<uint16_t>(p));
    default: return std::to_string(load<uint8_t>(p));
  }
}

size_t element_size(model::TensorType type) {
  const uint32_t size = model::tensor_type_size(type);
  if (size == 0) c_type(type);  // throws with the type's name
  return size;
}

}  // namespace

std::string array_declaration(const std::string& name, model::TensorType type, size_t bytes) {
  const size_t count = bytes / element_size(type);
  return "extern const " + c_type(type) + " " + name + "[" + std::to_string(count == 0 ? 1 : count) + "];\n";
}

std::string array_definition(const std::string& name, model::TensorType type, const uint8_t* data,
                             size_t bytes) {
  const size_t size = element_size(type);
  const size_t count = bytes / size;
  std::string out = "alignas(16) extern const " + c_type(type) + " " + name + "[" +
                    std::to_string(count == 0 ? 1 : count) + "] = {";
  if (count == 0) return out + "0};\n";
  const size_t per_line = size >= 4 ? 8 : 16;
  for (size_t i = 0; i < count; ++i) {
    out += (i % per_line == 0) ? "\n    " : " ";
    out += element_text(type, data + i * size);
    out += ",";
  }
  return out + "\n};\n";
}

StructText& StructText::set_int(const std::string& field, int64_t value) {
  std::string text = std::to_string(value);
  if (value == INT32_MIN) text = "INT32_MIN";
  return set_expr(field, text);
}

StructText& StructText::set_float(const std::string& field, float value) {
  return set_expr(field, float_literal(value));
}

StructText& StructText::set_expr(const std::string& field, const std::string& expr) {
  assignments_.push_back("v." + field + " = " + expr + ";");
  return *this;
}

StructText& StructText::set_array(const std::string& field, const int32_t* values, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) set_int(field + "[" + std::to_string(i) + "]", values[i]);
  return *this;
}

std::string StructText::define(const std::string& name, const std::string& comment) const {
  std::string out = "// " + comment + "\nconstexpr " + type_ + " " + name + " = [] {\n  " + type_ + " v;";
  size_t line = 100;  // fields start on their own line
  for (const std::string& a : assignments_) {
    if (line + a.size() + 1 > 100) {
      out += "\n ";
      line = 1;
    }
    out += " " + a;
    line += a.size() + 1;
  }
  return out + "\n  return v;\n}();\n\n";
}

}  // namespace kiln::aot
