#include "kiln/image/sodium_port.h"

#include <sodium.h>

#include "kiln/host/error.h"

namespace kiln::image {

namespace {

static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(boot::Sha256Context::state),
              "libsodium's SHA-256 state must fit the port's context");

crypto_hash_sha256_state* state(boot::Sha256Context* ctx) {
  return reinterpret_cast<crypto_hash_sha256_state*>(ctx->state);
}
void sha_init(boot::Sha256Context* ctx) { crypto_hash_sha256_init(state(ctx)); }
void sha_update(boot::Sha256Context* ctx, const uint8_t* data, uint32_t len) {
  crypto_hash_sha256_update(state(ctx), data, len);
}
void sha_final(boot::Sha256Context* ctx, uint8_t digest[32]) { crypto_hash_sha256_final(state(ctx), digest); }
bool ed_verify(const uint8_t sig[64], const uint8_t* msg, uint32_t len, const uint8_t pub[32]) {
  return crypto_sign_ed25519_verify_detached(sig, msg, len, pub) == 0;
}

}  // namespace

const boot::CryptoPort& sodium_crypto_port() {
  static const boot::CryptoPort port = [] {
    if (sodium_init() < 0) host::fail("libsodium could not be initialised");
    return boot::CryptoPort{sha_init, sha_update, sha_final, ed_verify};
  }();
  return port;
}

}  // namespace kiln::image
