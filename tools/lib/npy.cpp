#include "kiln/host/npy.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "kiln/host/error.h"

namespace kiln::host {

using model::TensorType;

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

// Reads the Python dict literal numpy writes as the header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& what) : s_(text), what_(what) {}

  void parse(NpyHeader& h) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (!peek('}')) {
      const std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        parse_descr(h);
        have_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = boolean();
        have_order = true;
      } else if (key == "shape") {
        h.shape = shape();
        have_shape = true;
      } else {
        error("unexpected header key '" + key + "'");
      }
      if (!peek('}')) expect(',');
    }
    expect('}');
    if (!have_descr || !have_order || !have_shape) {
      error("header lacks one of 'descr', 'fortran_order', 'shape'");
    }
  }

 private:
  [[noreturn]] void error(const std::string& msg) const { fail(what_ + ": invalid .npy header: " + msg); }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  void expect(char c) {
    if (!peek(c)) error(std::string("expected '") + c + "' at offset " + std::to_string(pos_));
    ++pos_;
  }
  std::string string_literal() {
    skip_space();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) {
      error("expected a quoted string at offset " + std::to_string(pos_));
    }
    const char quote = s_[pos_++];
    const size_t end = s_.find(quote, pos_);
    if (end == std::string::npos) error("unterminated string");
    std::string out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }
  bool boolean() {
    skip_space();
    if (s_.compare(pos_, 4, "True") == 0) { pos_ += 4; return true; }
    if (s_.compare(pos_, 5, "False") == 0) { pos_ += 5; return false; }
    error("fortran_order must be True or False");
  }
  std::vector<int64_t> shape() {
    std::vector<int64_t> dims;
    expect('(');
    while (!peek(')')) {
      skip_space();
      size_t digits = 0;
      int64_t d = 0;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
        if (d > (int64_t{1} << 40)) error("dimension too large");
        d = d * 10 + (s_[pos_++] - '0');
        ++digits;
      }
      if (digits == 0) error("shape must be a tuple of non-negative integers");
      dims.push_back(d);
      if (!peek(')')) expect(',');
    }
    expect(')');
    return dims;
  }
  void parse_descr(NpyHeader& h) {
    if (!peek('\'') && !peek('"')) error("structured arrays (non-string 'descr') are not supported");
    const std::string d = string_literal();
    if (d.size() < 3 || std::string("<>|=").find(d[0]) == std::string::npos) {
      error("unsupported dtype '" + d + "'");
    }
    const std::string code = d.substr(1);
    static const struct { const char* code; TensorType type; } kTypes[] = {
        {"b1", TensorType::kBool},    {"i1", TensorType::kInt8},    {"u1", TensorType::kUInt8},
        {"i2", TensorType::kInt16},   {"u2", TensorType::kUInt16},  {"f2", TensorType::kFloat16},
        {"i4", TensorType::kInt32},   {"u4", TensorType::kUInt32},  {"f4", TensorType::kFloat32},
        {"i8", TensorType::kInt64},   {"u8", TensorType::kUInt64},  {"f8", TensorType::kFloat64},
    };
    for (const auto& t : kTypes) {
      if (code == t.code) {
        h.dtype = t.type;
        h.big_endian = d[0] == '>';  // '=' is native: every kiln host is little-endian
        return;
      }
    }
    error("unsupported dtype '" + d + "' (kiln reads bool, int8..int64, uint8..uint64, float16/32/64)");
  }

  const std::string& s_;
  std::string what_;
  size_t pos_ = 0;
};

uint32_t read_le(const std::vector<uint8_t>& b, size_t at, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint32_t>(b[at + i]) << (8 * i);
  return v;
}

const char* npy_descr(TensorType t) {
  switch (t) {
    case TensorType::kBool: return "|b1";
    case TensorType::kInt8: return "|i1";
    case TensorType::kUInt8: return "|u1";
    case TensorType::kInt16: return "<i2";
    case TensorType::kUInt16: return "<u2";
    case TensorType::kFloat16: return "<f2";
    case TensorType::kInt32: return "<i4";
    case TensorType::kUInt32: return "<u4";
    case TensorType::kFloat32: return "<f4";
    case TensorType::kInt64: return "<i8";
    case TensorType::kUInt64: return "<u8";
    case TensorType::kFloat64: return "<f8";
    default: fail("cannot write a " + type_name(t) + " tensor as .npy");
  }
}

