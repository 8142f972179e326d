// Verification of one MCUboot-format image held in a flash area: bounds of
// every field, the SHA-256 of header + payload + protected TLVs, the key hash
// against the trusted keys, the Ed25519 signature, the security counter.
// Nothing in the image is trusted until this returns kOk.
#pragma once
#include <stdint.h>

#include "kiln/boot/crypto_port.h"
#include "kiln/boot/flash.h"
#include "kiln/boot/image_format.h"

namespace kiln::boot {

constexpr uint32_t kMaxDependencies = 4;

struct ImageDependency {
  uint8_t image_id;  // 0 firmware, 1 model (kiln's numbering)
  ImageVersion min_version;
};

struct ImageInfo {
  ImageHeader header;
  uint32_t hashed_size;  // header + payload + protected TLVs
  uint32_t total_size;   // ... + unprotected TLVs
  uint8_t digest[kSha256Size];
  bool signature_checked;  // false when verified without trusted keys
  int32_t key_index;       // which trusted key signed it, -1 if none checked
  bool has_security_counter;
  uint32_t security_counter;
  ImageKind kind;
  bool has_runtime_abi;
  uint32_t runtime_abi;
  bool has_op_set;
  uint8_t op_set[kOpSetSize];
  uint32_t dependency_count;
  ImageDependency dependencies[kMaxDependencies];
  // Health-check vectors of a model (offsets in the area; length 0 if absent).
  uint32_t health_input_offset, health_input_size;
  uint32_t health_output_offset, health_output_size;
};

struct TrustedKeys {
  const uint8_t (*keys)[kEd25519KeySize];  // raw Ed25519 public keys
  uint32_t count;
};

struct VerifyPolicy {
  uint32_t min_security_counter = 0;       // downgrade floor; missing SEC_CNT counts as 0
  ImageKind expected_kind = ImageKind::kUnknown;  // kUnknown accepts any
  bool require_signature = true;           // false only for host inspection
};

// Verifies the image at the start of `area`. With require_signature false and
// no keys, checks structure and hash only (like `imgtool verify` without -k).
Status verify_image(const FlashArea& area, const CryptoPort& crypto, const TrustedKeys& keys,
                    const VerifyPolicy& policy, ImageInfo* info, Diag* diag);

// SHA-256 of area[offset, offset+len), streamed through a small stack buffer.
Status hash_area(const FlashArea& area, uint32_t offset, uint32_t len, const CryptoPort& crypto,
                 uint8_t digest[kSha256Size], Diag* diag);

}  // namespace kiln::boot
