#include "kiln/image/keys.h"

#include <sodium.h>

#include <cstring>

#include "kiln/boot/crypto_port.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/sodium_port.h"

namespace kiln::image {

namespace {

// RFC 8410 encodings: PKCS#8 v1 (imgtool, OpenSSL) or v2 (with public key).
const uint8_t kPkcs8Prefix[] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03,
                                0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
const uint8_t kAlgAndSeed[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

std::string base64(const std::vector<uint8_t>& der) {
  std::string b64(sodium_base64_encoded_len(der.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), der.data(), der.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out;
}

std::string pem(const char* label, const std::vector<uint8_t>& der) {
  return std::string("-----BEGIN ") + label + "-----\n" + base64(der) + "-----END " + label + "-----\n";
}

void derive_public(Ed25519Key* key) {
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, key->seed.data());
  std::memcpy(key->public_key.data(), pk, 32);
  sodium_memzero(sk, sizeof(sk));
}

}  // namespace

Ed25519Key generate_key() {
  sodium_crypto_port();  // initialises libsodium
  Ed25519Key key;
  key.has_private = true;
  randombytes_buf(key.seed.data(), key.seed.size());
  derive_public(&key);
  return key;
}

Ed25519Key parse_key_pem(const std::string& text, const std::string& what) {
  sodium_crypto_port();
  const bool is_private = text.find("-----BEGIN PRIVATE KEY-----") != std::string::npos;
  const bool is_public = text.find("-----BEGIN PUBLIC KEY-----") != std::string::npos;
  if (!is_private && !is_public) {
    if (text.find("ENCRYPTED PRIVATE KEY") != std::string::npos) {
      host::fail(what + ": password-protected keys are not supported");
    }
    host::fail(what + ": not a PEM PRIVATE KEY (PKCS#8) or PUBLIC KEY (SubjectPublicKeyInfo)");
  }
  const char* label = is_private ? "PRIVATE KEY" : "PUBLIC KEY";
  const std::string begin = std::string("-----BEGIN ") + label + "-----";
  const std::string end = std::string("-----END ") + label + "-----";
  const size_t b = text.find(begin) + begin.size();
  const size_t e = text.find(end, b);
  if (e == std::string::npos) host::fail(what + ": PEM block is not terminated");
  const std::string body = text.substr(b, e - b);
  std::vector<uint8_t> der(body.size());
  size_t der_len = 0;
  if (sodium_base642bin(der.data(), der.size(), body.data(), body.size(), " \r\n\t", &der_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    host::fail(what + ": PEM body is not valid base64");
  }
  der.resize(der_len);
  Ed25519Key key;
  if (is_public) {
    uint8_t spki[boot::kEd25519SpkiSize];
    uint8_t zero[32] = {};
    boot::ed25519_spki(zero, spki);
    if (der.size() != boot::kEd25519SpkiSize || std::memcmp(der.data(), spki, 12) != 0) {
      host::fail(what + ": not an Ed25519 public key (only Ed25519 is supported)");
    }
    std::memcpy(key.public_key.data(), der.data() + 12, 32);
    return key;
  }
  // PKCS#8: SEQUENCE, INTEGER version, AlgorithmIdentifier(Ed25519), OCTET STRING(OCTET STRING(seed)).
  const bool v1 = der.size() == 48 && std::memcmp(der.data(), kPkcs8Prefix, sizeof(kPkcs8Prefix)) == 0;
  const bool v2 = der.size() >= 7 + sizeof(kAlgAndSeed) + 32 && der[0] == 0x30 && der[2] == 0x02 &&
                  der[3] == 0x01 && der[4] == 0x01 &&
                  std::memcmp(der.data() + 5, kAlgAndSeed, sizeof(kAlgAndSeed)) == 0;
  if (!v1 && !v2) host::fail(what + ": not an Ed25519 PKCS#8 private key (only Ed25519 is supported)");
  key.has_private = true;
  std::memcpy(key.seed.data(), der.data() + 16, 32);
  sodium_memzero(der.data(), der.size());
  derive_public(&key);
  return key;
}

Ed25519Key read_key_file(const std::string& path) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  return parse_key_pem(std::string(bytes.begin(), bytes.end()), "key file " + path);
}

std::string private_key_pem(const Ed25519Key& key) {
  if (!key.has_private) host::fail("no private key to write");
  std::vector<uint8_t> der(std::begin(kPkcs8Prefix), std::end(kPkcs8Prefix));
  der.insert(der.end(), key.seed.begin(), key.seed.end());
  std::string out = pem("PRIVATE KEY", der);
  sodium_memzero(der.data(), der.size());
  return out;
}

std::string public_key_pem(const Ed25519Key& key) {
  std::vector<uint8_t> der(boot::kEd25519SpkiSize);
  boot::ed25519_spki(key.public_key.data(), der.data());
  return pem("PUBLIC KEY", der);
}

std::array<uint8_t, 32> key_hash(const Ed25519Key& key) {
  uint8_t spki[boot::kEd25519SpkiSize];
  boot::ed25519_spki(key.public_key.data(), spki);
  std::array<uint8_t, 32> h{};
  crypto_hash_sha256(h.data(), spki, sizeof(spki));
  return h;
}

std::array<uint8_t, 64> sign_detached(const Ed25519Key& key, const uint8_t* msg, size_t len) {
  if (!key.has_private) host::fail("signing needs a private key, the key file holds only a public key");
  uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, key.seed.data());
  std::array<uint8_t, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, msg, len, sk);
  sodium_memzero(sk, sizeof(sk));
  return sig;
}

std::string to_hex(const uint8_t* data, size_t len) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < len; ++i) {
    s += digits[data[i] >> 4];
    s += digits[data[i] & 15];
  }
  return s;
}

}  // namespace kiln::image
