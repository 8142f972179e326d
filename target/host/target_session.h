// A session with a firmware agent on a board: QEMU for an emulated board
// (started with the board's RAM size and -icount shift=0), or a real serial
// port. Used by `kiln target run` and `kiln validate`.
//
// Over QEMU the bulk data does not cross the ~16 KB/s console UART: the model
// and batches of inputs go into a host file mapped as QEMU virt's first
// pflash bank, the model runs in place from that flash and only outputs come
// back over the UART. Over a real serial port run_batch falls back to
// per-sample SetInput / Invoke / ReadOutput. Errors throw std::runtime_error
// with a readable message.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent_client.h"

namespace kiln::target {

struct SessionOptions {
  std::string board = "qemu-virt-rv32";
  std::string firmware;  // agent ELF; empty: $KILN_AGENT_ELF, then the cross build's default path
  std::string port;      // serial device of a real board; empty: QEMU
  int baud = 115200;
  // QEMU with -icount shift=0: exact, repeatable instruction counts. false
  // runs several times faster (outputs identical, counts approximate): for
  // validating large data sets.
  bool exact_counts = true;
};

class TargetSession {
 public:
  // Throws std::runtime_error with a clear message (board unknown, firmware
  // missing and how to build it, QEMU missing, agent not answering).
  static std::unique_ptr<TargetSession> open(const SessionOptions& options);
  virtual ~TargetSession() = default;

  virtual const AgentInfo& info() const = 0;
  // Loads a .tflite model (in place from flash when the link has one).
  virtual ModelSummary load_model(const std::vector<uint8_t>& model) = 0;
  // inputs[sample][input] -> outputs[sample][output]: raw tensor bytes.
  virtual std::vector<std::vector<std::vector<uint8_t>>> run_batch(
      const std::vector<std::vector<std::vector<uint8_t>>>& inputs,
      const std::function<void(size_t done, size_t total)>& progress = {}) = 0;
  // Statistics of the last invoke: instret, cycles, per-op instret, arena, stack high-water mark.
  virtual InvokeStats last_stats() = 0;
  // How the session reaches the agent ("qemu-system-riscv32 ... " or the serial device).
  virtual std::string describe() const = 0;
};

// The agent ELF used when SessionOptions::firmware is empty: $KILN_AGENT_ELF,
// else the path compiled in (the rv32imac cross build next to this build).
std::string default_agent_elf();

}  // namespace kiln::target
