#include "kiln/host/scalar.h"

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "kiln/host/error.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::host {

using model::TensorType;

namespace {

template <typename T>
T read_as(const uint8_t* data, size_t index) {
  T v;
  std::memcpy(&v, data + index * sizeof(T), sizeof(T));
  return v;
}

template <typename T>
void write_as(uint8_t* data, size_t index, T v) {
  std::memcpy(data + index * sizeof(T), &v, sizeof(T));
}

[[noreturn]] void reject(const Scalar& v, TensorType type, size_t index, const std::string& what,
                         const std::string& reason) {
  fail(what + ": element " + std::to_string(index) + " (" + v.to_string() + ") " + reason +
       " for " + type_name(type));
}

bool is_integer_type(TensorType t) {
  switch (t) {
    case TensorType::kBool: case TensorType::kInt8: case TensorType::kUInt8:
    case TensorType::kInt16: case TensorType::kUInt16: case TensorType::kInt32:
    case TensorType::kUInt32: case TensorType::kInt64: case TensorType::kUInt64: return true;
    default: return false;
  }
}

// The value as an integer, or a rejection when that would lose information.
int64_t integral_value(const Scalar& v, TensorType type, size_t index, const ConvertPolicy& policy,
                       const std::string& what) {
  if (!v.is_float) return v.i;
  double f = v.f;
  if (!std::isfinite(f)) reject(v, type, index, what, "is not a finite number");
  if (std::trunc(f) != f) {
    if (!policy.allow_rounding) reject(v, type, index, what, "is not an integer (rounding not requested)");
    f = std::round(f);
  }
  // 2^63 is exactly representable; anything at or beyond it does not fit int64.
  if (f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
    reject(v, type, index, what, "is out of range");
  }
  return static_cast<int64_t>(f);
}

void store_integer(int64_t x, const Scalar& v, TensorType type, uint8_t* dst, size_t index,
                   const std::string& what) {
  auto check = [&](int64_t lo, int64_t hi) {
    if (x < lo || x > hi) reject(v, type, index, what, "is out of range");
  };
  switch (type) {
    case TensorType::kBool: check(0, 1); write_as<uint8_t>(dst, index, static_cast<uint8_t>(x)); break;
    case TensorType::kInt8: check(INT8_MIN, INT8_MAX); write_as<int8_t>(dst, index, static_cast<int8_t>(x)); break;
    case TensorType::kUInt8: check(0, UINT8_MAX); write_as<uint8_t>(dst, index, static_cast<uint8_t>(x)); break;
    case TensorType::kInt16: check(INT16_MIN, INT16_MAX); write_as<int16_t>(dst, index, static_cast<int16_t>(x)); break;
    case TensorType::kUInt16: check(0, UINT16_MAX); write_as<uint16_t>(dst, index, static_cast<uint16_t>(x)); break;
    case TensorType::kInt32: check(INT32_MIN, INT32_MAX); write_as<int32_t>(dst, index, static_cast<int32_t>(x)); break;
    case TensorType::kUInt32: check(0, UINT32_MAX); write_as<uint32_t>(dst, index, static_cast<uint32_t>(x)); break;
    case TensorType::kInt64: write_as<int64_t>(dst, index, x); break;
    case TensorType::kUInt64: check(0, INT64_MAX); write_as<uint64_t>(dst, index, static_cast<uint64_t>(x)); break;
    default: fail("internal: not an integer type");
  }
}

void store_float32(const Scalar& v, uint8_t* dst, size_t index, const ConvertPolicy& policy,
                   const std::string& what) {
  const bool may_round = policy.allow_rounding || policy.text_source;
  float f = 0.0f;
  if (v.is_float) {
    if (std::isfinite(v.f) && std::fabs(v.f) > static_cast<double>(FLT_MAX)) {
      reject(v, TensorType::kFloat32, index, what, "is out of range");
    }
    f = static_cast<float>(v.f);
    if (!std::isnan(v.f) && static_cast<double>(f) != v.f && !may_round) {
      reject(v, TensorType::kFloat32, index, what, "is not exactly representable (rounding not requested)");
    }
  } else {
    f = static_cast<float>(v.i);
    if (static_cast<long double>(f) != static_cast<long double>(v.i) && !may_round) {
      reject(v, TensorType::kFloat32, index, what, "is not exactly representable (rounding not requested)");
    }
  }
  write_as<float>(dst, index, f);
}

void store_float64(const Scalar& v, uint8_t* dst, size_t index, const ConvertPolicy& policy,
                   const std::string& what) {
  double d = v.is_float ? v.f : static_cast<double>(v.i);
  if (!v.is_float && static_cast<long double>(d) != static_cast<long double>(v.i) &&
      !(policy.allow_rounding || policy.text_source)) {
    reject(v, TensorType::kFloat64, index, what, "is not exactly representable (rounding not requested)");
  }
  write_as<double>(dst, index, d);
}

}  // namespace

