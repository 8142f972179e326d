// Touches the embedded model (interpreter mode) and the static arena so
// neither is discarded: the budget check then sees what a real firmware links.
// In AOT mode only the arena is touched: the compiled code and its kernels
// are not linked (this project has no device core), the RAM figure is exact.
#include "net_model.h"

int main() {
  volatile uint32_t sum = 0;
#if !KILN_MODEL_NET_AOT
  for (size_t i = 0; i < kiln_model_net::model_size; i += 4096) sum = sum + kiln_model_net::model_data[i];
#endif
  for (size_t i = 0; i < kiln_model_net::arena_size; i += 4096) kiln_model_net::arena[i] = static_cast<uint8_t>(sum);
  return static_cast<int>(sum);
}
