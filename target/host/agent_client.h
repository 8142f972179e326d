// Host side of the kiln target protocol (docs/target-protocol.md): talks to
// the firmware agent over any Transport. Throws std::runtime_error with the
// agent's message on an error reply, or on a timeout.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "transport.h"

namespace kiln::target {

struct AgentInfo {
  uint8_t version = 0;
  uint8_t xlen = 0;
  uint8_t capabilities = 0;
  uint8_t revision = 0;  // 2: bulk flash requests (kiln/target/bulk_requests.h); 0 before
  uint32_t model_slot_bytes = 0;
  uint32_t arena_bytes = 0;
  uint32_t stack_bytes = 0;
  uint16_t max_payload = 0;
  std::string name;
};

struct ModelSummary {
  uint32_t arena_required = 0;
  uint32_t op_count = 0;
  std::vector<uint32_t> input_bytes, output_bytes;
};

struct InvokeStats {
  uint64_t instret = 0;
  uint64_t cycles = 0;
  uint32_t arena_required = 0;
  uint32_t arena_available = 0;
  uint32_t stack_high_water = 0;
  uint32_t stack_bytes = 0;
  std::vector<uint64_t> op_instret;
};

struct Reply {
  uint8_t type = 0;
  uint16_t seq = 0;
  std::vector<uint8_t> payload;
  bool is_error() const;
  std::string error_text() const;  // "bad CRC", the agent's message...
};

class AgentClient {
 public:
  explicit AgentClient(Transport& link, int timeout_ms = 20000) : link_(link), timeout_ms_(timeout_ms) {}

  AgentInfo hello();
  // Hello until the agent answers: the agent may drop bytes that arrive while
  // it boots (enabling the UART FIFO clears it), so the first try can be lost.
  AgentInfo connect(int attempts = 20);
  ModelSummary load_model(const std::vector<uint8_t>& model);
  void set_input(uint32_t index, const std::vector<uint8_t>& bytes);
  InvokeStats invoke();  // instret and cycles only; read_stats() for the rest
  std::vector<uint8_t> read_output(uint32_t index, uint32_t bytes);
  InvokeStats read_stats();

  // Revision 2 (kiln/target/bulk_requests.h). Bulk window: {base, size}, size 0 if none.
  std::pair<uint32_t, uint32_t> bulk_window();
  ModelSummary load_from_flash(uint32_t address, uint32_t size, uint32_t crc);
  struct BatchReply {
    uint32_t done = 0;
    uint64_t instret = 0, cycles = 0;  // last sample
    std::vector<uint8_t> outputs;      // every sample's outputs, concatenated
  };
  BatchReply invoke_batch(uint32_t address, uint32_t stride, uint32_t count, bool return_outputs);
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }

  // For tests: one request and its reply (error replies included), and raw bytes.
  Reply request(uint8_t type, const std::vector<uint8_t>& payload);
  void send_raw(const std::vector<uint8_t>& bytes) { link_.write(bytes.data(), bytes.size()); }
  // Next reply frame from the agent, whatever its seq.
  Reply receive();
  uint16_t max_payload() const { return max_payload_; }

 private:
  Reply checked(uint8_t type, const std::vector<uint8_t>& payload);
  Transport& link_;
  int timeout_ms_;
  uint16_t seq_ = 0;
  uint16_t max_payload_ = 1024;
};

}  // namespace kiln::target
