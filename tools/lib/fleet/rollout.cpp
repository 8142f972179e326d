#include "kiln/fleet/rollout.h"

#include <sodium.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "kiln/fleet/device_table.h"
#include "kiln/host/error.h"
#include "kiln/telemetry/schema.h"

namespace kiln::fleet {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::vector<size_t> wave_sizes(const std::vector<double>& percents, size_t n) {
  std::vector<size_t> out;
  size_t prev = 0;
  for (double p : percents) {
    size_t k = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(n) - 1e-9));
    k = std::min(n, std::max(k, prev + 1));
    if (k > prev) out.push_back(k);
    prev = k;
    if (k == n) break;
  }
  if (out.empty() || out.back() != n) out.push_back(n);
  return out;
}

std::vector<double> parse_waves(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      const double p = std::stod(item, &used);
      if (used != item.size() || !(p > 0) || p > 100 || (!out.empty() && p <= out.back())) throw std::exception();
      out.push_back(p);
    } catch (const std::exception&) {
      host::fail("--waves: '" + text + "' must be increasing percentages in (0, 100], e.g. 1,10,100");
    }
  }
  if (out.empty()) host::fail("--waves: empty");
  if (out.back() != 100) out.push_back(100);
  return out;
}

uint32_t transfer_id(const std::vector<uint8_t>& bundle) {
  uint8_t h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, bundle.data(), bundle.size());
  uint32_t id = 0;
  std::memcpy(&id, h, 4);
  return id == 0 ? 1 : id;
}

json RolloutResult::to_json() const {
  json devs = json::array();
  for (const auto& d : devices)
    devs.push_back({{"device", d.device}, {"wave", d.wave}, {"result", d.result}, {"detail", d.detail},
                    {"running_sequence", d.running_sequence}});
  return {{"completed", completed}, {"stopped_at_wave", stopped_at_wave}, {"reason", reason},
          {"transfer", transfer}, {"chunks_sent", chunks_sent}, {"seconds", seconds}, {"devices", devs}};
}

std::string RolloutResult::render_text() const {
  std::ostringstream out;
  std::map<int, std::map<std::string, int>> per_wave;
  for (const auto& d : devices) ++per_wave[d.wave][d.result];
  out << "wave  devices  confirmed  failed  not-started\n";
  for (const auto& [w, counts] : per_wave) {
    int total = 0;
    for (const auto& [r, c] : counts) total += c;
    char line[96];
    std::snprintf(line, sizeof(line), "%4d  %7d  %9d  %6d  %11d\n", w, total, counts.count("confirmed") ? counts.at("confirmed") : 0,
                  counts.count("failed") ? counts.at("failed") : 0,
                  (counts.count("not-started") ? counts.at("not-started") : 0) +
                      (counts.count("pending") ? counts.at("pending") : 0));
    out << line;
  }
  for (const auto& d : devices)
    if (d.result == "failed") out << "failed: " << d.device << " (wave " << d.wave << "): " << d.detail << "\n";
  out << (completed ? "rollout complete" : "rollout stopped" + (stopped_at_wave ? " at wave " + std::to_string(stopped_at_wave) : std::string()) + ": " + reason)
      << "\n";
  return out.str();
}

namespace {

std::string topic(const std::string& id, const char* suffix) { return "kiln/v1/" + id + "/" + suffix; }

struct Progress {  // host-side bookkeeping of one device's transfer
  uint32_t last_offset_sent = UINT32_MAX;
  Clock::time_point last_action{};
  bool requested = false;
};

class Runner {
 public:
  Runner(const BrokerAddress& broker, const RolloutOptions& o)
      : o_(o), transfer_(transfer_id(o.bundle)),
        client_("kiln-fleet-" + std::to_string(transfer_) + "-" + std::to_string(::getpid()), true) {
    if (o_.devices.empty()) host::fail("rollout: no devices");
    if (o_.chunk_bytes == 0 || o_.chunk_bytes > telemetry::kMaxChunkData)
      host::fail("rollout: --chunk must be 1.." + std::to_string(telemetry::kMaxChunkData));
    for (const auto& d : o_.devices)
      if (!telemetry::valid_device_id(d.c_str())) host::fail("rollout: bad device id '" + d + "'");
    client_.on_message([this](const std::string& t, const std::string& p) { on_message(t, p); });
    client_.subscribe("kiln/v1/+/identity");
    client_.subscribe("kiln/v1/+/health");
    client_.subscribe("kiln/v1/+/ota");
    client_.connect(broker);
    load_state();
  }

