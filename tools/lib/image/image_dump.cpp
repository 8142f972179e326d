#include "kiln/image/image_dump.h"

#include <cstring>

#include "kiln/boot/bytes.h"
#include "kiln/host/error.h"
#include "kiln/image/keys.h"
#include "kiln/image/signer.h"

namespace kiln::image {

namespace {

void read_area(const std::vector<uint8_t>& b, uint32_t at, uint16_t magic, bool prot, ImageDump* d, uint32_t* end) {
  if (at > b.size() || b.size() - at < 4) host::fail("TLV area at " + std::to_string(at) + " is past the end");
  if (boot::load_le16(&b[at]) != magic) host::fail("TLV info magic at " + std::to_string(at) + " is wrong");
  const uint32_t size = boot::load_le16(&b[at + 2]);
  if (size < 4 || size > b.size() - at) host::fail("TLV area size " + std::to_string(size) + " does not fit");
  uint32_t p = at + 4;
  *end = at + size;
  while (p < *end) {
    if (*end - p < 4) host::fail("TLV header cut off at " + std::to_string(p));
    const uint16_t type = boot::load_le16(&b[p]);
    const uint16_t len = boot::load_le16(&b[p + 2]);
    p += 4;
    if (len > *end - p) host::fail("TLV " + tlv_name(type) + " overruns its area");
    d->tlvs.push_back({prot, type, p, std::vector<uint8_t>(b.begin() + p, b.begin() + p + len)});
    p += len;
  }
}

}  // namespace

std::string tlv_name(uint16_t type) {
  switch (type) {
    case boot::kTlvKeyHash: return "KEYHASH";
    case boot::kTlvSha256: return "SHA256";
    case boot::kTlvEd25519: return "ED25519";
    case boot::kTlvDependency: return "DEPENDENCY";
    case boot::kTlvSecCnt: return "SEC_CNT";
    case boot::kTlvKilnKind: return "KILN_KIND";
    case boot::kTlvKilnRuntimeAbi: return "KILN_RUNTIME_ABI";
    case boot::kTlvKilnOpSet: return "KILN_OP_SET";
    case boot::kTlvKilnHealthInput: return "KILN_HEALTH_IN";
    case boot::kTlvKilnHealthOutput: return "KILN_HEALTH_OUT";
    default: {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "0x%04x", type);
      return buf;
    }
  }
}

ImageDump dump_image(const std::vector<uint8_t>& b) {
  ImageDump d;
  if (b.size() < boot::kImageHeaderSize) host::fail("file is smaller than an image header");
  Diag diag;
  if (boot::decode_header(b.data(), &d.header, &diag) != Status::kOk) host::fail(diag.message());
  const uint64_t payload_end = uint64_t{d.header.hdr_size} + d.header.img_size;
  if (payload_end > b.size()) host::fail("header + payload exceed the file size");
  uint32_t at = static_cast<uint32_t>(payload_end), end = at;
  if (d.header.protect_tlv_size != 0) {
    read_area(b, at, boot::kTlvProtInfoMagic, true, &d, &end);
    at = end;
  }
  read_area(b, at, boot::kTlvInfoMagic, false, &d, &end);
  d.total_size = end;
  static const uint8_t kMagic[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                     0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
  d.trailer = "none";
  if (b.size() >= d.total_size + 48 && std::memcmp(b.data() + b.size() - 16, kMagic, 16) == 0) {
    d.trailer = b[b.size() - 24] == 0x01 ? "confirmed (magic, image_ok)" : "test (magic)";
  }
  return d;
}

nlohmann::json dump_json(const ImageDump& d) {
  nlohmann::json tlvs = nlohmann::json::array();
  for (const TlvEntry& t : d.tlvs) {
    nlohmann::json j = {{"area", t.is_protected ? "protected" : "unprotected"},
                        {"type", t.type},
                        {"name", tlv_name(t.type)},
                        {"length", t.data.size()},
                        {"offset", t.offset}};
    if (t.type == boot::kTlvSecCnt && t.data.size() == 4) j["value"] = boot::load_le32(t.data.data());
    else if (t.type == boot::kTlvKilnKind && t.data.size() == 4)
      j["value"] = boot::image_kind_name(static_cast<boot::ImageKind>(boot::load_le32(t.data.data())));
    else if (t.type == boot::kTlvKilnRuntimeAbi && t.data.size() == 4) j["value"] = boot::load_le32(t.data.data());
    else if (t.type == boot::kTlvDependency && t.data.size() == 12)
      j["value"] = {{"image", t.data[0]}, {"min_version", format_version(boot::decode_version(t.data.data() + 4))}};
    else j["hex"] = to_hex(t.data.data(), t.data.size());
    tlvs.push_back(j);
  }
  return {{"magic", d.header.magic},
          {"load_addr", d.header.load_addr},
          {"header_size", d.header.hdr_size},
          {"protected_tlv_size", d.header.protect_tlv_size},
          {"payload_size", d.header.img_size},
          {"flags", d.header.flags},
          {"version", format_version(d.header.version)},
          {"image_size", d.total_size},
          {"trailer", d.trailer},
          {"tlvs", tlvs}};
}

}  // namespace kiln::image
