#include "kiln/boot/image_verify.h"

#include <string.h>

#include "kiln/boot/bytes.h"

namespace kiln::boot {

namespace {

struct TlvArea {
  uint32_t start;  // offset of the 4-byte info header
  uint32_t size;   // including the info header
};

Status read_tlv_info(const FlashArea& area, uint32_t at, uint16_t magic, const char* what, TlvArea* out,
                     Diag* diag) {
  if (at > area.size || area.size - at < kTlvInfoSize) {
    return diag->fail(Status::kRejected, "image: %s TLV area at %lu is past the end (%lu bytes)", what,
                      static_cast<unsigned long>(at), static_cast<unsigned long>(area.size));
  }
  uint8_t info[kTlvInfoSize];
  KILN_TRY(area.read(at, info, kTlvInfoSize, diag));
  if (load_le16(info) != magic) {
    return diag->fail(Status::kRejected, "image: %s TLV info magic 0x%04x, expected 0x%04x", what,
                      load_le16(info), magic);
  }
  out->start = at;
  out->size = load_le16(info + 2);
  if (out->size < kTlvInfoSize || out->size > area.size - at) {
    return diag->fail(Status::kRejected, "image: %s TLV area of %lu bytes does not fit", what,
                      static_cast<unsigned long>(out->size));
  }
  return Status::kOk;
}

// Walks one TLV area; `visit` sees each TLV's type, length and data offset.
// The TLVs must tile the area exactly: a length that overruns is rejected.
template <typename Visit>
Status walk_tlvs(const FlashArea& area, const TlvArea& tlvs, const char* what, Visit visit, Diag* diag) {
  uint32_t at = tlvs.start + kTlvInfoSize;
  const uint32_t end = tlvs.start + tlvs.size;
  while (at < end) {
    if (end - at < kTlvHeaderSize) {
      return diag->fail(Status::kRejected, "image: %s TLV header at %lu is cut off", what,
                        static_cast<unsigned long>(at));
    }
    uint8_t h[kTlvHeaderSize];
    KILN_TRY(area.read(at, h, kTlvHeaderSize, diag));
    const uint16_t type = load_le16(h);
    const uint16_t len = load_le16(h + 2);
    at += kTlvHeaderSize;
    if (len > end - at) {
      return diag->fail(Status::kRejected, "image: %s TLV 0x%04x of %u bytes overruns its area", what, type,
                        len);
    }
    KILN_TRY(visit(type, len, at));
    at += len;
  }
  return Status::kOk;
}

Status expect_len(uint16_t type, uint16_t len, uint16_t want, Diag* diag) {
  if (len != want) {
    return diag->fail(Status::kRejected, "image: TLV 0x%04x has %u bytes, expected %u", type, len, want);
  }
  return Status::kOk;
}

Status once(bool* seen, uint16_t type, Diag* diag) {
  if (*seen) return diag->fail(Status::kRejected, "image: TLV 0x%04x appears twice", type);
  *seen = true;
  return Status::kOk;
}

}  // namespace

Status hash_area(const FlashArea& area, uint32_t offset, uint32_t len, const CryptoPort& crypto,
                 uint8_t digest[kSha256Size], Diag* diag) {
  Sha256Context ctx;
  crypto.sha256_init(&ctx);
  uint8_t buf[128];
  while (len > 0) {
    const uint32_t n = len < sizeof(buf) ? len : static_cast<uint32_t>(sizeof(buf));
    KILN_TRY(area.read(offset, buf, n, diag));
    crypto.sha256_update(&ctx, buf, n);
    offset += n;
    len -= n;
  }
  crypto.sha256_final(&ctx, digest);
  return Status::kOk;
}

Status verify_image(const FlashArea& area, const CryptoPort& crypto, const TrustedKeys& keys,
                    const VerifyPolicy& policy, ImageInfo* info, Diag* diag) {
  memset(info, 0, sizeof(*info));
  info->key_index = -1;
  if (area.size < kImageHeaderSize) {
    return diag->fail(Status::kRejected, "image: %lu bytes cannot hold a header",
                      static_cast<unsigned long>(area.size));
  }
  uint8_t hb[kImageHeaderSize];
  KILN_TRY(area.read(0, hb, kImageHeaderSize, diag));
  KILN_TRY(decode_header(hb, &info->header, diag));
  const ImageHeader& h = info->header;
  // Sizes come from outside: check each sum against the area before use.
  if (h.hdr_size > area.size || h.img_size > area.size - h.hdr_size) {
    return diag->fail(Status::kRejected, "image: header + payload (%u + %lu bytes) exceed the %lu-byte area",
                      h.hdr_size, static_cast<unsigned long>(h.img_size), static_cast<unsigned long>(area.size));
  }
  const uint32_t payload_end = h.hdr_size + h.img_size;

  bool seen_cnt = false, seen_kind = false, seen_abi = false, seen_ops = false;
  uint32_t tlv_start = payload_end;
  if (h.protect_tlv_size != 0) {
    TlvArea prot;
    KILN_TRY(read_tlv_info(area, payload_end, kTlvProtInfoMagic, "protected", &prot, diag));
    if (prot.size != h.protect_tlv_size) {
      return diag->fail(Status::kRejected, "image: protected TLV area is %lu bytes, header says %u",
                        static_cast<unsigned long>(prot.size), h.protect_tlv_size);
    }
    auto visit = [&](uint16_t type, uint16_t len, uint32_t at) -> Status {
      uint8_t d[kOpSetSize];
      switch (type) {
        case kTlvSecCnt:
          KILN_TRY(expect_len(type, len, 4, diag));
          KILN_TRY(once(&seen_cnt, type, diag));
          KILN_TRY(area.read(at, d, 4, diag));
          info->has_security_counter = true;
          info->security_counter = load_le32(d);
          return Status::kOk;
        case kTlvDependency:
          KILN_TRY(expect_len(type, len, 12, diag));
          if (info->dependency_count == kMaxDependencies) {
            return diag->fail(Status::kRejected, "image: more than %lu dependencies",
                              static_cast<unsigned long>(kMaxDependencies));
          }
          KILN_TRY(area.read(at, d, 12, diag));
          info->dependencies[info->dependency_count].image_id = d[0];
          info->dependencies[info->dependency_count].min_version = decode_version(d + 4);
          ++info->dependency_count;
          return Status::kOk;
        case kTlvKilnKind:
          KILN_TRY(expect_len(type, len, 4, diag));
          KILN_TRY(once(&seen_kind, type, diag));
          KILN_TRY(area.read(at, d, 4, diag));
          info->kind = static_cast<ImageKind>(load_le32(d));
          return Status::kOk;
        case kTlvKilnRuntimeAbi:
          KILN_TRY(expect_len(type, len, 4, diag));
          KILN_TRY(once(&seen_abi, type, diag));
          KILN_TRY(area.read(at, d, 4, diag));
          info->has_runtime_abi = true;
          info->runtime_abi = load_le32(d);
          return Status::kOk;
        case kTlvKilnOpSet:
          KILN_TRY(expect_len(type, len, kOpSetSize, diag));
          KILN_TRY(once(&seen_ops, type, diag));
          info->has_op_set = true;
          return area.read(at, info->op_set, kOpSetSize, diag);
        case kTlvKilnHealthInput:
          info->health_input_offset = at;
          info->health_input_size = len;
          return Status::kOk;
        case kTlvKilnHealthOutput:
          info->health_output_offset = at;
          info->health_output_size = len;
          return Status::kOk;
        case kTlvKeyHash:
        case kTlvSha256:
        case kTlvEd25519:
          return diag->fail(Status::kRejected, "image: TLV 0x%04x belongs in the unprotected area", type);
        default:
          return Status::kOk;  // covered by the hash; kiln does not interpret it
      }
    };
    KILN_TRY(walk_tlvs(area, prot, "protected", visit, diag));
    tlv_start = payload_end + prot.size;
  }
  info->hashed_size = tlv_start;

  TlvArea unprot;
  KILN_TRY(read_tlv_info(area, tlv_start, kTlvInfoMagic, "unprotected", &unprot, diag));
  info->total_size = tlv_start + unprot.size;

  uint8_t hash_tlv[kSha256Size], key_hash[kSha256Size], sig[kEd25519SigSize];
  bool seen_hash = false, seen_key = false, seen_sig = false;
  auto visit_unprot = [&](uint16_t type, uint16_t len, uint32_t at) -> Status {
    switch (type) {
      case kTlvSha256:
        KILN_TRY(expect_len(type, len, kSha256Size, diag));
        KILN_TRY(once(&seen_hash, type, diag));
        return area.read(at, hash_tlv, kSha256Size, diag);
      case kTlvKeyHash:
        KILN_TRY(expect_len(type, len, kSha256Size, diag));
        KILN_TRY(once(&seen_key, type, diag));
        return area.read(at, key_hash, kSha256Size, diag);
      case kTlvEd25519:
        KILN_TRY(expect_len(type, len, kEd25519SigSize, diag));
        KILN_TRY(once(&seen_sig, type, diag));
        return area.read(at, sig, kEd25519SigSize, diag);
      default:
        // Anything else unprotected could be changed without detection.
        return diag->fail(Status::kRejected, "image: unexpected unprotected TLV 0x%04x", type);
    }
  };
  KILN_TRY(walk_tlvs(area, unprot, "unprotected", visit_unprot, diag));

  if (!seen_hash) return diag->fail(Status::kRejected, "image: no SHA256 TLV");
  KILN_TRY(hash_area(area, 0, info->hashed_size, crypto, info->digest, diag));
  if (!equal_bytes(info->digest, hash_tlv, kSha256Size)) {
    return diag->fail(Status::kRejected, "image: SHA-256 mismatch: the image was modified");
  }

  if (policy.require_signature || keys.count > 0) {
    if (!seen_key || !seen_sig) {
      return diag->fail(Status::kRejected, "image: unsigned (no KEYHASH/ED25519 TLV)");
    }
    for (uint32_t k = 0; k < keys.count && info->key_index < 0; ++k) {
      uint8_t spki[kEd25519SpkiSize], spki_hash[kSha256Size];
      ed25519_spki(keys.keys[k], spki);
      Sha256Context ctx;
      crypto.sha256_init(&ctx);
      crypto.sha256_update(&ctx, spki, kEd25519SpkiSize);
      crypto.sha256_final(&ctx, spki_hash);
      if (equal_bytes(spki_hash, key_hash, kSha256Size)) info->key_index = static_cast<int32_t>(k);
    }
    if (info->key_index < 0) {
      return diag->fail(Status::kRejected, "image: signed by a key that is not trusted");
    }
    // MCUboot's default (non-pure) Ed25519 signs the 32-byte digest.
    if (!crypto.ed25519_verify(sig, info->digest, kSha256Size, keys.keys[info->key_index])) {
      return diag->fail(Status::kRejected, "image: Ed25519 signature is invalid");
    }
    info->signature_checked = true;
  }

  if (policy.expected_kind != ImageKind::kUnknown && info->kind != policy.expected_kind) {
    return diag->fail(Status::kRejected, "image: is a %s image, expected %s", image_kind_name(info->kind),
                      image_kind_name(policy.expected_kind));
  }
  const uint32_t counter = info->has_security_counter ? info->security_counter : 0;
  if (counter < policy.min_security_counter) {
    return diag->fail(Status::kRejected, "image: security counter %lu is below the device's %lu (downgrade)",
                      static_cast<unsigned long>(counter), static_cast<unsigned long>(policy.min_security_counter));
  }
  return Status::kOk;
}

}  // namespace kiln::boot
