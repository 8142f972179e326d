// Bundles on the host: `kiln bundle` packs a signed firmware image and a
// signed model image with a signed manifest binding the two; verification
// runs the device core's own pair check on a RAM flash.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiln/boot/pair.h"
#include "kiln/image/keys.h"

namespace kiln::image {

struct BundleOptions {
  uint32_t sequence = 0;  // 0: derive from the manifest's security counter, else 1
  std::optional<boot::ImageVersion> version;  // manifest image version; default: the firmware's
  std::optional<uint32_t> security_counter;   // manifest SEC_CNT (anti-rollback for the pair)
  boot::ImageVersion firmware_requires_model{};
  boot::ImageVersion model_requires_firmware{};
};

std::vector<uint8_t> make_manifest_image(const boot::Manifest& m, const BundleOptions& o, const Ed25519Key& key);
std::vector<uint8_t> make_bundle(const std::vector<uint8_t>& firmware, const std::vector<uint8_t>& model,
                                 const Ed25519Key& key, const BundleOptions& o);
bool is_bundle(const std::vector<uint8_t>& bytes);

struct BundleParts {
  std::vector<uint8_t> manifest, firmware, model;
};
BundleParts split_bundle(const std::vector<uint8_t>& bytes);  // throws on a malformed header
std::vector<uint8_t> join_bundle(const BundleParts& parts);

struct BundleCheck {
  bool ok = false;
  std::string error;
  boot::PairInfo pair{};
};
BundleCheck verify_bundle(const std::vector<uint8_t>& bytes, const std::vector<Ed25519Key>& keys,
                          uint32_t min_security_counter);

}  // namespace kiln::image
