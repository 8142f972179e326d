// A bundle on the wire: a 32-byte header, then the manifest image, the
// firmware image and the model image (each an MCUboot-format image). The
// header is not signed; every size in it is checked against the slot areas
// and every image is verified, so a changed header only causes a rejection.
#pragma once
#include <stdint.h>

#include "kiln/common/status.h"

namespace kiln::ota {

constexpr uint32_t kBundleMagic = 0x444e424bu;  // "KBND"
constexpr uint32_t kBundleFormat = 1;
constexpr uint32_t kBundleHeaderSize = 32;
constexpr uint32_t kBundlePartCount = 3;  // manifest, firmware, model: stream order

struct BundleHeader {
  uint32_t sizes[kBundlePartCount];  // manifest, firmware, model
  uint32_t total() const { return kBundleHeaderSize + sizes[0] + sizes[1] + sizes[2]; }
};

Status decode_bundle_header(const uint8_t* bytes, BundleHeader* out, Diag* diag);
void encode_bundle_header(const BundleHeader& h, uint8_t out[kBundleHeaderSize]);

}  // namespace kiln::ota
