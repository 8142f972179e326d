// The device core's crypto port implemented with libsodium (host builds).
#pragma once
#include "kiln/boot/crypto_port.h"

namespace kiln::image {

// Initialises libsodium on first use; throws host::ToolError if it cannot.
const boot::CryptoPort& sodium_crypto_port();

}  // namespace kiln::image
