#include "target_session.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "kiln/board/board.h"
#include "kiln/protocol/protocol.h"
#include "kiln/target/bulk_requests.h"
#include "transport.h"

#ifndef KILN_DEFAULT_AGENT_ELF
#define KILN_DEFAULT_AGENT_ELF ""
#endif

namespace kiln::target {

namespace {

constexpr uint64_t kBulkFileBytes = uint64_t{32} << 20;  // QEMU virt pflash bank size
constexpr uint64_t kBatchInstructions = 200'000'000;     // per InvokeBatch request: a few s on QEMU
constexpr int kBatchTimeoutMs = 120'000;
// Hello attempts, 0.5 s each: QEMU may take many seconds to boot on a loaded machine.
constexpr int kConnectAttempts = 120;

size_t align16(size_t n) { return (n + 15) & ~size_t{15}; }

// The raw image QEMU loads into the bulk flash bank at reset; removed on destruction.
class BulkFile {
 public:
  BulkFile() {
    const char* tmp = std::getenv("TMPDIR");
    path_ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/kiln-bulk-XXXXXX";
    fd_ = mkstemp(path_.data());
    if (fd_ < 0) throw std::runtime_error("cannot create a bulk flash file in " + path_ + ": " + std::strerror(errno));
  }
  ~BulkFile() {
    close(fd_);
    unlink(path_.c_str());
  }
  // Replaces the contents: `parts` back to back at their offsets, zeros elsewhere.
  void write(const std::vector<std::pair<uint64_t, const std::vector<uint8_t>*>>& parts) {
    if (ftruncate(fd_, 0) != 0) fail();
    for (const auto& [offset, bytes] : parts) {
      if (offset + bytes->size() > kBulkFileBytes) throw std::runtime_error("bulk flash overflow");
      size_t done = 0;
      while (done < bytes->size()) {
        const ssize_t n = pwrite(fd_, bytes->data() + done, bytes->size() - done, static_cast<off_t>(offset + done));
        if (n <= 0) fail();
        done += static_cast<size_t>(n);
      }
    }
  }
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail() { throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno)); }
  std::string path_;
  int fd_ = -1;
};

class Session : public TargetSession {
 public:
  explicit Session(const SessionOptions& o) : options_(o) {
    board_ = board::load_board(o.board);
    if (!o.port.empty()) {
      link_ = open_serial(o.port, o.baud);
      connect();
      return;
    }
    if (!board_.emulated()) {
      throw std::runtime_error("board " + board_.name + " is not emulated: connect it and give --port DEVICE");
    }
    firmware_ = o.firmware.empty() ? default_agent_elf() : o.firmware;
    if (firmware_.empty() || !std::filesystem::exists(firmware_)) {
      throw std::runtime_error(
          "agent firmware not found" + (firmware_.empty() ? std::string() : ": " + firmware_) +
          "; build it with `make cross` (or the rv32imac cross build's target kiln_agent), "
          "or give --firmware ELF / set KILN_AGENT_ELF");
    }
    bulk_ = std::make_unique<BulkFile>();
    // QEMU's -device loader refuses a file larger than the guest RAM (-m).
    loader_limit_ = board_.qemu_ram_bytes();
    restart({});
  }

  const AgentInfo& info() const override { return info_; }
  std::string describe() const override { return link_ ? link_->describe() : std::string(); }

  ModelSummary load_model(const std::vector<uint8_t>& model) override {
    model_ = model;
    if (!bulk_available()) return summary_ = client_->load_model(model);
    if (model_.size() > image_limit()) {
      throw std::runtime_error("the model (" + std::to_string(model_.size()) + " bytes) is larger than the bulk flash image " +
                               "QEMU can load for this board (" + std::to_string(image_limit()) + " bytes)");
    }
    restart({{0, &model_}});
    return summary_ = load_from_flash();
  }

