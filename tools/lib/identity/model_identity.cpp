#include "kiln/identity/model_identity.h"

#include <sodium.h>

#include <algorithm>

#include "kiln/host/error.h"

namespace kiln::identity {

std::array<uint8_t, 32> sha256(const uint8_t* data, size_t size) {
  std::array<uint8_t, 32> out{};
  static_assert(crypto_hash_sha256_BYTES == 32, "SHA-256 digest");
  if (sodium_init() < 0) host::fail("libsodium cannot be initialized");
  crypto_hash_sha256(out.data(), data, size);
  return out;
}

std::string hex(const uint8_t* data, size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < size; ++i) {
    s += digits[data[i] >> 4];
    s += digits[data[i] & 15];
  }
  return s;
}

namespace {

std::vector<OpUse> ops_of(const host::LoadedModel& loaded) {
  std::vector<OpUse> ops;
  const model::Model& m = loaded.model();
  for (uint32_t i = 0; i < m.operator_count(); ++i) {
    const model::OperatorView op = m.op(i);
    ops.push_back({op.builtin_code, op.version, loaded.op_name(i)});
  }
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  return ops;
}

// Little-endian (code, version) int32 pairs: the same set hashes the same
// on every host, whatever order the model lists its operators in.
std::string fingerprint(const std::vector<OpUse>& ops) {
  std::vector<uint8_t> bytes;
  for (const OpUse& op : ops) {
    for (const int32_t v : {op.code, op.version}) {
      const uint32_t u = static_cast<uint32_t>(v);
      for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<uint8_t>(u >> (8 * b)));
    }
  }
  const auto digest = sha256(bytes.data(), bytes.size());
  return hex(digest.data(), digest.size());
}

}  // namespace

ModelIdentity identify(const host::LoadedModel& model, const std::vector<uint8_t>& file_bytes,
                       const std::string& version) {
  ModelIdentity id;
  id.sha256_bytes = sha256(file_bytes.data(), file_bytes.size());
  id.sha256 = hex(id.sha256_bytes.data(), id.sha256_bytes.size());
  id.version = version;
  if (id.version.empty()) id.version = host::to_string(model.model().description());
  if (id.version.empty()) id.version = "unversioned";
  id.ops = ops_of(model);
  id.op_set_fingerprint = fingerprint(id.ops);
  for (const OpUse& op : id.ops) {
    if (op.code >= 0 && op.code < 256) id.op_set_bitmap[op.code / 8] |= static_cast<uint8_t>(1u << (op.code % 8));
  }
  return id;
}

}  // namespace kiln::identity
