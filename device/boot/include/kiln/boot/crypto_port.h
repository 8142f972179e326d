// The crypto the boot path needs, supplied by the platform: a hardware
// accelerator on a chip, libsodium on the host (tools/lib/image). Plain
// function pointers keep the device core free of any crypto library.
#pragma once
#include <stdint.h>

namespace kiln::boot {

// Opaque state big enough for common SHA-256 implementations.
struct Sha256Context {
  alignas(8) uint8_t state[128];
};

struct CryptoPort {
  void (*sha256_init)(Sha256Context* ctx);
  void (*sha256_update)(Sha256Context* ctx, const uint8_t* data, uint32_t len);
  void (*sha256_final)(Sha256Context* ctx, uint8_t digest[32]);
  // True only for a valid signature of `msg` by `public_key` (32 raw bytes).
  bool (*ed25519_verify)(const uint8_t signature[64], const uint8_t* msg, uint32_t msg_len,
                         const uint8_t public_key[32]);
};

// DER SubjectPublicKeyInfo of an Ed25519 key: the bytes MCUboot's KEYHASH
// TLV hashes. `out` receives kEd25519SpkiSize bytes.
constexpr uint32_t kEd25519SpkiSize = 44;
void ed25519_spki(const uint8_t public_key[32], uint8_t out[kEd25519SpkiSize]);

}  // namespace kiln::boot