  RolloutResult run() {
    const auto start = Clock::now();
    const std::vector<size_t> sizes = wave_sizes(o_.waves, o_.devices.size());
    for (size_t i = 0; i < o_.devices.size(); ++i) {
      int w = 1;
      while (i >= sizes[static_cast<size_t>(w - 1)]) ++w;
      DeviceOutcome& d = outcome(o_.devices[i]);
      d.wave = w;
      if (d.result == "pending") d.result = "not-started";
    }
    if (!result_.completed && result_.stopped_at_wave != 0) {
      note("rollout was stopped at wave " + std::to_string(result_.stopped_at_wave) + " (" + result_.reason +
           "); remove the state file to start over");
      return finish(start);
    }
    if (!client_.wait_connected(30)) host::fail("rollout: cannot reach the broker");
    for (size_t w = 1; w <= sizes.size(); ++w) {
      std::vector<std::string> wave;
      for (const auto& id : o_.devices)
        if (outcome(id).wave == static_cast<int>(w) && outcome(id).result != "confirmed") wave.push_back(id);
      note("wave " + std::to_string(w) + "/" + std::to_string(sizes.size()) + ": " + std::to_string(wave.size()) +
           " device(s) to update");
      if (!run_wave(static_cast<int>(w), wave)) return finish(start);
    }
    result_.completed = true;
    result_.reason.clear();
    save_state();
    return finish(start);
  }

 private:
  RolloutResult finish(Clock::time_point start) {
    std::lock_guard<std::mutex> lock(mu_);
    result_.transfer = transfer_;
    result_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result_.devices.clear();
    for (const auto& id : o_.devices) result_.devices.push_back(outcomes_[id]);
    result_.chunks_sent = chunks_sent_;
    return result_;
  }

  void note(const std::string& s) {
    if (o_.progress) o_.progress(s);
  }

  DeviceOutcome& outcome(const std::string& id) {
    DeviceOutcome& d = outcomes_[id];
    d.device = id;
    return d;
  }

  // Sends what a device needs next, from its latest ota status.
  void drive(const std::string& id, bool retry) {
    DeviceRecord rec;
    const bool known = table_.get(id, &rec);
    Progress& p = progress_[id];
    const json& ota = rec.ota;
    const bool ours = known && ota.is_object() && ota.value("transfer", 0u) == transfer_;
    const std::string state = ours ? ota.value("state", "") : "";
    if (!ours || state == "idle") {
      if (!p.requested || retry) {
        const json cmd = {{"v", 1}, {"cmd", "request_bundle"}, {"transfer", transfer_}, {"size", o_.bundle.size()}};
        client_.publish(topic(id, "cmd"), cmd.dump(), 1, false);
        p.requested = true;
        p.last_action = Clock::now();
      }
      return;
    }
    if (state != "receiving") return;
    const uint32_t offset = ota.value("offset", 0u);
    if (offset >= o_.bundle.size()) return;
    if (offset == p.last_offset_sent && !retry) return;
    const uint32_t n = std::min<uint32_t>(o_.chunk_bytes, static_cast<uint32_t>(o_.bundle.size()) - offset);
    std::vector<uint8_t> msg(telemetry::kChunkHeader + n);
    const uint32_t header[4] = {telemetry::kChunkMagic, transfer_, offset, static_cast<uint32_t>(o_.bundle.size())};
    for (int i = 0; i < 4; ++i)
      for (int b = 0; b < 4; ++b) msg[static_cast<size_t>(i * 4 + b)] = static_cast<uint8_t>(header[i] >> (8 * b));
    std::memcpy(msg.data() + telemetry::kChunkHeader, o_.bundle.data() + offset, n);
    if (client_.publish(topic(id, "chunk"), msg.data(), msg.size(), 1, false)) ++chunks_sent_;
    p.last_offset_sent = offset;
    p.last_action = Clock::now();
  }

  void on_message(const std::string& t, const std::string& payload) {
    table_.update(t, payload);
    if (t.size() < 4 || t.compare(t.size() - 4, 4, "/ota") != 0) return;
    const std::string id = t.substr(8, t.size() - 8 - 4);
    std::lock_guard<std::mutex> lock(mu_);
    if (active_.count(id)) drive(id, false);
  }

  // Returns the device's verdict: "" while undecided.
  std::string verdict(const std::string& id, std::string* detail, uint32_t* seq) {
    DeviceRecord rec;
    if (!table_.get(id, &rec) || !rec.ota.is_object() || rec.ota.value("transfer", 0u) != transfer_) return "";
    const std::string state = rec.ota.value("state", "");
    *seq = rec.ota.value("running_sequence", 0u);
    if (state == "reverted" || state == "rejected") {
      *detail = state + (rec.ota.value("error", "").empty() ? "" : ": " + rec.ota.value("error", ""));
      return "failed";
    }
    if (state != "confirmed") return "";
    // Health gate: the device's own verdict after the update, and latency.
    if (!rec.health.is_object()) return "";
    if (!rec.health.value("ok", false)) {
      *detail = "confirmed but reports unhealthy";
      return "failed";
    }
    if (o_.max_p99_us != 0 && rec.health.value("latency_p99_us", 0u) > o_.max_p99_us) {
      *detail = "latency p99 " + std::to_string(rec.health.value("latency_p99_us", 0u)) + " us above the gate";
      return "failed";
    }
    return "confirmed";
  }

