#include "kiln/boot/image_format.h"

#include "kiln/boot/bytes.h"

namespace kiln::boot {

const char* image_kind_name(ImageKind kind) {
  switch (kind) {
    case ImageKind::kFirmware: return "firmware";
    case ImageKind::kModel: return "model";
    case ImageKind::kManifest: return "manifest";
    case ImageKind::kUnknown: break;
  }
  return "unknown";
}

int compare_versions(const ImageVersion& a, const ImageVersion& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.revision != b.revision) return a.revision < b.revision ? -1 : 1;
  if (a.build != b.build) return a.build < b.build ? -1 : 1;
  return 0;
}

ImageVersion decode_version(const uint8_t* p) {
  ImageVersion v;
  v.major = p[0];
  v.minor = p[1];
  v.revision = load_le16(p + 2);
  v.build = load_le32(p + 4);
  return v;
}

void encode_version(const ImageVersion& v, uint8_t* p) {
  p[0] = v.major;
  p[1] = v.minor;
  store_le16(p + 2, v.revision);
  store_le32(p + 4, v.build);
}

Status decode_header(const uint8_t* b, ImageHeader* out, Diag* diag) {
  out->magic = load_le32(b);
  out->load_addr = load_le32(b + 4);
  out->hdr_size = load_le16(b + 8);
  out->protect_tlv_size = load_le16(b + 10);
  out->img_size = load_le32(b + 12);
  out->flags = load_le32(b + 16);
  out->version = decode_version(b + 20);
  out->pad1 = load_le32(b + 28);
  if (out->magic != kImageMagic) {
    return diag->fail(Status::kRejected, "image: bad magic 0x%08lx (expected 0x%08lx)",
                      static_cast<unsigned long>(out->magic), static_cast<unsigned long>(kImageMagic));
  }
  if (out->hdr_size < kImageHeaderSize) {
    return diag->fail(Status::kRejected, "image: header size %u is below %lu", out->hdr_size,
                      static_cast<unsigned long>(kImageHeaderSize));
  }
  if (out->protect_tlv_size != 0 && out->protect_tlv_size < kTlvInfoSize) {
    return diag->fail(Status::kRejected, "image: protected TLV size %u is below the info header",
                      out->protect_tlv_size);
  }
  return Status::kOk;
}

void encode_header(const ImageHeader& h, uint8_t* out) {
  store_le32(out, h.magic);
  store_le32(out + 4, h.load_addr);
  store_le16(out + 8, h.hdr_size);
  store_le16(out + 10, h.protect_tlv_size);
  store_le32(out + 12, h.img_size);
  store_le32(out + 16, h.flags);
  encode_version(h.version, out + 20);
  store_le32(out + 28, h.pad1);
}

}  // namespace kiln::boot
