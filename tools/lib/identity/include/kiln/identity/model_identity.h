// A model's identity as a firmware reports it and an OTA manifest checks it:
// SHA-256 of the .tflite file, a version string, the operator set it needs
// (and its fingerprint) and the runtime ABI it was built against.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/model_file.h"
#include "kiln/runtime/abi.h"

namespace kiln::identity {

// The device core's runtime ABI (kiln/runtime/abi.h), recorded in identities.
constexpr uint32_t kRuntimeAbi = runtime::kRuntimeAbi;

struct OpUse {
  int32_t code = 0;
  int32_t version = 1;
  std::string name;  // "CONV_2D"
  bool operator<(const OpUse& o) const { return code != o.code ? code < o.code : version < o.version; }
  bool operator==(const OpUse& o) const { return code == o.code && version == o.version; }
};

struct ModelIdentity {
  std::string sha256;                // hex, of the model file's bytes
  std::array<uint8_t, 32> sha256_bytes{};
  std::string version;
  std::vector<OpUse> ops;            // distinct (code, version), sorted
  std::string op_set_fingerprint;    // hex SHA-256 of the sorted (code, version) pairs
  std::array<uint8_t, 32> op_set_bitmap{};  // bit c set when builtin code c is used (TLV 0xa2)
  uint32_t runtime_abi = kRuntimeAbi;
};

// `version` overrides the default: the model's description when it has one,
// else "unversioned".
ModelIdentity identify(const host::LoadedModel& model, const std::vector<uint8_t>& file_bytes,
                       const std::string& version = "");

// Lower-case hex SHA-256 (libsodium).
std::array<uint8_t, 32> sha256(const uint8_t* data, size_t size);
std::string hex(const uint8_t* data, size_t size);

}  // namespace kiln::identity
