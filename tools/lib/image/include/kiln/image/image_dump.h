// A structural listing of an image (header fields, every TLV) for
// `kiln inspect-image`; it does not judge validity, verify_image does.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiln/boot/image_format.h"

namespace kiln::image {

struct TlvEntry {
  bool is_protected;
  uint16_t type;
  uint32_t offset;  // of the data
  std::vector<uint8_t> data;
};

struct ImageDump {
  boot::ImageHeader header{};
  std::vector<TlvEntry> tlvs;
  uint32_t total_size = 0;
  std::string trailer;  // "none", "test (magic)", "confirmed (magic + image_ok)"
};

// Throws host::ToolError naming the first structural problem.
ImageDump dump_image(const std::vector<uint8_t>& bytes);
std::string tlv_name(uint16_t type);
nlohmann::json dump_json(const ImageDump& d);

}  // namespace kiln::image