  std::vector<std::vector<std::vector<uint8_t>>> run_batch(
      const std::vector<std::vector<std::vector<uint8_t>>>& inputs,
      const std::function<void(size_t, size_t)>& progress) override {
    if (model_.empty()) throw std::runtime_error("run_batch: no model loaded");
    size_t in_bytes = 0;
    for (uint32_t b : summary_.input_bytes) in_bytes += b;
    for (size_t s = 0; s < inputs.size(); ++s) check_sample(inputs[s], s);
    std::vector<std::vector<std::vector<uint8_t>>> outputs;
    outputs.reserve(inputs.size());
    if (!bulk_available() || in_bytes == 0) {
      for (const auto& sample : inputs) {
        outputs.push_back(run_one(sample));
        if (progress) progress(outputs.size(), inputs.size());
      }
      return outputs;
    }
    // Samples per flash image: what fits after the model. Larger batches
    // take several images, QEMU restarted for each.
    const uint64_t inputs_at = align16(model_.size());
    const size_t per_image = inputs_at >= image_limit() ? 0 : static_cast<size_t>((image_limit() - inputs_at) / in_bytes);
    if (per_image == 0) throw std::runtime_error("one sample's inputs do not fit the bulk flash after the model");
    for (size_t first = 0; first < inputs.size(); first += per_image) {
      const size_t count = std::min(per_image, inputs.size() - first);
      std::vector<uint8_t> packed;
      packed.reserve(count * in_bytes);
      for (size_t s = first; s < first + count; ++s) {
        for (const auto& t : inputs[s]) packed.insert(packed.end(), t.begin(), t.end());
      }
      restart({{0, &model_}, {inputs_at, &packed}});
      load_from_flash();
      run_flashed(static_cast<uint32_t>(bulk_base_ + inputs_at), static_cast<uint32_t>(in_bytes), count, outputs,
                  progress, inputs.size());
    }
    return outputs;
  }

  InvokeStats last_stats() override { return client_->read_stats(); }

 private:
  bool bulk_available() const { return bulk_ != nullptr && bulk_size_ != 0; }
  // Bytes of one bulk flash image: the agent's window, capped by what QEMU loads.
  uint64_t image_limit() const { return loader_limit_ != 0 ? std::min(bulk_size_, loader_limit_) : bulk_size_; }

