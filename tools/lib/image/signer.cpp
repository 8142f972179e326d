#include "kiln/image/signer.h"

#include <sodium.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "kiln/boot/bytes.h"
#include "kiln/host/error.h"
#include "kiln/image/sodium_port.h"

namespace kiln::image {

namespace {

const uint8_t kBootMagic8[16] = {0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
                                 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80};
const uint8_t kBootMagicTail[14] = {0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d,
                                    0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a};

uint32_t align_up(uint32_t n, uint32_t a) { return (n + a - 1) / a * a; }
uint32_t max_align(const SignOptions& o) { return o.align > 8 ? o.align : 8; }

std::vector<uint8_t> boot_magic(const SignOptions& o) {
  if (max_align(o) == 8) return std::vector<uint8_t>(kBootMagic8, kBootMagic8 + 16);
  std::vector<uint8_t> m = {static_cast<uint8_t>(max_align(o) & 0xff), static_cast<uint8_t>(max_align(o) >> 8)};
  m.insert(m.end(), kBootMagicTail, kBootMagicTail + 14);
  return m;
}

void put_tlv(std::vector<uint8_t>* out, uint16_t type, const uint8_t* data, size_t len) {
  if (len > 0xffff) host::fail("TLV 0x" + to_hex(reinterpret_cast<const uint8_t*>(&type), 2) + " is too long");
  uint8_t h[4];
  boot::store_le16(h, type);
  boot::store_le16(h + 2, static_cast<uint16_t>(len));
  out->insert(out->end(), h, h + 4);
  out->insert(out->end(), data, data + len);
}

void put_info(std::vector<uint8_t>* out, size_t at, uint16_t magic) {
  const size_t size = out->size() - at;
  if (size > 0xffff) host::fail("TLV area exceeds 65535 bytes");
  boot::store_le16(out->data() + at, magic);
  boot::store_le16(out->data() + at + 2, static_cast<uint16_t>(size));
}

}  // namespace

uint32_t parse_number(const std::string& text, const std::string& what, uint64_t max) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 0);
  if (text.empty() || *end != '\0' || errno != 0 || v > max || text[0] == '-') {
    host::fail("invalid " + what + " '" + text + "'");
  }
  return static_cast<uint32_t>(v);
}

boot::ImageVersion parse_version(const std::string& text) {
  boot::ImageVersion v{};
  std::string core = text, build;
  const size_t plus = text.find('+');
  if (plus != std::string::npos) {
    core = text.substr(0, plus);
    build = text.substr(plus + 1);
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = core.find('.', start);
    parts.push_back(core.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 3 || parts[0].empty()) host::fail("invalid version '" + text + "' (expected maj.min.rev+build)");
  for (const std::string& p : parts) {
    if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos) {
      host::fail("invalid version '" + text + "' (expected maj.min.rev+build)");
    }
  }
  v.major = static_cast<uint8_t>(parse_number(parts[0], "version major", 255));
  if (parts.size() > 1) v.minor = static_cast<uint8_t>(parse_number(parts[1], "version minor", 255));
  if (parts.size() > 2) v.revision = static_cast<uint16_t>(parse_number(parts[2], "version revision", 65535));
  if (!build.empty()) {
    if (build.find_first_not_of("0123456789") != std::string::npos) host::fail("invalid version build '" + build + "'");
    v.build = parse_number(build, "version build", 0xffffffffu);
  }
  return v;
}

std::string format_version(const boot::ImageVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.revision) + "+" +
         std::to_string(v.build);
}

uint32_t auto_security_counter(const boot::ImageVersion& v) {
  return (static_cast<uint32_t>(v.major) << 24) + (static_cast<uint32_t>(v.minor) << 16) + v.revision;
}

std::vector<uint8_t> parse_tlv_value(const std::string& text) {
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) {
    const std::string hex = text.substr(2);
    std::vector<uint8_t> out(hex.size() / 2 + 1);
    size_t len = 0;
    if (hex.size() % 2 != 0 ||
        sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
        len != hex.size() / 2) {
      host::fail("custom TLV value '" + text + "' is not valid hex");
    }
    out.resize(len);
    return out;
  }
  return std::vector<uint8_t>(text.begin(), text.end());
}

uint16_t parse_custom_tlv_tag(const std::string& text) {
  const uint32_t tag = parse_number(text, "custom TLV tag", 0xffff);
  if (tag < boot::kTlvCustomFirst || tag > boot::kTlvCustomLast) {
    host::fail("custom TLV tag " + text + " is outside 0xa0..0xfffe");
  }
  return static_cast<uint16_t>(tag);
}

uint32_t trailer_size(const SignOptions& o) {
  const uint32_t magic = align_up(16, max_align(o));
  return o.max_sectors * 3 * o.align + max_align(o) * 4 + magic;
}