size_t element_count(const std::vector<int64_t>& shape, const std::string& what) {
  size_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > (size_t{1} << 40) / static_cast<size_t>(d)) fail(what + ": array too large");
    count *= static_cast<size_t>(d);
  }
  return count;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

NpyHeader parse_npy_header(const std::vector<uint8_t>& file) {
  if (file.size() < 10 || std::memcmp(file.data(), kMagic, kMagicSize) != 0) {
    fail("not a .npy file (missing \\x93NUMPY magic)");
  }
  const uint8_t major = file[6];
  if (major < 1 || major > 3) fail(".npy format version " + std::to_string(major) + " is not supported");
  const size_t len_size = major == 1 ? 2 : 4;
  const size_t header_start = 8 + len_size;
  if (file.size() < header_start) fail("truncated .npy header");
  const size_t header_len = read_le(file, 8, len_size);
  if (header_len > file.size() - header_start) fail("truncated .npy header");
  const std::string text(file.begin() + static_cast<long>(header_start),
                         file.begin() + static_cast<long>(header_start + header_len));
  NpyHeader h;
  HeaderParser(text, ".npy").parse(h);
  h.data_offset = header_start + header_len;
  return h;
}

std::vector<uint8_t> npy_to_tensor(const std::vector<uint8_t>& file, const TensorSpec& spec,
                                   const ConvertPolicy& policy, const std::string& what) {
  NpyHeader h;
  try {
    h = parse_npy_header(file);
  } catch (const ToolError& e) {
    fail(what + ": " + e.what());
  }
  const size_t count = element_count(h.shape, what);
  const size_t expected = spec.element_count();
  if (count != expected) {
    fail(what + ": array shape " + shape_text(h.shape) + " has " + std::to_string(count) +
         " elements but tensor " + describe(spec) + " has " + std::to_string(expected));
  }
  const size_t item = TensorSpec::element_size(h.dtype);
  const size_t data_size = file.size() - h.data_offset;
  if (data_size != count * item) {
    fail(what + ": array data is " + std::to_string(data_size) + " bytes, header promises " +
         std::to_string(count * item));
  }
  const size_t non_unit = static_cast<size_t>(
      std::count_if(h.shape.begin(), h.shape.end(), [](int64_t d) { return d > 1; }));
  if (h.fortran_order && non_unit > 1) {
    fail(what + ": Fortran-ordered arrays are not supported; save np.ascontiguousarray(a)");
  }
  std::vector<uint8_t> src(file.begin() + static_cast<long>(h.data_offset), file.end());
  if (h.big_endian) {
    for (size_t i = 0; i < count; ++i) std::reverse(src.begin() + i * item, src.begin() + (i + 1) * item);
  }
  if (h.dtype == spec.type) return src;
  std::vector<uint8_t> out(spec.byte_size());
  for (size_t i = 0; i < count; ++i) {
    store_scalar(load_scalar(h.dtype, src.data(), i), spec.type, out.data(), i, policy,
                 what + " (" + type_name(h.dtype) + " array)");
  }
  return out;
}

std::vector<uint8_t> tensor_to_npy(const TensorSpec& spec, const std::vector<uint8_t>& data) {
  if (data.size() != spec.byte_size()) fail("internal: tensor data does not match its shape");
  std::string shape = "(";
  for (size_t i = 0; i < spec.shape.size(); ++i) {
    if (i != 0) shape += ", ";
    shape += std::to_string(spec.shape[i]);
  }
  shape += spec.shape.size() == 1 ? ",)" : ")";  // a 1-tuple needs its comma
  std::string header = std::string("{'descr': '") + npy_descr(spec.type) +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic, version, length, header and '\n' together fill a multiple of 64.
  const size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(header.size() & 0xff));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace kiln::host
