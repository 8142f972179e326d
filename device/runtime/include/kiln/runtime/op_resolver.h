// Which kernels a build links. A resolver is a fixed list of registrations:
// a firmware names only the operators its model uses, so unused kernels are
// never linked; host tools use all_ops().
#pragma once
#include <stdint.h>

#include "kiln/runtime/kernel.h"

namespace kiln::runtime {

class OpResolver {
 public:
  constexpr OpResolver(const KernelRegistration* const* regs, uint32_t count)
      : regs_(regs), count_(count) {}
  const KernelRegistration* find(int32_t builtin_code) const {
    for (uint32_t i = 0; i < count_; ++i) {
      if (regs_[i]->op == builtin_code) return regs_[i];
    }
    return nullptr;
  }
  uint32_t size() const { return count_; }
  const KernelRegistration& at(uint32_t i) const { return *regs_[i]; }

 private:
  const KernelRegistration* const* regs_;
  uint32_t count_;
};

// Every operator kiln implements (links every kernel: host tools, tests).
const OpResolver& all_ops();

}  // namespace kiln::runtime