std::vector<uint8_t> sign_image(const std::vector<uint8_t>& input, const SignOptions& o, const Ed25519Key* key) {
  if (o.header_size < boot::kImageHeaderSize || o.header_size > 0xffff) {
    host::fail("header size " + std::to_string(o.header_size) + " must be between 32 and 65535");
  }
  if (o.align == 0 || (o.align & (o.align - 1)) != 0 || o.align > 32) host::fail("--align must be 1, 2, 4, 8, 16 or 32");
  std::vector<uint8_t> img;
  if (o.pad_header) {
    img.assign(o.header_size, o.erased_val);  // as imgtool: padding reads as erased flash
    img.insert(img.end(), input.begin(), input.end());
  } else {
    img = input;
    if (img.size() < o.header_size) host::fail("image is smaller than the header size; use --pad-header");
    for (uint32_t i = 0; i < o.header_size; ++i) {
      if (img[i] != 0) {
        host::fail("the image does not start with " + std::to_string(o.header_size) +
                   " zero bytes for the header; use --pad-header");
      }
    }
  }
  if (img.size() - o.header_size > 0xffffffffu - 0x20000) host::fail("image payload is too large");

  std::vector<uint8_t> prot;
  if (o.security_counter || !o.dependencies.empty() || !o.custom_tlvs.empty()) {
    prot.resize(boot::kTlvInfoSize);
    if (o.security_counter) {
      uint8_t v[4];
      boot::store_le32(v, *o.security_counter);
      put_tlv(&prot, boot::kTlvSecCnt, v, 4);
    }
    for (const boot::ImageDependency& d : o.dependencies) {
      uint8_t v[12] = {d.image_id};
      boot::encode_version(d.min_version, v + 4);
      put_tlv(&prot, boot::kTlvDependency, v, 12);
    }
    for (const auto& [tag, value] : o.custom_tlvs) put_tlv(&prot, tag, value.data(), value.size());
    put_info(&prot, 0, boot::kTlvProtInfoMagic);
  }

  boot::ImageHeader h{};
  h.magic = boot::kImageMagic;
  h.load_addr = o.load_addr;
  h.hdr_size = static_cast<uint16_t>(o.header_size);
  h.protect_tlv_size = static_cast<uint16_t>(prot.size());
  h.img_size = static_cast<uint32_t>(img.size() - o.header_size);
  h.flags = o.flags;
  h.version = o.version;
  boot::encode_header(h, img.data());
  img.insert(img.end(), prot.begin(), prot.end());

  uint8_t digest[32];
  crypto_hash_sha256(digest, img.data(), img.size());
  std::vector<uint8_t> tlvs(boot::kTlvInfoSize);
  put_tlv(&tlvs, boot::kTlvSha256, digest, 32);
  if (key != nullptr) {
    const std::array<uint8_t, 32> kh = key_hash(*key);
    put_tlv(&tlvs, boot::kTlvKeyHash, kh.data(), kh.size());
    const std::array<uint8_t, 64> sig = sign_detached(*key, digest, sizeof(digest));
    put_tlv(&tlvs, boot::kTlvEd25519, sig.data(), sig.size());
  }
  put_info(&tlvs, 0, boot::kTlvInfoMagic);
  img.insert(img.end(), tlvs.begin(), tlvs.end());

  if (o.slot_size != 0 && img.size() + trailer_size(o) > o.slot_size) {
    host::fail("image (" + std::to_string(img.size()) + " bytes) + trailer (" + std::to_string(trailer_size(o)) +
               " bytes) exceed the slot size " + std::to_string(o.slot_size));
  }
  if (o.pad || o.confirm) {
    if (o.slot_size == 0) host::fail("--pad needs --slot-size");
    const std::vector<uint8_t> magic = boot_magic(o);
    img.resize(o.slot_size, o.erased_val);
    std::memcpy(img.data() + o.slot_size - magic.size(), magic.data(), magic.size());
    if (o.confirm) {
      const uint32_t image_ok = o.slot_size - align_up(16, max_align(o)) - max_align(o);
      img[image_ok] = 0x01;
    }
  }
  return img;
}

void add_kiln_kind(SignOptions* o, boot::ImageKind kind) {
  std::vector<uint8_t> v(4);
  boot::store_le32(v.data(), static_cast<uint32_t>(kind));
  o->custom_tlvs.emplace_back(boot::kTlvKilnKind, v);
}

void add_kiln_runtime(SignOptions* o, uint32_t runtime_abi, const std::vector<uint8_t>& op_codes) {
  std::vector<uint8_t> abi(4);
  boot::store_le32(abi.data(), runtime_abi);
  o->custom_tlvs.emplace_back(boot::kTlvKilnRuntimeAbi, abi);
  std::vector<uint8_t> bits(boot::kOpSetSize, 0);
  for (uint8_t op : op_codes) bits[op / 8] = static_cast<uint8_t>(bits[op / 8] | (1u << (op % 8)));
  o->custom_tlvs.emplace_back(boot::kTlvKilnOpSet, bits);
}

}  // namespace kiln::image
