// Builds MCUboot-format images exactly as imgtool's `sign` does for Ed25519
// keys: header, protected TLVs (SEC_CNT, DEPENDENCY, custom), unprotected
// TLVs (SHA256, KEYHASH, ED25519), optional padding with the slot trailer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiln/boot/image_verify.h"
#include "kiln/image/keys.h"

namespace kiln::image {

struct SignOptions {
  boot::ImageVersion version{};
  uint32_t header_size = 0;  // -H
  bool pad_header = false;   // --pad-header: prepend header_size zero bytes
  uint32_t slot_size = 0;    // -S
  uint32_t align = 1;        // --align: flash write size (1,2,4,8,16,32)
  uint32_t max_sectors = 128;
  bool pad = false;      // --pad: pad to slot_size with the trailer magic
  bool confirm = false;  // --confirm: pad and mark image_ok
  uint8_t erased_val = 0xff;
  uint32_t load_addr = 0;
  uint32_t flags = 0;
  std::optional<uint32_t> security_counter;  // -s
  std::vector<boot::ImageDependency> dependencies;
  std::vector<std::pair<uint16_t, std::vector<uint8_t>>> custom_tlvs;  // protected, in order
};

// Decimal or 0x-hex unsigned number no larger than `max`.
uint32_t parse_number(const std::string& text, const std::string& what, uint64_t max = 0xffffffffu);

// "1.2.3+4" -> {1, 2, 3, 4}; revision and build are optional.
boot::ImageVersion parse_version(const std::string& text);
std::string format_version(const boot::ImageVersion& v);
// imgtool's `-s auto`: (major << 24) + (minor << 16) + revision.
uint32_t auto_security_counter(const boot::ImageVersion& v);
// imgtool's --custom-tlv value: "0x..." hex bytes, otherwise UTF-8 text.
std::vector<uint8_t> parse_tlv_value(const std::string& text);
uint16_t parse_custom_tlv_tag(const std::string& text);
// Size of the swap trailer imgtool reserves at the end of a slot.
uint32_t trailer_size(const SignOptions& o);

// `input` is the raw binary; without pad_header its first header_size bytes
// must be zero (room left for the header). With no key the image carries only
// the hash TLV, like `imgtool sign` without -k.
std::vector<uint8_t> sign_image(const std::vector<uint8_t>& input, const SignOptions& o, const Ed25519Key* key);

// kiln's protected TLVs for the kind of image and what a model needs.
void add_kiln_kind(SignOptions* o, boot::ImageKind kind);
void add_kiln_runtime(SignOptions* o, uint32_t runtime_abi, const std::vector<uint8_t>& op_codes);

}  // namespace kiln::image
