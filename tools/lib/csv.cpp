#include "kiln/host/csv.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "kiln/host/error.h"

namespace kiln::host {

using model::TensorType;

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool looks_integer(const std::string& t) {
  size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  return true;
}

Scalar parse_token(const std::string& token, size_t line, const std::string& what) {
  const std::string where = what + ":" + std::to_string(line) + ": ";
  errno = 0;
  char* end = nullptr;
  if (looks_integer(token)) {
    const long long v = std::strtoll(token.c_str(), &end, 10);
    if (errno == ERANGE) fail(where + "integer '" + token + "' is out of range");
    return Scalar::integer(v);
  }
  const double d = std::strtod(token.c_str(), &end);
  if (end != token.c_str() + token.size()) fail(where + "'" + token + "' is not a number");
  if (errno == ERANGE && (d > 1.0 || d < -1.0)) fail(where + "number '" + token + "' is out of range");
  return Scalar::real(d);
}

}  // namespace

std::vector<Scalar> parse_numbers(const std::string& text, const std::string& what) {
  std::vector<Scalar> values;
  size_t line = 1;
  bool expecting_value = false;  // just saw a comma
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ',') {
      if (expecting_value || values.empty()) fail(what + ":" + std::to_string(line) + ": empty value");
      expecting_value = true;
      ++i;
    } else if (is_space(c)) {
      line += c == '\n' ? 1 : 0;
      ++i;
    } else {
      const size_t start = i;
      while (i < text.size() && text[i] != ',' && !is_space(text[i])) ++i;
      values.push_back(parse_token(text.substr(start, i - start), line, what));
      expecting_value = false;
    }
  }
  if (expecting_value) fail(what + ":" + std::to_string(line) + ": trailing comma");
  return values;
}

std::vector<uint8_t> csv_to_tensor(const std::string& text, const TensorSpec& spec,
                                   const ConvertPolicy& policy, const std::string& what) {
  const std::vector<Scalar> values = parse_numbers(text, what);
  if (values.size() != spec.element_count()) {
    fail(what + ": holds " + std::to_string(values.size()) + " numbers but tensor " +
         describe(spec) + " has " + std::to_string(spec.element_count()) + " elements");
  }
  ConvertPolicy text_policy = policy;
  text_policy.text_source = true;
  std::vector<uint8_t> out(spec.byte_size());
  for (size_t i = 0; i < values.size(); ++i) {
    store_scalar(values[i], spec.type, out.data(), i, text_policy, what);
  }
  return out;
}

std::string format_element(TensorType type, const uint8_t* data, size_t index) {
  const Scalar v = load_scalar(type, data, index);
  if (!v.is_float) return std::to_string(v.i);
  // Enough digits to read back the identical value.
  const char* fmt = type == TensorType::kFloat64 ? "%.17g" : (type == TensorType::kFloat16 ? "%.5g" : "%.9g");
  char buf[40];
  std::snprintf(buf, sizeof buf, fmt, v.f);
  return buf;
}

std::string tensor_to_csv(const TensorSpec& spec, const std::vector<uint8_t>& data) {
  const size_t n = spec.element_count();
  if (data.size() != spec.byte_size()) fail("internal: tensor data does not match its shape");
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i != 0) out += ',';
    out += format_element(spec.type, data.data(), i);
  }
  out += '\n';
  return out;
}

}  // namespace kiln::host
