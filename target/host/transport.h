// Byte links to a target agent: QEMU's serial console over pipes, or a real
// serial port (termios). Both give the same protocol client.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::target {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void write(const uint8_t* data, size_t size) = 0;
  // Reads up to size bytes; waits at most timeout_ms for the first one. 0 on timeout.
  virtual size_t read(uint8_t* data, size_t size, int timeout_ms) = 0;
  virtual std::string describe() const = 0;
};

struct QemuOptions {
  std::string system = "qemu-system-riscv32";
  std::string machine = "virt";
  std::string firmware;        // agent ELF
  uint64_t ram_bytes = 0;      // -m, from the board
  bool icount = true;          // -icount shift=0: exact, repeatable instruction counts (slower)
  std::string bulk_flash;      // raw file (up to 32 MiB) loaded into virt's pflash bank 0 (0x20000000), or empty
};

// Starts QEMU with -icount shift=0 and the console on stdio; throws
// std::runtime_error when it cannot start. Kills QEMU when destroyed.
std::unique_ptr<Transport> start_qemu(const QemuOptions& options);
// Opens a serial device raw at `baud`.
std::unique_ptr<Transport> open_serial(const std::string& device, int baud);

}  // namespace kiln::target
