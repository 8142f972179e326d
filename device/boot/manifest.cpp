#include "kiln/boot/manifest.h"

#include <string.h>

#include "kiln/boot/bytes.h"

namespace kiln::boot {

Status decode_manifest(const uint8_t* b, uint32_t len, Manifest* m, Diag* diag) {
  if (len != kManifestSize) {
    return diag->fail(Status::kRejected, "manifest: payload is %lu bytes, expected %lu",
                      static_cast<unsigned long>(len), static_cast<unsigned long>(kManifestSize));
  }
  if (load_le32(b) != kManifestMagic) return diag->fail(Status::kRejected, "manifest: bad magic");
  m->sequence = load_le32(b + 4);
  m->firmware_version = decode_version(b + 8);
  memcpy(m->firmware_digest, b + 16, kSha256Size);
  m->model_version = decode_version(b + 48);
  memcpy(m->model_digest, b + 56, kSha256Size);
  m->firmware_requires_model = decode_version(b + 88);
  m->model_requires_firmware = decode_version(b + 96);
  return Status::kOk;
}

void encode_manifest(const Manifest& m, uint8_t out[kManifestSize]) {
  store_le32(out, kManifestMagic);
  store_le32(out + 4, m.sequence);
  encode_version(m.firmware_version, out + 8);
  memcpy(out + 16, m.firmware_digest, kSha256Size);
  encode_version(m.model_version, out + 48);
  memcpy(out + 56, m.model_digest, kSha256Size);
  encode_version(m.firmware_requires_model, out + 88);
  encode_version(m.model_requires_firmware, out + 96);
}

}  // namespace kiln::boot
