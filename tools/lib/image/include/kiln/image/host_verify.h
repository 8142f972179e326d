// The device core's verify_image run on bytes in host memory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/boot/image_verify.h"
#include "kiln/image/keys.h"

namespace kiln::image {

struct HostVerifyResult {
  bool ok = false;
  Status status = Status::kOk;  // kRejected for a bad image, other codes for bad arguments
  std::string error;  // the device core's Diag message when !ok
  boot::ImageInfo info{};
};

HostVerifyResult verify_image_bytes(const std::vector<uint8_t>& bytes, const std::vector<Ed25519Key>& keys,
                                    const boot::VerifyPolicy& policy);

}  // namespace kiln::image
