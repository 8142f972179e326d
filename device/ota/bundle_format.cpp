#include "kiln/ota/bundle_format.h"

#include <string.h>

#include "kiln/boot/bytes.h"

namespace kiln::ota {

Status decode_bundle_header(const uint8_t* b, BundleHeader* out, Diag* diag) {
  if (boot::load_le32(b) != kBundleMagic) return diag->fail(Status::kRejected, "bundle: bad magic");
  if (boot::load_le32(b + 4) != kBundleFormat) {
    return diag->fail(Status::kUnsupported, "bundle: format %lu, this agent reads %lu",
                      static_cast<unsigned long>(boot::load_le32(b + 4)), static_cast<unsigned long>(kBundleFormat));
  }
  for (uint32_t i = 0; i < kBundlePartCount; ++i) out->sizes[i] = boot::load_le32(b + 8 + 4 * i);
  for (uint32_t i = 20; i < kBundleHeaderSize; ++i) {
    if (b[i] != 0) return diag->fail(Status::kRejected, "bundle: reserved header byte %lu is not zero",
                                     static_cast<unsigned long>(i));
  }
  return Status::kOk;
}

void encode_bundle_header(const BundleHeader& h, uint8_t out[kBundleHeaderSize]) {
  memset(out, 0, kBundleHeaderSize);
  boot::store_le32(out, kBundleMagic);
  boot::store_le32(out + 4, kBundleFormat);
  for (uint32_t i = 0; i < kBundlePartCount; ++i) boot::store_le32(out + 8 + 4 * i, h.sizes[i]);
}

}  // namespace kiln::ota
