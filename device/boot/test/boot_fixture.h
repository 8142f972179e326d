// Test support for boot and OTA tests: deterministic keys, signed pairs and
// bundles (host signer), and a simulated NOR flash that can lose power
// before, after or in the middle of any program or erase.
#pragma once
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "kiln/boot/boot.h"
#include "kiln/boot/swap.h"
#include "kiln/image/bundle.h"
#include "kiln/image/host_verify.h"
#include "kiln/image/signer.h"
#include "kiln/image/sodium_port.h"
#include "kiln/ota/bundle_format.h"

namespace kiln::boot::testing {

inline image::Ed25519Key test_key(uint8_t seed_byte) {
  image::Ed25519Key k;
  k.has_private = true;
  k.seed.fill(seed_byte);
  uint8_t sk[64];
  image::sodium_crypto_port();
  crypto_sign_seed_keypair(k.public_key.data(), sk, k.seed.data());
  return k;
}

// How power is lost during the operation the cut lands on.
enum class Cut : uint8_t {
  kBefore,       // the operation never starts
  kTornPrefix,   // first part done, one byte half-changed, rest untouched
  kTornScatter,  // a pseudo-random mix of new, old and half-changed bytes
  kAfter,        // the operation completes, then power goes
};
constexpr Cut kAllCuts[] = {Cut::kBefore, Cut::kTornPrefix, Cut::kTornScatter, Cut::kAfter};
inline const char* cut_name(Cut c) {
  switch (c) {
    case Cut::kBefore: return "before";
    case Cut::kTornPrefix: return "torn-prefix";
    case Cut::kTornScatter: return "torn-scatter";
    case Cut::kAfter: return "after";
  }
  return "?";
}

class SimFlash final : public Flash {
 public:
  explicit SimFlash(const FlashGeometry& g) : Flash(g), mem(g.size, g.erased_value) {}

  Status read(uint32_t offset, uint8_t* dst, uint32_t len, Diag* diag) override {
    if (dead) return diag->fail(Status::kInternal, "power lost");
    KILN_TRY(check_range(offset, len, 1, "read", diag));
    std::memcpy(dst, mem.data() + offset, len);
    return Status::kOk;
  }
  Status program(uint32_t offset, const uint8_t* src, uint32_t len, Diag* diag) override {
    if (dead) return diag->fail(Status::kInternal, "power lost");
    KILN_TRY(check_range(offset, len, geometry().write_size, "program", diag));
    for (uint32_t i = 0; i < len; ++i) {
      if (mem[offset + i] != geometry().erased_value) {
        ++overwrites;
        return diag->fail(Status::kInvalidArgument, "sim flash: program over non-erased byte at 0x%lx",
                          static_cast<unsigned long>(offset + i));
      }
    }
    // NOR programming only clears bits: a half-programmed byte is old & (new | noise).
    return apply(offset, len, [&](uint32_t i) { return src[i]; },
                 [&](uint32_t i, uint8_t noise) { return static_cast<uint8_t>(mem[offset + i] & (src[i] | noise)); },
                 diag);
  }
  Status erase(uint32_t offset, uint32_t len, Diag* diag) override {
    if (dead) return diag->fail(Status::kInternal, "power lost");
    KILN_TRY(check_range(offset, len, geometry().erase_size, "erase", diag));
    const uint8_t e = geometry().erased_value;
    // A half-erased byte has some bits set back: old | noise.
    return apply(offset, len, [&](uint32_t) { return e; },
                 [&](uint32_t i, uint8_t noise) { return static_cast<uint8_t>(mem[offset + i] | noise); }, diag);
  }

  void power_on() { dead = false; cut_at = -1; }

  std::vector<uint8_t> mem;
  int64_t ops = 0;      // program/erase operations started
  int64_t cut_at = -1;  // operation index at which power is lost
  Cut cut = Cut::kBefore;
  uint32_t seed = 1;
  bool dead = false;
  uint32_t overwrites = 0;  // programs over non-erased bytes: a bug in the caller

