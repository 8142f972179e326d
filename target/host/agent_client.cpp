#include "agent_client.h"

#include <chrono>
#include <stdexcept>

#include "kiln/protocol/protocol.h"
#include "kiln/target/bulk_requests.h"

namespace kiln::target {

namespace p = kiln::protocol;
namespace bulk = kiln::target::bulk;

namespace {

std::vector<uint8_t> u32le(uint32_t v) {
  std::vector<uint8_t> b(4);
  p::put_u32(b.data(), v);
  return b;
}

ModelSummary parse_summary(const std::vector<uint8_t>& payload);  // LoadEnd / LoadFromFlash reply

const char* error_name(uint8_t code) {
  switch (static_cast<p::ErrorCode>(code)) {
    case p::ErrorCode::kBadCrc: return "bad CRC";
    case p::ErrorCode::kBadVersion: return "bad protocol version";
    case p::ErrorCode::kTooLong: return "frame too long";
    case p::ErrorCode::kUnknownType: return "unknown request";
    case p::ErrorCode::kBadPayload: return "bad payload";
    case p::ErrorCode::kNoModel: return "no model loaded";
    case p::ErrorCode::kModelTooLarge: return "model too large for the board's model slot";
    case p::ErrorCode::kModelRejected: return "model rejected";
    case p::ErrorCode::kInvokeFailed: return "invoke failed";
  }
  return "error";
}

}  // namespace

bool Reply::is_error() const { return type == static_cast<uint8_t>(p::Type::kError); }

std::string Reply::error_text() const {
  if (!is_error() || payload.size() < 2) return "";
  std::string text = error_name(payload[0]);
  if (payload.size() > 2) text += ": " + std::string(payload.begin() + 2, payload.end());
  return text;
}

Reply AgentClient::receive() {
  p::Decoder decoder;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  uint8_t buf[1];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("no reply from the agent within " + std::to_string(timeout_ms_) + " ms (" + link_.describe() + ")");
    if (link_.read(buf, 1, static_cast<int>(left.count())) == 0) continue;
    if (decoder.feed(buf[0]) != p::Decoder::Event::kFrame) continue;  // a garbled reply is skipped
    const p::Frame& f = decoder.frame();
    Reply r;
    r.type = f.type;
    r.seq = f.seq;
    r.payload.assign(f.payload, f.payload + f.length);
    return r;
  }
}

Reply AgentClient::request(uint8_t type, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> frame(p::kMaxFrame);
  const uint16_t seq = ++seq_;
  const size_t n = p::encode_frame(type, seq, payload.data(), payload.size(), frame.data(), frame.size());
  if (n == 0) throw std::runtime_error("request payload too long");
  link_.write(frame.data(), n);
  for (;;) {
    Reply r = receive();
    if (r.seq == seq) return r;  // stale replies (earlier errors) are skipped
  }
}

Reply AgentClient::checked(uint8_t type, const std::vector<uint8_t>& payload) {
  Reply r = request(type, payload);
  if (r.is_error()) throw std::runtime_error("agent: " + r.error_text());
  if (r.type != (type | p::kReplyBit)) throw std::runtime_error("agent replied with an unexpected type");
  return r;
}

AgentInfo AgentClient::hello() {
  const Reply r = checked(static_cast<uint8_t>(p::Type::kHello), {});
  p::Reader rd{r.payload.data(), r.payload.size()};
  AgentInfo info;
  if (!rd.u8(&info.version) || !rd.u8(&info.xlen) || !rd.u8(&info.capabilities) || !rd.u8(&info.revision) ||
      !rd.u32(&info.model_slot_bytes) || !rd.u32(&info.arena_bytes) || !rd.u32(&info.stack_bytes) ||
      !rd.u16(&info.max_payload)) {
    throw std::runtime_error("agent: short hello reply");
  }
  info.name.assign(reinterpret_cast<const char*>(rd.here()), rd.remaining());
  if (info.version != p::kVersion) {
    throw std::runtime_error("agent speaks protocol version " + std::to_string(info.version) + ", kiln " +
                             std::to_string(p::kVersion));
  }
  max_payload_ = info.max_payload;
  return info;
}

AgentInfo AgentClient::connect(int attempts) {
  const int saved = timeout_ms_;
  timeout_ms_ = 500;
  for (int i = 1;; ++i) {
    try {
      // Zeros finish any half-received frame (an error reply, skipped by seq).
      send_raw(std::vector<uint8_t>(p::kMaxFrame + 8, 0));
      AgentInfo info = hello();
      timeout_ms_ = saved;
      return info;
    } catch (const std::runtime_error& e) {
      if (i >= attempts || std::string(e.what()).find("no reply") == std::string::npos) {
        timeout_ms_ = saved;
        throw;
      }
    }
  }
}

ModelSummary AgentClient::load_model(const std::vector<uint8_t>& model) {
  checked(static_cast<uint8_t>(p::Type::kLoadBegin), u32le(static_cast<uint32_t>(model.size())));
  const size_t chunk = max_payload_ - 4u;
  for (size_t off = 0; off < model.size(); off += chunk) {
    std::vector<uint8_t> payload = u32le(static_cast<uint32_t>(off));
    const size_t n = std::min(chunk, model.size() - off);
    payload.insert(payload.end(), model.begin() + static_cast<long>(off), model.begin() + static_cast<long>(off + n));
    checked(static_cast<uint8_t>(p::Type::kLoadChunk), payload);
  }
  const Reply r = checked(static_cast<uint8_t>(p::Type::kLoadEnd),
                          u32le(p::crc32_update(0, model.data(), model.size())));
  return parse_summary(r.payload);
}

