// How a long kernel stops early: it polls at a bounded granularity (one
// output row for convolutions, 64 output units for fully connected) and
// returns false when told to stop. The runtime connects this to the
// invocation's time budget; a default Poll never stops.
#pragma once

namespace kiln::kernels {

struct Poll {
  bool (*stop)(void* user) = nullptr;
  void* user = nullptr;
  bool should_stop() const { return stop != nullptr && stop(user); }
};

}  // namespace kiln::kernels
