// Verification of a whole pair slot: manifest, firmware and model images each
// verified (hash, key, signature), then bound together: the digests and
// versions the manifest names, the minimum versions each needs of the other,
// DEPENDENCY TLVs, runtime ABI and operator set. A mix of one pair's firmware
// with another pair's model fails here.
#pragma once
#include <stdint.h>

#include "kiln/boot/image_verify.h"
#include "kiln/boot/manifest.h"
#include "kiln/boot/slots.h"

namespace kiln::boot {

struct PairInfo {
  ImageInfo firmware;
  ImageInfo model;
  ImageInfo manifest_image;
  Manifest manifest;
};

struct BootConfig {
  const SlotLayout* layout;
  const CryptoPort* crypto;
  TrustedKeys keys;
  uint32_t max_attempts = 8;  // trial boots before a revert, 1..kMaxAttempts
};

// Verifies the manifest image in `manifest_area` and decodes its payload.
Status verify_manifest(const BootConfig& cfg, const FlashArea& manifest_area, uint32_t min_counter,
                       ImageInfo* image, Manifest* manifest, Diag* diag);
// Checks a verified image against what the manifest names for its kind.
Status check_against_manifest(const Manifest& m, const ImageInfo& image, Diag* diag);
Status verify_pair(const BootConfig& cfg, uint32_t slot, uint32_t min_counter, PairInfo* out, Diag* diag);

}  // namespace kiln::boot