namespace {
ModelSummary parse_summary(const std::vector<uint8_t>& payload) {
  p::Reader rd{payload.data(), payload.size()};
  ModelSummary s;
  uint8_t inputs = 0, outputs = 0;
  if (!rd.u32(&s.arena_required) || !rd.u32(&s.op_count) || !rd.u8(&inputs) || !rd.u8(&outputs)) {
    throw std::runtime_error("agent: short load reply");
  }
  for (uint32_t i = 0; i < inputs + outputs; ++i) {
    uint32_t b = 0;
    if (!rd.u32(&b)) break;
    (i < inputs ? s.input_bytes : s.output_bytes).push_back(b);
  }
  return s;
}
}  // namespace

std::pair<uint32_t, uint32_t> AgentClient::bulk_window() {
  const Reply r = checked(bulk::kBulkWindow, {});
  p::Reader rd{r.payload.data(), r.payload.size()};
  uint32_t base = 0, size = 0;
  if (!rd.u32(&base) || !rd.u32(&size)) throw std::runtime_error("agent: short bulk window reply");
  return {base, size};
}

ModelSummary AgentClient::load_from_flash(uint32_t address, uint32_t size, uint32_t crc) {
  std::vector<uint8_t> payload = u32le(address);
  for (uint32_t v : {size, crc}) {
    const auto b = u32le(v);
    payload.insert(payload.end(), b.begin(), b.end());
  }
  return parse_summary(checked(bulk::kLoadFromFlash, payload).payload);
}

AgentClient::BatchReply AgentClient::invoke_batch(uint32_t address, uint32_t stride, uint32_t count,
                                                  bool return_outputs) {
  std::vector<uint8_t> payload = u32le(address);
  for (uint32_t v : {stride, count}) {
    const auto b = u32le(v);
    payload.insert(payload.end(), b.begin(), b.end());
  }
  payload.push_back(return_outputs ? bulk::kReturnOutputs : 0);
  const Reply r = checked(bulk::kInvokeBatch, payload);
  p::Reader rd{r.payload.data(), r.payload.size()};
  BatchReply b;
  if (!rd.u32(&b.done) || !rd.u64(&b.instret) || !rd.u64(&b.cycles)) throw std::runtime_error("agent: short batch reply");
  b.outputs.assign(rd.here(), rd.here() + rd.remaining());
  return b;
}

void AgentClient::set_input(uint32_t index, const std::vector<uint8_t>& bytes) {
  const size_t chunk = max_payload_ - 5u;
  for (size_t off = 0; off < bytes.size(); off += chunk) {
    std::vector<uint8_t> payload = {static_cast<uint8_t>(index)};
    const auto o = u32le(static_cast<uint32_t>(off));
    payload.insert(payload.end(), o.begin(), o.end());
    const size_t n = std::min(chunk, bytes.size() - off);
    payload.insert(payload.end(), bytes.begin() + static_cast<long>(off), bytes.begin() + static_cast<long>(off + n));
    checked(static_cast<uint8_t>(p::Type::kSetInput), payload);
  }
}

InvokeStats AgentClient::invoke() {
  const Reply r = checked(static_cast<uint8_t>(p::Type::kInvoke), {});
  p::Reader rd{r.payload.data(), r.payload.size()};
  InvokeStats s;
  if (!rd.u64(&s.instret) || !rd.u64(&s.cycles)) throw std::runtime_error("agent: short invoke reply");
  return s;
}

std::vector<uint8_t> AgentClient::read_output(uint32_t index, uint32_t bytes) {
  std::vector<uint8_t> out;
  while (out.size() < bytes) {
    std::vector<uint8_t> payload = {static_cast<uint8_t>(index)};
    const auto o = u32le(static_cast<uint32_t>(out.size()));
    payload.insert(payload.end(), o.begin(), o.end());
    const uint16_t n = static_cast<uint16_t>(std::min<size_t>(max_payload_, bytes - out.size()));
    payload.push_back(static_cast<uint8_t>(n));
    payload.push_back(static_cast<uint8_t>(n >> 8));
    const Reply r = checked(static_cast<uint8_t>(p::Type::kReadOutput), payload);
    if (r.payload.size() != n) throw std::runtime_error("agent: short output reply");
    out.insert(out.end(), r.payload.begin(), r.payload.end());
  }
  return out;
}

InvokeStats AgentClient::read_stats() {
  InvokeStats s;
  uint32_t op_count = 0;
  do {
    const Reply r = checked(static_cast<uint8_t>(p::Type::kReadStats), u32le(static_cast<uint32_t>(s.op_instret.size())));
    p::Reader rd{r.payload.data(), r.payload.size()};
    uint32_t first = 0;
    if (!rd.u64(&s.instret) || !rd.u64(&s.cycles) || !rd.u32(&s.arena_required) || !rd.u32(&s.arena_available) ||
        !rd.u32(&s.stack_high_water) || !rd.u32(&s.stack_bytes) || !rd.u32(&op_count) || !rd.u32(&first) ||
        first != s.op_instret.size()) {
      throw std::runtime_error("agent: malformed statistics reply");
    }
    uint64_t t = 0;
    while (rd.u64(&t)) s.op_instret.push_back(t);
    if (s.op_instret.size() == first && first < op_count) throw std::runtime_error("agent: statistics make no progress");
  } while (s.op_instret.size() < op_count);
  return s;
}

}  // namespace kiln::target