 private:
  uint32_t rnd() {
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
  }
  template <typename Full, typename Half>
  Status apply(uint32_t offset, uint32_t len, Full full, Half half, Diag* diag) {
    const int64_t index = ops++;
    if (index != cut_at) {
      for (uint32_t i = 0; i < len; ++i) mem[offset + i] = full(i);
      return Status::kOk;
    }
    dead = true;
    switch (cut) {
      case Cut::kBefore: break;
      case Cut::kAfter:
        for (uint32_t i = 0; i < len; ++i) mem[offset + i] = full(i);
        break;
      case Cut::kTornPrefix: {
        const uint32_t k = len / 2;
        for (uint32_t i = 0; i < k; ++i) mem[offset + i] = full(i);
        mem[offset + k] = half(k, static_cast<uint8_t>(rnd()));
        break;
      }
      case Cut::kTornScatter:
        for (uint32_t i = 0; i < len; ++i) {
          const uint32_t r = rnd() % 3;
          if (r == 0) mem[offset + i] = full(i);
          if (r == 1) mem[offset + i] = half(i, static_cast<uint8_t>(rnd()));
        }
        break;
    }
    return diag->fail(Status::kInternal, "power lost");
  }
};

struct PairImages {
  std::vector<uint8_t> firmware, model, bundle;
  std::array<uint8_t, 32> firmware_digest{}, model_digest{};
};

// A firmware + model pair of `version`, sequence and security counter `seq`.
inline PairImages make_pair(const image::Ed25519Key& key, uint8_t version, uint32_t seq, uint32_t fw_bytes = 700,
                            uint32_t model_bytes = 300) {
  PairImages p;
  image::SignOptions o;
  o.version = {version, 0, 0, 0};
  o.header_size = 32;
  o.pad_header = true;
  o.security_counter = seq;
  image::SignOptions fo = o, mo = o;
  image::add_kiln_kind(&fo, ImageKind::kFirmware);
  image::add_kiln_runtime(&fo, 1, {3, 4, 9});
  image::add_kiln_kind(&mo, ImageKind::kModel);
  image::add_kiln_runtime(&mo, 1, {3, 9});
  std::vector<uint8_t> fw(fw_bytes), model(model_bytes);
  for (uint32_t i = 0; i < fw_bytes; ++i) fw[i] = static_cast<uint8_t>(i * 7 + version);
  for (uint32_t i = 0; i < model_bytes; ++i) model[i] = static_cast<uint8_t>(i * 13 + version * 3);
  p.firmware = image::sign_image(fw, fo, &key);
  p.model = image::sign_image(model, mo, &key);
  image::BundleOptions b;
  b.sequence = seq;
  b.security_counter = seq;
  b.firmware_requires_model = {version, 0, 0, 0};
  b.model_requires_firmware = {version, 0, 0, 0};
  p.bundle = image::make_bundle(p.firmware, p.model, key, b);
  const VerifyPolicy hash_only{0, ImageKind::kUnknown, false};
  std::memcpy(p.firmware_digest.data(), image::verify_image_bytes(p.firmware, {}, hash_only).info.digest, 32);
  std::memcpy(p.model_digest.data(), image::verify_image_bytes(p.model, {}, hash_only).info.digest, 32);
  return p;
}

// A device: flash, slot layout and boot configuration.
constexpr uint32_t kTestAttempts = 3;  // trial boots before a revert in tests

struct Device {
  static constexpr FlashGeometry kGeometry{32 * 1024, 512, 16, 0xff};
  Device(const Device&) = delete;  // cfg points into this object
  explicit Device(const image::Ed25519Key& key, UpgradeMode mode = UpgradeMode::kDirect)
      : flash(kGeometry), public_key(key.public_key) {
    Diag d;
    if (make_layout(&flash, table(mode), &layout, &d) != Status::kOk) ADD_FAILURE() << d.message();
    cfg = {&layout, &image::sodium_crypto_port(), {reinterpret_cast<const uint8_t(*)[32]>(public_key.data()), 1},
           kTestAttempts};
  }
  // A{fw 2048, model 1024, manifest 512}, B{...}, counter; swap adds a
  // one-block scratch (7 chunks) and a 2 x 1024-byte swap log.
  static PartitionTable table(UpgradeMode mode) {
    PartitionTable t = contiguous_partitions(kGeometry, 0, {2048, 1024, 512, 512});
    if (mode == UpgradeMode::kSwap) {
      t.mode = mode;
      t.scratch = {t.counter.offset + 512, 512};
      t.swap_status = {t.scratch.offset + 512, 2048};
    }
    return t;
  }
  // Writes a bundle's images straight into `slot` (factory programming).
  void provision(const std::vector<uint8_t>& bundle, uint32_t slot, bool confirmed) {
    const image::BundleParts parts = image::split_bundle(bundle);
    put(layout.area(slot, Part::kManifest), parts.manifest);
    put(layout.area(slot, Part::kFirmware), parts.firmware);
    put(layout.area(slot, Part::kModel), parts.model);
    Diag d;
    (void)write_trailer_magic(layout.area(slot, Part::kManifest), &d);
    if (confirmed) (void)boot_confirm(cfg, slot, &d);
  }
  void put(const FlashArea& a, const std::vector<uint8_t>& bytes) {
    std::memcpy(flash.mem.data() + a.offset, bytes.data(), bytes.size());
  }

  SimFlash flash;
  SlotLayout layout{};
  BootConfig cfg{};
  std::array<uint8_t, 32> public_key;
};

}  // namespace kiln::boot::testing
