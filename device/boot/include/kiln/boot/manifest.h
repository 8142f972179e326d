// The bundle manifest: the payload of a signed image of kind kManifest. It
// names the exact firmware and model (versions and image hashes) of a pair
// and the minimum version each requires of the other.
#pragma once
#include <stdint.h>

#include "kiln/boot/image_format.h"

namespace kiln::boot {

constexpr uint32_t kManifestMagic = 0x314d424bu;  // "KBM1"
constexpr uint32_t kManifestSize = 104;

struct Manifest {
  uint32_t sequence;  // orders pairs: the boot prefers the higher one
  ImageVersion firmware_version;
  uint8_t firmware_digest[kSha256Size];
  ImageVersion model_version;
  uint8_t model_digest[kSha256Size];
  ImageVersion firmware_requires_model;  // minimum model version the firmware needs
  ImageVersion model_requires_firmware;  // minimum firmware version the model needs
};

Status decode_manifest(const uint8_t* bytes, uint32_t len, Manifest* out, Diag* diag);
void encode_manifest(const Manifest& m, uint8_t out[kManifestSize]);

}  // namespace kiln::boot