  void connect() {
    client_ = std::make_unique<AgentClient>(*link_, 20000);
    info_ = client_->connect(kConnectAttempts);
    const std::string suffix = " " + board_.name;
    if (info_.name.size() < suffix.size() || info_.name.compare(info_.name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      throw std::runtime_error("the agent answering is '" + info_.name + "', not one built for board " + board_.name +
                               " (build the agent with -DKILN_BOARD=" + board_.name + ")");
    }
    bulk_base_ = bulk_size_ = 0;
    if (info_.revision >= bulk::kRevision && (info_.capabilities & bulk::kCapBulkFlash) != 0) {
      const auto w = client_->bulk_window();
      bulk_base_ = w.first;
      bulk_size_ = std::min<uint64_t>(w.second, kBulkFileBytes);
    }
  }

  // (Re)starts QEMU with the bulk flash holding `parts`: QEMU loads the file
  // once, at reset.
  void restart(const std::vector<std::pair<uint64_t, const std::vector<uint8_t>*>>& parts) {
    client_.reset();
    link_.reset();
    bulk_->write(parts);
    QemuOptions q;
    q.system = board_.qemu_system;
    q.machine = board_.qemu_machine;
    q.ram_bytes = board_.qemu_ram_bytes();
    q.firmware = firmware_;
    q.bulk_flash = bulk_->path();
    q.icount = options_.exact_counts;
    link_ = start_qemu(q);
    connect();
  }

  ModelSummary load_from_flash() {
    const uint32_t crc = protocol::crc32_update(0, model_.data(), model_.size());
    return client_->load_from_flash(static_cast<uint32_t>(bulk_base_), static_cast<uint32_t>(model_.size()), crc);
  }

  void check_sample(const std::vector<std::vector<uint8_t>>& sample, size_t s) const {
    if (sample.size() != summary_.input_bytes.size()) {
      throw std::runtime_error("sample " + std::to_string(s) + ": " + std::to_string(sample.size()) +
                               " input(s), the model has " + std::to_string(summary_.input_bytes.size()));
    }
    for (size_t i = 0; i < sample.size(); ++i) {
      if (sample[i].size() != summary_.input_bytes[i]) {
        throw std::runtime_error("sample " + std::to_string(s) + " input " + std::to_string(i) + ": " +
                                 std::to_string(sample[i].size()) + " bytes, the model's input has " +
                                 std::to_string(summary_.input_bytes[i]));
      }
    }
  }

  std::vector<std::vector<uint8_t>> split_outputs(const uint8_t* p) const {
    std::vector<std::vector<uint8_t>> out;
    for (uint32_t b : summary_.output_bytes) {
      out.emplace_back(p, p + b);
      p += b;
    }
    return out;
  }

  std::vector<std::vector<uint8_t>> read_outputs() {
    std::vector<std::vector<uint8_t>> out;
    for (uint32_t i = 0; i < summary_.output_bytes.size(); ++i) out.push_back(client_->read_output(i, summary_.output_bytes[i]));
    return out;
  }

  // Per sample over the serial line: SetInput, Invoke, ReadOutput.
  std::vector<std::vector<uint8_t>> run_one(const std::vector<std::vector<uint8_t>>& sample) {
    for (uint32_t i = 0; i < sample.size(); ++i) client_->set_input(i, sample[i]);
    client_->invoke();
    return read_outputs();
  }

  // Samples already in flash at `address`: InvokeBatch requests sized so each
  // reply holds its outputs and each request runs about kBatchInstructions.
  void run_flashed(uint32_t address, uint32_t stride, size_t count, std::vector<std::vector<std::vector<uint8_t>>>& outputs,
                   const std::function<void(size_t, size_t)>& progress, size_t total) {
    size_t out_bytes = 0;
    for (uint32_t b : summary_.output_bytes) out_bytes += b;
    const size_t fit = (protocol::kMaxPayload - bulk::kBatchReplyHeader) / std::max<size_t>(out_bytes, 1);
    client_->set_timeout_ms(kBatchTimeoutMs);
    uint64_t per_sample = 0;  // instructions, known after the first request
    for (size_t done = 0; done < count;) {
      size_t n = std::max<size_t>(fit, 1);
      n = std::min(n, per_sample == 0 ? size_t{1} : std::max<size_t>(1, kBatchInstructions / per_sample));
      n = std::min(n, count - done);
      const bool in_reply = fit >= 1;
      const auto r = client_->invoke_batch(address + static_cast<uint32_t>(done * stride), stride,
                                           static_cast<uint32_t>(n), in_reply);
      if (r.done != n || (in_reply && r.outputs.size() != n * out_bytes)) throw std::runtime_error("agent: short batch reply");
      per_sample = std::max<uint64_t>(r.instret, 1);
      for (size_t s = 0; s < n; ++s) outputs.push_back(in_reply ? split_outputs(r.outputs.data() + s * out_bytes) : read_outputs());
      done += n;
      if (progress) progress(outputs.size(), total);
    }
    client_->set_timeout_ms(20000);
  }

  SessionOptions options_;
  board::Board board_;
  std::string firmware_;
  std::unique_ptr<BulkFile> bulk_;
  std::unique_ptr<Transport> link_;
  std::unique_ptr<AgentClient> client_;
  AgentInfo info_;
  std::vector<uint8_t> model_;
  ModelSummary summary_;
  uint64_t bulk_base_ = 0, bulk_size_ = 0;
  uint64_t loader_limit_ = 0;
};

}  // namespace

std::string default_agent_elf() {
  const char* env = std::getenv("KILN_AGENT_ELF");
  if (env != nullptr && *env != '\0') return env;
  return KILN_DEFAULT_AGENT_ELF;
}

std::unique_ptr<TargetSession> TargetSession::open(const SessionOptions& options) {
  try {
    return std::make_unique<Session>(options);
  } catch (const board::BoardError& e) {
    throw std::runtime_error(e.what());
  }
}

}  // namespace kiln::target
