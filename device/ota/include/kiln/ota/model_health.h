// The post-update health check of a model: it loads from its slot, and the
// input stored (signed) in its image gives the stored output, bit for bit.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "kiln/boot/image_verify.h"
#include "kiln/runtime/op_resolver.h"

namespace kiln::ota {

// `mapped_area` is the model area as the CPU sees it (memory-mapped flash);
// `info` comes from verifying that area. One input and one output tensor.
Status check_model_health(const uint8_t* mapped_area, const boot::ImageInfo& info, const runtime::OpResolver& ops,
                          uint8_t* arena, size_t arena_size, Diag* diag);

}  // namespace kiln::ota
