#include "kiln/boot/pair.h"

#include "kiln/boot/bytes.h"
#include "kiln/boot/trailer.h"

namespace kiln::boot {

namespace {

Status check_min(const ImageVersion& have, const ImageVersion& need, const char* who, const char* what, Diag* diag) {
  if (compare_versions(have, need) < 0) {
    return diag->fail(Status::kRejected, "pair: %s needs %s >= %u.%u.%u, got %u.%u.%u", who, what, need.major,
                      need.minor, need.revision, have.major, have.minor, have.revision);
  }
  return Status::kOk;
}

Status check_dependencies(const ImageInfo& image, const ImageInfo& other, uint8_t other_id, const char* who,
                          Diag* diag) {
  for (uint32_t i = 0; i < image.dependency_count; ++i) {
    const ImageDependency& d = image.dependencies[i];
    if (d.image_id != other_id) continue;
    KILN_TRY(check_min(other.header.version, d.min_version, who, other_id == 0 ? "firmware" : "model", diag));
  }
  return Status::kOk;
}

}  // namespace

Status verify_manifest(const BootConfig& cfg, const FlashArea& manifest_area, uint32_t min_counter, ImageInfo* image,
                       Manifest* manifest, Diag* diag) {
  FlashArea body = manifest_area;
  body.size -= trailer_size(manifest_area);  // the image never reaches into the trailer
  VerifyPolicy policy;
  policy.expected_kind = ImageKind::kManifest;
  policy.min_security_counter = min_counter;
  KILN_TRY(verify_image(body, *cfg.crypto, cfg.keys, policy, image, diag));
  uint8_t payload[kManifestSize];
  if (image->header.img_size != kManifestSize) {
    return diag->fail(Status::kRejected, "manifest: payload is %lu bytes, expected %lu",
                      static_cast<unsigned long>(image->header.img_size), static_cast<unsigned long>(kManifestSize));
  }
  KILN_TRY(body.read(image->header.hdr_size, payload, kManifestSize, diag));
  return decode_manifest(payload, kManifestSize, manifest, diag);
}

Status check_against_manifest(const Manifest& m, const ImageInfo& image, Diag* diag) {
  const bool fw = image.kind == ImageKind::kFirmware;
  const uint8_t* digest = fw ? m.firmware_digest : m.model_digest;
  const ImageVersion& version = fw ? m.firmware_version : m.model_version;
  if (!equal_bytes(image.digest, digest, kSha256Size)) {
    return diag->fail(Status::kRejected, "pair: the %s is not the one the manifest names (hash differs)",
                      image_kind_name(image.kind));
  }
  if (compare_versions(image.header.version, version) != 0) {
    return diag->fail(Status::kRejected, "pair: %s version differs from the manifest's",
                      image_kind_name(image.kind));
  }
  return Status::kOk;
}

Status verify_pair(const BootConfig& cfg, uint32_t slot, uint32_t min_counter, PairInfo* out, Diag* diag) {
  const SlotLayout& l = *cfg.layout;
  KILN_TRY(verify_manifest(cfg, l.area(slot, Part::kManifest), min_counter, &out->manifest_image, &out->manifest,
                           diag));
  VerifyPolicy policy;
  policy.expected_kind = ImageKind::kFirmware;
  KILN_TRY(verify_image(l.area(slot, Part::kFirmware), *cfg.crypto, cfg.keys, policy, &out->firmware, diag));
  policy.expected_kind = ImageKind::kModel;
  KILN_TRY(verify_image(l.area(slot, Part::kModel), *cfg.crypto, cfg.keys, policy, &out->model, diag));
  const Manifest& m = out->manifest;
  KILN_TRY(check_against_manifest(m, out->firmware, diag));
  KILN_TRY(check_against_manifest(m, out->model, diag));
  KILN_TRY(check_min(out->model.header.version, m.firmware_requires_model, "firmware", "model", diag));
  KILN_TRY(check_min(out->firmware.header.version, m.model_requires_firmware, "model", "firmware", diag));
  KILN_TRY(check_dependencies(out->firmware, out->model, 1, "firmware", diag));
  KILN_TRY(check_dependencies(out->model, out->firmware, 0, "model", diag));
  if (out->firmware.has_runtime_abi && out->model.has_runtime_abi &&
      out->firmware.runtime_abi != out->model.runtime_abi) {
    return diag->fail(Status::kRejected, "pair: model needs runtime ABI %lu, firmware provides %lu",
                      static_cast<unsigned long>(out->model.runtime_abi),
                      static_cast<unsigned long>(out->firmware.runtime_abi));
  }
  if (out->firmware.has_op_set && out->model.has_op_set) {
    for (uint32_t i = 0; i < kOpSetSize * 8; ++i) {
      const bool needed = (out->model.op_set[i / 8] >> (i % 8)) & 1;
      const bool provided = (out->firmware.op_set[i / 8] >> (i % 8)) & 1;
      if (needed && !provided) {
        return diag->fail(Status::kRejected, "pair: model needs operator %lu, the firmware lacks it",
                          static_cast<unsigned long>(i));
      }
    }
  }
  return Status::kOk;
}

}  // namespace kiln::boot