  bool run_wave(int w, const std::vector<std::string>& wave) {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(o_.wave_timeout_s));
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& id : wave) {
        active_.insert({id, true});
        outcome(id).result = "pending";
        drive(id, false);
      }
    }
    std::vector<std::string> left = wave;
    size_t failed = 0;
    std::string first_failure;
    while (!left.empty()) {
      std::vector<std::string> still;
      for (const auto& id : left) {
        std::string detail;
        uint32_t seq = 0;
        const std::string v = verdict(id, &detail, &seq);
        std::lock_guard<std::mutex> lock(mu_);
        if (v.empty()) {
          still.push_back(id);
          Progress& p = progress_[id];
          if (Clock::now() - p.last_action > std::chrono::duration<double>(o_.retry_after_s)) drive(id, true);
          continue;
        }
        DeviceOutcome& d = outcome(id);
        d.result = v;
        d.detail = detail;
        d.running_sequence = seq;
        active_.erase(id);
        if (v == "failed") {
          ++failed;
          if (first_failure.empty()) first_failure = id + ": " + detail;
        }
        note("  " + id + ": " + v + (detail.empty() ? "" : " (" + detail + ")"));
        save_state_locked();
      }
      left.swap(still);
      if (left.empty()) break;
      if (Clock::now() > deadline) {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& id : left) {
          outcome(id).result = "failed";
          outcome(id).detail = "no confirmation within " + std::to_string(static_cast<int>(o_.wave_timeout_s)) + " s";
          active_.erase(id);
          ++failed;
          if (first_failure.empty()) first_failure = id + ": " + outcome(id).detail;
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (failed == 0) return true;
    std::lock_guard<std::mutex> lock(mu_);
    result_.stopped_at_wave = w;
    result_.reason = "health gate: " + std::to_string(failed) + " device(s) of wave " + std::to_string(w) +
                     " failed (first: " + first_failure + ")";
    save_state_locked();
    note(result_.reason);
    return false;
  }

  void load_state() {
    if (o_.state_file.empty()) return;
    std::ifstream in(o_.state_file);
    if (!in) return;  // a new rollout
    json s = json::parse(in, nullptr, false);
    if (!s.is_object() || s.value("version", 0) != 1) host::fail("rollout: state file " + o_.state_file + " is not a kiln rollout state");
    if (s.value("transfer", 0u) != transfer_)
      host::fail("rollout: state file " + o_.state_file + " belongs to another bundle (transfer " +
                 std::to_string(s.value("transfer", 0u)) + "); remove it to start a new rollout");
    result_.stopped_at_wave = s.value("stopped_at_wave", 0);
    result_.reason = s.value("reason", "");
    for (const auto& [id, d] : s["devices"].items()) {
      DeviceOutcome& o = outcome(id);
      o.result = d.value("result", "pending");
      o.detail = d.value("detail", "");
      o.running_sequence = d.value("running_sequence", 0u);
    }
  }

  void save_state() {
    std::lock_guard<std::mutex> lock(mu_);
    save_state_locked();
  }
  void save_state_locked() {
    if (o_.state_file.empty()) return;
    json devs = json::object();
    for (const auto& [id, d] : outcomes_)
      devs[id] = {{"wave", d.wave}, {"result", d.result}, {"detail", d.detail}, {"running_sequence", d.running_sequence}};
    const json s = {{"version", 1}, {"transfer", transfer_}, {"bundle_bytes", o_.bundle.size()},
                    {"waves", o_.waves}, {"stopped_at_wave", result_.stopped_at_wave}, {"reason", result_.reason},
                    {"completed", result_.completed}, {"devices", devs}};
    const std::string tmp = o_.state_file + ".tmp";  // write, then rename: never a torn state file
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << s.dump(1) << "\n";
      if (!out) host::fail("rollout: cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), o_.state_file.c_str()) != 0) host::fail("rollout: cannot replace " + o_.state_file);
  }

  const RolloutOptions& o_;
  uint32_t transfer_;
  DeviceTable table_;
  std::mutex mu_;  // guards everything below
  std::map<std::string, DeviceOutcome> outcomes_;
  std::map<std::string, Progress> progress_;
  std::map<std::string, bool> active_;
  RolloutResult result_;
  uint64_t chunks_sent_ = 0;
  MqttClient client_;  // last: its network thread stops before the state above goes
};

}  // namespace

RolloutResult run_rollout(const BrokerAddress& broker, const RolloutOptions& options) {
  Runner r(broker, options);
  return r.run();
}

}  // namespace kiln::fleet
