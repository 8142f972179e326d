#include "kiln/boot/crypto_port.h"

namespace kiln::boot {

// SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits) key }.
void ed25519_spki(const uint8_t public_key[32], uint8_t out[kEd25519SpkiSize]) {
  static const uint8_t kPrefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  for (uint32_t i = 0; i < 12; ++i) out[i] = kPrefix[i];
  for (uint32_t i = 0; i < 32; ++i) out[12 + i] = public_key[i];
}

}  // namespace kiln::boot
