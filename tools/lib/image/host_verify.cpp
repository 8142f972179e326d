#include "kiln/image/host_verify.h"

#include "kiln/host/error.h"
#include "kiln/image/sodium_port.h"

namespace kiln::image {

HostVerifyResult verify_image_bytes(const std::vector<uint8_t>& bytes, const std::vector<Ed25519Key>& keys,
                                    const boot::VerifyPolicy& policy) {
  if (bytes.size() > 0x7fffffffu) host::fail("image file is larger than 2 GiB");
  std::vector<uint8_t> copy = bytes;
  boot::RamFlash flash({static_cast<uint32_t>(copy.size()), 1, 1, 0xff}, copy.data());
  boot::FlashArea area{&flash, 0, static_cast<uint32_t>(copy.size())};
  std::vector<std::array<uint8_t, 32>> raw;
  for (const Ed25519Key& k : keys) raw.push_back(k.public_key);
  const boot::TrustedKeys trusted{reinterpret_cast<const uint8_t(*)[32]>(raw.data()), static_cast<uint32_t>(raw.size())};
  HostVerifyResult r;
  Diag diag;
  const Status s = boot::verify_image(area, sodium_crypto_port(), trusted, policy, &r.info, &diag);
  r.ok = s == Status::kOk;
  r.status = s;
  if (!r.ok) r.error = diag.message();
  return r;
}

}  // namespace kiln::image
