// The runtime ABI: the contract between the device core and the model sources
// generated for it (kiln embed / kiln compile). Bumped whenever that contract
// changes incompatibly; firmware reports it, signed images carry it (TLV
// 0xa1) and the OTA pair check refuses a model built for another ABI.
#pragma once
#include <stdint.h>

namespace kiln::runtime {

constexpr uint32_t kRuntimeAbi = 1;

}  // namespace kiln::runtime
