#include "kiln/image/bundle.h"

#include <cstring>

#include "kiln/boot/bytes.h"
#include "kiln/boot/trailer.h"
#include "kiln/host/error.h"
#include "kiln/image/host_verify.h"
#include "kiln/image/signer.h"
#include "kiln/image/sodium_port.h"
#include "kiln/ota/bundle_format.h"

namespace kiln::image {

namespace {

boot::ImageInfo describe(const std::vector<uint8_t>& image, boot::ImageKind kind, const char* what) {
  boot::VerifyPolicy policy;
  policy.require_signature = false;
  const HostVerifyResult r = verify_image_bytes(image, {}, policy);
  if (!r.ok) host::fail(std::string(what) + " image is invalid: " + r.error);
  if (r.info.kind != kind) {
    host::fail(std::string(what) + " image is of kind '" + boot::image_kind_name(r.info.kind) + "'; sign it with --kind " +
               boot::image_kind_name(kind));
  }
  if (r.info.total_size != image.size()) {
    host::fail(std::string(what) + " image has " + std::to_string(image.size() - r.info.total_size) +
               " trailing bytes (padded?); bundle unpadded images");
  }
  return r.info;
}

}  // namespace

std::vector<uint8_t> make_manifest_image(const boot::Manifest& m, const BundleOptions& o, const Ed25519Key& key) {
  std::vector<uint8_t> payload(boot::kManifestSize);
  boot::encode_manifest(m, payload.data());
  SignOptions s;
  s.version = o.version ? *o.version : m.firmware_version;
  s.header_size = boot::kImageHeaderSize;
  s.pad_header = true;
  s.security_counter = o.security_counter;
  add_kiln_kind(&s, boot::ImageKind::kManifest);
  return sign_image(payload, s, &key);
}

std::vector<uint8_t> make_bundle(const std::vector<uint8_t>& firmware, const std::vector<uint8_t>& model,
                                 const Ed25519Key& key, const BundleOptions& o) {
  const boot::ImageInfo fw = describe(firmware, boot::ImageKind::kFirmware, "firmware");
  const boot::ImageInfo md = describe(model, boot::ImageKind::kModel, "model");
  boot::Manifest m{};
  m.sequence = o.sequence != 0 ? o.sequence : (o.security_counter ? *o.security_counter : 1);
  m.firmware_version = fw.header.version;
  std::memcpy(m.firmware_digest, fw.digest, 32);
  m.model_version = md.header.version;
  std::memcpy(m.model_digest, md.digest, 32);
  m.firmware_requires_model = o.firmware_requires_model;
  m.model_requires_firmware = o.model_requires_firmware;
  if (boot::compare_versions(md.header.version, m.firmware_requires_model) < 0) {
    host::fail("the firmware requires model >= " + format_version(m.firmware_requires_model) + ", the model is " +
               format_version(md.header.version));
  }
  if (boot::compare_versions(fw.header.version, m.model_requires_firmware) < 0) {
    host::fail("the model requires firmware >= " + format_version(m.model_requires_firmware) + ", the firmware is " +
               format_version(fw.header.version));
  }
  return join_bundle({make_manifest_image(m, o, key), firmware, model});
}

bool is_bundle(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= ota::kBundleHeaderSize && boot::load_le32(bytes.data()) == ota::kBundleMagic;
}

std::vector<uint8_t> join_bundle(const BundleParts& p) {
  ota::BundleHeader h{};
  h.sizes[0] = static_cast<uint32_t>(p.manifest.size());
  h.sizes[1] = static_cast<uint32_t>(p.firmware.size());
  h.sizes[2] = static_cast<uint32_t>(p.model.size());
  std::vector<uint8_t> out(ota::kBundleHeaderSize);
  ota::encode_bundle_header(h, out.data());
  for (const auto* part : {&p.manifest, &p.firmware, &p.model}) out.insert(out.end(), part->begin(), part->end());
  return out;
}

BundleParts split_bundle(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < ota::kBundleHeaderSize) host::fail("bundle: shorter than its header");
  ota::BundleHeader h{};
  Diag diag;
  if (ota::decode_bundle_header(bytes.data(), &h, &diag) != Status::kOk) host::fail(diag.message());
  const uint64_t total = uint64_t{ota::kBundleHeaderSize} + h.sizes[0] + h.sizes[1] + h.sizes[2];
  if (total != bytes.size()) {
    host::fail("bundle: header declares " + std::to_string(total) + " bytes, the file has " + std::to_string(bytes.size()));
  }
  BundleParts p;
  size_t at = ota::kBundleHeaderSize;
  for (auto [part, size] : {std::pair{&p.manifest, h.sizes[0]}, {&p.firmware, h.sizes[1]}, {&p.model, h.sizes[2]}}) {
    part->assign(bytes.begin() + at, bytes.begin() + at + size);
    at += size;
  }
  return p;
}

BundleCheck verify_bundle(const std::vector<uint8_t>& bytes, const std::vector<Ed25519Key>& keys,
                          uint32_t min_security_counter) {
  BundleCheck check;
  BundleParts p;
  try {
    p = split_bundle(bytes);
  } catch (const host::ToolError& e) {
    check.error = e.what();
    return check;
  }
  // Lay the parts out in a RAM flash exactly as a device stages them.
  constexpr uint32_t kErase = 4096;
  auto round = [](size_t n) { return static_cast<uint32_t>((n + kErase - 1) / kErase * kErase); };
  const boot::SlotSizes sizes{round(p.firmware.size()), round(p.model.size()),
                              round(p.manifest.size() + 256), kErase};
  std::vector<uint8_t> mem(2u * (sizes.firmware + sizes.model + sizes.manifest) + sizes.counter, 0xff);
  boot::RamFlash flash({static_cast<uint32_t>(mem.size()), kErase, 4, 0xff}, mem.data());
  boot::SlotLayout layout;
  Diag diag;
  if (boot::make_layout(&flash, 0, sizes, &layout, &diag) != Status::kOk) host::fail(diag.message());
  auto place = [&](boot::Part part, const std::vector<uint8_t>& img) {
    const boot::FlashArea& a = layout.area(0, part);
    std::memcpy(mem.data() + a.offset, img.data(), img.size());
  };
  place(boot::Part::kManifest, p.manifest);
  place(boot::Part::kFirmware, p.firmware);
  place(boot::Part::kModel, p.model);
  std::vector<std::array<uint8_t, 32>> raw;
  for (const Ed25519Key& k : keys) raw.push_back(k.public_key);
  const boot::BootConfig cfg{&layout, &sodium_crypto_port(),
                             {reinterpret_cast<const uint8_t(*)[32]>(raw.data()), static_cast<uint32_t>(raw.size())}};
  if (raw.empty()) {
    check.error = "a bundle can only be verified with a key";
    return check;
  }
  if (boot::verify_pair(cfg, 0, min_security_counter, &check.pair, &diag) != Status::kOk) {
    check.error = diag.message();
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace kiln::image