std::string Scalar::to_string() const {
  if (!is_float) return std::to_string(i);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", f);
  return buf;
}

float half_to_float(uint16_t h) {
  const int sign = (h >> 15) ? -1 : 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  if (exponent == 0) return static_cast<float>(sign) * std::ldexp(static_cast<float>(mantissa), -24);
  if (exponent == 31) {
    return mantissa != 0 ? std::numeric_limits<float>::quiet_NaN()
                         : static_cast<float>(sign) * std::numeric_limits<float>::infinity();
  }
  return static_cast<float>(sign) * std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
}

Scalar load_scalar(TensorType type, const uint8_t* data, size_t index) {
  switch (type) {
    case TensorType::kBool: return Scalar::integer(read_as<uint8_t>(data, index) != 0 ? 1 : 0);
    case TensorType::kInt8: return Scalar::integer(read_as<int8_t>(data, index));
    case TensorType::kUInt8: return Scalar::integer(read_as<uint8_t>(data, index));
    case TensorType::kInt16: return Scalar::integer(read_as<int16_t>(data, index));
    case TensorType::kUInt16: return Scalar::integer(read_as<uint16_t>(data, index));
    case TensorType::kInt32: return Scalar::integer(read_as<int32_t>(data, index));
    case TensorType::kUInt32: return Scalar::integer(read_as<uint32_t>(data, index));
    case TensorType::kInt64: return Scalar::integer(read_as<int64_t>(data, index));
    case TensorType::kUInt64: {
      const uint64_t u = read_as<uint64_t>(data, index);
      // Beyond int64 the value is kept as a real; storing it into an
      // integer tensor then reports it out of range rather than wrapping.
      return u > static_cast<uint64_t>(INT64_MAX) ? Scalar::real(static_cast<double>(u))
                                                  : Scalar::integer(static_cast<int64_t>(u));
    }
    case TensorType::kFloat16: return Scalar::real(static_cast<double>(half_to_float(read_as<uint16_t>(data, index))));
    case TensorType::kFloat32: return Scalar::real(static_cast<double>(read_as<float>(data, index)));
    case TensorType::kFloat64: return Scalar::real(read_as<double>(data, index));
    default: fail("values of type " + type_name(type) + " cannot be read");
  }
}

void store_scalar(const Scalar& v, TensorType type, uint8_t* dst, size_t index,
                  const ConvertPolicy& policy, const std::string& what) {
  if (is_integer_type(type)) {
    store_integer(integral_value(v, type, index, policy, what), v, type, dst, index, what);
  } else if (type == TensorType::kFloat32) {
    store_float32(v, dst, index, policy, what);
  } else if (type == TensorType::kFloat64) {
    store_float64(v, dst, index, policy, what);
  } else {
    fail(what + ": cannot convert values into a " + type_name(type) +
         " tensor; provide data of exactly that type");
  }
}

}  // namespace kiln::host
