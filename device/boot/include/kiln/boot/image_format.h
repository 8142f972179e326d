// MCUboot's image container: a 32-byte header (padded to hdr_size), the
// payload, a protected TLV area (covered by the hash) and an unprotected TLV
// area (hash, key hash, signature). Field layout from MCUboot's image.h.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/common/status.h"

namespace kiln::boot {

constexpr uint32_t kImageMagic = 0x96f3b83du;
constexpr uint16_t kTlvInfoMagic = 0x6907;      // unprotected area
constexpr uint16_t kTlvProtInfoMagic = 0x6908;  // protected area
constexpr uint32_t kImageHeaderSize = 32;
constexpr uint32_t kTlvInfoSize = 4;
constexpr uint32_t kTlvHeaderSize = 4;

// Header flags kiln understands; others are reported, not interpreted.
constexpr uint32_t kImageFlagNonBootable = 0x10;
constexpr uint32_t kImageFlagRamLoad = 0x20;
constexpr uint32_t kImageFlagRomFixed = 0x100;

enum TlvType : uint16_t {
  kTlvKeyHash = 0x01,
  kTlvSha256 = 0x10,
  kTlvEd25519 = 0x24,
  kTlvDependency = 0x40,
  kTlvSecCnt = 0x50,
  // kiln's own protected TLVs, in MCUboot's vendor range 0xa0..0xfffe.
  kTlvKilnKind = 0xa0,        // u32 ImageKind
  kTlvKilnRuntimeAbi = 0xa1,  // u32: ABI the firmware provides / the model needs
  kTlvKilnOpSet = 0xa2,       // 32-byte bitmap of TFLite builtin operator codes
  kTlvKilnHealthInput = 0xa3,   // model: stored input for the post-update health check
  kTlvKilnHealthOutput = 0xa4,  // model: the output that input must give
};
constexpr uint16_t kTlvCustomFirst = 0xa0;
constexpr uint16_t kTlvCustomLast = 0xfffe;

enum class ImageKind : uint32_t { kUnknown = 0, kFirmware = 1, kModel = 2, kManifest = 3 };
const char* image_kind_name(ImageKind kind);

constexpr uint32_t kSha256Size = 32;
constexpr uint32_t kEd25519SigSize = 64;
constexpr uint32_t kEd25519KeySize = 32;
constexpr uint32_t kOpSetSize = 32;

struct ImageVersion {
  uint8_t major;
  uint8_t minor;
  uint16_t revision;
  uint32_t build;
};
static_assert(sizeof(ImageVersion) == 8, "ImageVersion is 8 bytes on flash");

// <0, 0, >0 like strcmp; compares major, minor, revision, then build.
int compare_versions(const ImageVersion& a, const ImageVersion& b);
ImageVersion decode_version(const uint8_t* p);
void encode_version(const ImageVersion& v, uint8_t* p);

struct ImageHeader {
  uint32_t magic;
  uint32_t load_addr;
  uint16_t hdr_size;
  uint16_t protect_tlv_size;
  uint32_t img_size;
  uint32_t flags;
  ImageVersion version;
  uint32_t pad1;
};
static_assert(sizeof(ImageHeader) == kImageHeaderSize, "MCUboot's header is 32 bytes");
static_assert(offsetof(ImageHeader, version) == 20, "version sits at offset 20");

// Decodes and sanity-checks a header from exactly kImageHeaderSize bytes.
Status decode_header(const uint8_t* bytes, ImageHeader* out, Diag* diag);
void encode_header(const ImageHeader& h, uint8_t* out);

}  // namespace kiln::boot
