// ns16550 UART, polled: the agent's only link to the host.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace kiln::agent {

class Uart {
 public:
  explicit Uart(uintptr_t base) : base_(reinterpret_cast<volatile uint8_t*>(base)) {}
  // FIFOs on: the host's bytes arrive 16 at a time instead of one per poll.
  void init() {
    base_[kFcr] = 0x07;
  }
  void write(const uint8_t* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      while ((base_[kLsr] & kThrEmpty) == 0) {
      }
      base_[kThr] = data[i];
    }
  }
  uint8_t read() {
    while ((base_[kLsr] & kDataReady) == 0) {
    }
    return base_[kRbr];
  }

 private:
  static constexpr int kRbr = 0, kThr = 0, kFcr = 2, kLsr = 5;
  static constexpr uint8_t kDataReady = 0x01, kThrEmpty = 0x20;
  volatile uint8_t* base_;
};

}  // namespace kiln::agent
