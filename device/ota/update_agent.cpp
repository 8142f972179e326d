#include "kiln/ota/update_agent.h"

#include <string.h>

#include "kiln/boot/security_counter.h"

namespace kiln::ota {

namespace {

const char* const kRegionName[kBundlePartCount] = {"manifest", "firmware", "model"};
const boot::Part kRegionPart[kBundlePartCount] = {boot::Part::kManifest, boot::Part::kFirmware, boot::Part::kModel};

}  // namespace

const boot::FlashArea& UpdateAgent::area(uint32_t r) const {
  return cfg_.layout->area(target_slot(), kRegionPart[r]);
}

uint32_t UpdateAgent::region_start(uint32_t r) const {
  uint32_t at = kBundleHeaderSize;
  for (uint32_t i = 0; i < r; ++i) at += header_.sizes[i];
  return at;
}

Status UpdateAgent::check_target(const uint8_t header[kBundleHeaderSize], Diag* diag) {
  active_ = false;
  if (running_.mode != boot::BootMode::kConfirmed) {
    return diag->fail(Status::kInvalidArgument, "update: the running pair is on trial; confirm it first");
  }
  KILN_TRY(decode_bundle_header(header, &header_, diag));
  for (uint32_t r = 0; r < kBundlePartCount; ++r) {
    uint32_t room = area(r).size;
    if (r == 0) room -= boot::trailer_size(area(r));
    if (header_.sizes[r] < boot::kImageHeaderSize + boot::kTlvInfoSize || header_.sizes[r] > room) {
      return diag->fail(Status::kRejected, "update: %s of %lu bytes does not fit its %lu-byte area",
                        kRegionName[r], static_cast<unsigned long>(header_.sizes[r]), static_cast<unsigned long>(room));
    }
  }
  if (area(0).write_size() > sizeof(unit_)) return diag->fail(Status::kUnsupported, "update: write size above 32");
  unit_fill_ = 0;
  manifest_ok_ = false;
  verified_ = 0;
  return Status::kOk;
}

Status UpdateAgent::start(const uint8_t header[kBundleHeaderSize], Diag* diag) {
  KILN_TRY(check_target(header, diag));
  for (uint32_t r = 0; r < kBundlePartCount; ++r) KILN_TRY(area(r).erase_all(diag));  // manifest first
  pos_ = kBundleHeaderSize;
  active_ = true;
  return Status::kOk;
}

Status UpdateAgent::resume(const uint8_t header[kBundleHeaderSize], uint32_t* next_offset, Diag* diag) {
  KILN_TRY(check_target(header, diag));
  // The staged prefix ends after the last programmed (or torn) write unit.
  pos_ = kBundleHeaderSize;
  for (uint32_t r = kBundlePartCount; r-- > 0;) {
    const uint32_t unit = area(r).write_size();
    uint32_t end = 0;
    for (uint32_t off = 0; off < header_.sizes[r]; off += unit) {
      bool erased = false;
      KILN_TRY(area(r).is_erased(off, unit, &erased, diag));
      if (!erased) end = off + unit;
    }
    if (end > 0) {
      pos_ = region_start(r) + (end < header_.sizes[r] ? end : header_.sizes[r]);
      break;
    }
  }
  active_ = true;
  for (uint32_t r = 0; r < kBundlePartCount; ++r) {
    if (pos_ >= region_start(r) + header_.sizes[r]) {
      if (region_complete(r, diag) != Status::kOk) {
        active_ = false;
        return diag->status();
      }
    } else if (pos_ > region_start(r)) {
      const uint32_t have = pos_ - region_start(r);
      KILN_TRY(area(r).read(0, image_header_, have < boot::kImageHeaderSize ? have : boot::kImageHeaderSize, diag));
    }
  }
  *next_offset = pos_;
  return Status::kOk;
}

Status UpdateAgent::flush_unit(uint32_t r, Diag* diag) {
  const uint32_t unit = area(r).write_size();
  memset(unit_ + unit_fill_, area(r).erased_value(), unit - unit_fill_);
  const uint32_t off = pos_ - region_start(r) - unit_fill_;
  unit_fill_ = 0;
  return area(r).program(off, unit_, unit, diag);
}

Status UpdateAgent::write(uint32_t offset, const uint8_t* data, uint32_t len, Diag* diag) {
  if (!active_) return diag->fail(Status::kInvalidArgument, "update: no download in progress");
  if (offset != pos_) {
    return diag->fail(Status::kInvalidArgument, "update: chunk at %lu, expected %lu",
                      static_cast<unsigned long>(offset), static_cast<unsigned long>(pos_));
  }
  if (len > header_.total() - pos_) {
    active_ = false;
    return diag->fail(Status::kRejected, "update: %lu bytes past the bundle's declared %lu",
                      static_cast<unsigned long>(len - (header_.total() - pos_)),
                      static_cast<unsigned long>(header_.total()));
  }
  while (len > 0) {
    uint32_t r = 0;
    while (r + 1 < kBundlePartCount && pos_ >= region_start(r + 1)) ++r;
    const uint32_t ro = pos_ - region_start(r);
    const uint32_t unit = area(r).write_size();
    uint32_t n = header_.sizes[r] - ro;
    if (n > unit - unit_fill_) n = unit - unit_fill_;
    if (n > len) n = len;
    memcpy(unit_ + unit_fill_, data, n);
    if (ro < boot::kImageHeaderSize) {
      const uint32_t h = ro + n > boot::kImageHeaderSize ? boot::kImageHeaderSize - ro : n;
      memcpy(image_header_ + ro, data, h);
    }
    unit_fill_ += n;
    pos_ += n;
    data += n;
    len -= n;
    const bool region_end = pos_ == region_start(r) + header_.sizes[r];
    if (ro < boot::kImageHeaderSize && ro + n >= boot::kImageHeaderSize) {
      // Validate the image's claimed sizes before accepting its payload.
      boot::ImageHeader ih;
      if (boot::decode_header(image_header_, &ih, diag) != Status::kOk) {
        active_ = false;
        return diag->status();
      }
      const uint64_t claimed = uint64_t{ih.hdr_size} + ih.img_size + ih.protect_tlv_size + boot::kTlvInfoSize;
      if (claimed > header_.sizes[r]) {
        active_ = false;
        return diag->fail(Status::kRejected, "update: %s image claims %llu bytes, the bundle carries %lu",
                          kRegionName[r], static_cast<unsigned long long>(claimed),
                          static_cast<unsigned long>(header_.sizes[r]));
      }
    }
    if (unit_fill_ == unit || region_end) KILN_TRY(flush_unit(r, diag));
    if (region_end && region_complete(r, diag) != Status::kOk) {
      active_ = false;
      return diag->status();
    }
  }
  return Status::kOk;
}

Status UpdateAgent::region_complete(uint32_t r, Diag* diag) {
  boot::ImageInfo info;
  if (r == 0) {
    uint32_t counter = 0;
    KILN_TRY(boot::read_security_counter(cfg_.layout->counter, &counter, diag));
    KILN_TRY(boot::verify_manifest(cfg_, area(0), counter, &info, &manifest_, diag));
    if (manifest_.sequence <= running_.pair.manifest.sequence) {
      return diag->fail(Status::kRejected, "update: bundle sequence %lu is not newer than the running %lu",
                        static_cast<unsigned long>(manifest_.sequence),
                        static_cast<unsigned long>(running_.pair.manifest.sequence));
    }
    manifest_ok_ = true;
  } else {
    if (!manifest_ok_) return diag->fail(Status::kInternal, "update: manifest not verified");
    boot::FlashArea image = area(r);
    image.size = header_.sizes[r];
    boot::VerifyPolicy policy;
    policy.expected_kind = r == 1 ? boot::ImageKind::kFirmware : boot::ImageKind::kModel;
    KILN_TRY(boot::verify_image(image, *cfg_.crypto, cfg_.keys, policy, &info, diag));
    KILN_TRY(boot::check_against_manifest(manifest_, info, diag));
  }
  verified_ = r + 1;
  return Status::kOk;
}

Status UpdateAgent::finish(Diag* diag) {
  if (!active_ || pos_ != header_.total() || verified_ != kBundlePartCount) {
    return diag->fail(Status::kInvalidArgument, "update: bundle incomplete (%lu of %lu bytes)",
                      static_cast<unsigned long>(pos_), static_cast<unsigned long>(header_.total()));
  }
  uint32_t counter = 0;
  KILN_TRY(boot::read_security_counter(cfg_.layout->counter, &counter, diag));
  boot::PairInfo pair;
  KILN_TRY(boot::verify_pair(cfg_, target_slot(), counter, &pair, diag));
  active_ = false;
  return boot::write_trailer_magic(area(0), diag);  // the swap request: boot tries it next
}

Status confirm_if_healthy(const boot::BootConfig& cfg, const boot::BootDecision& booted, HealthCheck check,
                          void* ctx, bool* confirmed, Diag* diag) {
  *confirmed = booted.mode == boot::BootMode::kConfirmed;
  if (*confirmed) return Status::kOk;
  if (!check(booted, ctx)) return Status::kOk;
  KILN_TRY(boot::boot_confirm(cfg, booted.slot, diag));
  *confirmed = true;
  return Status::kOk;
}

}  // namespace kiln::ota
