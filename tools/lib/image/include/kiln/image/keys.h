// Ed25519 keys in the PEM files imgtool uses: PKCS#8 "PRIVATE KEY" and
// SubjectPublicKeyInfo "PUBLIC KEY". Key bytes never go into messages.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::image {

struct Ed25519Key {
  bool has_private = false;
  std::array<uint8_t, 32> seed{};    // only when has_private
  std::array<uint8_t, 32> public_key{};
};

Ed25519Key generate_key();
// Reads a private or public PEM file (a private key yields its public half).
Ed25519Key read_key_file(const std::string& path);
Ed25519Key parse_key_pem(const std::string& pem, const std::string& what);
std::string private_key_pem(const Ed25519Key& key);
std::string public_key_pem(const Ed25519Key& key);
// SHA-256 of the DER SubjectPublicKeyInfo, as in MCUboot's KEYHASH TLV.
std::array<uint8_t, 32> key_hash(const Ed25519Key& key);
// 64-byte Ed25519 signature of `msg` (throws if the key has no private half).
std::array<uint8_t, 64> sign_detached(const Ed25519Key& key, const uint8_t* msg, size_t len);

std::string to_hex(const uint8_t* data, size_t len);

}  // namespace kiln::image
