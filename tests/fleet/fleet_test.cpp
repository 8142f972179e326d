// Fleet over a real mosquitto broker on loopback: telemetry round trip with
// the v1 schema, malformed and oversized payloads counted, staged rollouts
// over 50 simulated devices (a failing health check stops wave 1 and the
// device reverts; a broker restart mid-rollout loses nothing and the rollout
// resumes), and the figures: messages/s and bytes per telemetry message.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "broker.h"
#include "kiln/fleet/device_table.h"
#include "kiln/fleet/mqtt_client.h"
#include "kiln/fleet/rollout.h"
#include "kiln/telemetry/messages.h"
#include "sim_device.h"

namespace kiln::fleet::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Waits for a condition with a generous deadline (the machine is shared).
template <typename F>
bool wait_for(F cond, double seconds = 60) {
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  while (!cond()) {
    if (Clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (mosquitto_binary().empty()) GTEST_SKIP() << "SKIPPED: mosquitto is not installed (scripts/install-deps.sh)";
    ASSERT_TRUE(broker.start()) << "mosquitto did not start on port " << broker.port();
  }
  Broker broker;
  image::Ed25519Key key = boot::testing::test_key(7);
};

std::set<std::string> keys(const json& j) {
  std::set<std::string> out;
  for (const auto& [k, v] : j.items()) out.insert(k);
  return out;
}

TEST_F(FleetTest, TelemetryRoundTripWithTheSchemaAndBadPayloadsCounted) {
  const auto p1 = boot::testing::make_pair(key, 1, 1);
  SimDevice dev("dev-rt", key, p1.bundle, false, 6000);
  DeviceTable table;
  std::mutex mu;
  std::vector<json> events;
  MqttClient host("host-rt", true);
  host.on_message([&](const std::string& t, const std::string& p) {
    table.update(t, p);
    if (t == "kiln/v1/dev-rt/event") {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back(json::parse(p));
    }
  });
  host.subscribe("kiln/v1/dev-rt/#");
  host.connect(parse_broker(broker.address()));
  ASSERT_TRUE(host.wait_connected(30));
  dev.start(broker.port());
  DeviceRecord rec;
  ASSERT_TRUE(wait_for([&] {
    std::lock_guard<std::mutex> lock(mu);
    return table.get("dev-rt", &rec) && rec.identity.is_object() && rec.health.is_object() && events.size() >= 3;
  }));
  EXPECT_EQ(keys(rec.identity), (std::set<std::string>{"v", "device", "board", "firmware", "model", "model_sha256",
                                                       "runtime_abi", "pair_sequence", "slot", "trial"}));
  EXPECT_EQ(rec.identity["device"], "dev-rt");
  EXPECT_EQ(rec.identity["pair_sequence"], 1);
  EXPECT_EQ(rec.identity["firmware"]["major"], 1);
  EXPECT_EQ(rec.identity["model_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(rec.health["v"], 1);
  EXPECT_EQ(rec.health["arena_used"], 21140);
  EXPECT_EQ(rec.health["ok"], true);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(keys(events[0]), (std::set<std::string>{"v", "seq", "t_ms", "latency_us", "budget_exceeded", "class",
                                                      "score_pm", "input_mean_milli", "input_std_milli"}));
    EXPECT_GE(events[0]["latency_us"].get<int>(), 40000);
    EXPECT_LT(events[0]["latency_us"].get<int>(), 43000);
    EXPECT_LT(events[0]["seq"], events[2]["seq"]);
  }
  ASSERT_TRUE(wait_for([&] { return table.get("dev-rt", &rec) && rec.health["inferences"].get<int>() >= 5; }));
  EXPECT_GE(rec.health["latency_p99_us"].get<int>(), rec.health["latency_p50_us"].get<int>());

  // Malformed, oversized and hostile payloads: counted, the device carries on.
  const std::string oversized(100 * 1024, '{');
  ASSERT_TRUE(host.publish("kiln/v1/dev-rt/cmd", "not json", 1, false));
  ASSERT_TRUE(host.publish("kiln/v1/dev-rt/cmd", oversized, 1, false));
  ASSERT_TRUE(host.publish("kiln/v1/dev-rt/cmd", R"({"v":1,"cmd":"self_destruct"})", 1, false));
  ASSERT_TRUE(host.publish("kiln/v1/dev-rt/chunk", oversized, 1, false));
  ASSERT_TRUE(host.publish("kiln/v1/dev-rt/chunk", std::string(20, '\0'), 1, false));
  ASSERT_TRUE(wait_for([&] { return dev.rejected() >= 5; }));
  EXPECT_EQ(dev.rejected(), 5u);
  ASSERT_TRUE(wait_for([&] { return table.get("dev-rt", &rec) && rec.health["rejected_commands"] == 5; }));
  // A valid command still works afterwards.
  ASSERT_TRUE(host.publish("kiln/v1/dev-rt/cmd", R"({"v":1,"cmd":"set_rate","health_period_s":2})", 1, false));
  const uint64_t before = rec.health["uptime_s"];
  ASSERT_TRUE(wait_for([&] { return table.get("dev-rt", &rec) && rec.health["uptime_s"].get<uint64_t>() >= before + 2; }));
  EXPECT_EQ(dev.rejected(), 5u);
  dev.stop();
}

struct Fleet {
  std::vector<std::unique_ptr<SimDevice>> devices;
  std::vector<std::string> ids;
  Fleet(size_t n, const image::Ed25519Key& key, const std::vector<uint8_t>& factory, std::set<size_t> failing) {
    for (size_t i = 0; i < n; ++i) {
      char id[16];
      std::snprintf(id, sizeof(id), "dev-%02zu", i);
      ids.push_back(id);
      devices.push_back(std::make_unique<SimDevice>(id, key, factory, failing.count(i) != 0, 0));
      devices.back()->inferences_per_second = 5;
      devices.back()->health_period_s = 5;
    }
  }
  void start(int port) {
    for (auto& d : devices) d->start(port);
  }
  bool all_connected() const {
    for (auto& d : devices)
      if (d->connects() == 0) return false;
    return true;
  }
  size_t count_at(uint32_t seq) const {
    size_t n = 0;
    for (auto& d : devices) n += d->running_sequence() == seq;
    return n;
  }
};

std::string temp_state(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("kiln-") + name + "-" + std::to_string(getpid()) + ".json"))
      .string();
}

TEST_F(FleetTest, FiftyDevicesAFailingHealthCheckStopsTheFirstWaveAndReverts) {
  const auto p1 = boot::testing::make_pair(key, 1, 1), p2 = boot::testing::make_pair(key, 2, 2);
  Fleet fleet(50, key, p1.bundle, {0});  // dev-00 is the whole first wave and fails its health check
  fleet.start(broker.port());
  ASSERT_TRUE(wait_for([&] { return fleet.all_connected(); }));
  RolloutOptions o;
  o.bundle = p2.bundle;
  o.devices = fleet.ids;
  o.waves = {1, 10, 100};
  o.chunk_bytes = 256;
  o.wave_timeout_s = 90;
  o.state_file = temp_state("fail");
  const RolloutResult r = run_rollout(parse_broker(broker.address()), o);
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.stopped_at_wave, 1);
  EXPECT_NE(r.reason.find("dev-00: reverted"), std::string::npos) << r.reason;
  ASSERT_EQ(r.devices.size(), 50u);
  EXPECT_EQ(r.devices[0].result, "failed");
  for (size_t i = 1; i < 50; ++i) EXPECT_EQ(r.devices[i].result, "not-started") << i;
  EXPECT_EQ(fleet.devices[0]->reverts(), 1u);
  EXPECT_EQ(fleet.count_at(1), 50u);  // the failing device reverted, nobody else was touched
  // Resuming a stopped rollout does not go on past the failed gate.
  const RolloutResult again = run_rollout(parse_broker(broker.address()), o);
  EXPECT_FALSE(again.completed);
  EXPECT_EQ(again.stopped_at_wave, 1);
  EXPECT_EQ(again.chunks_sent, 0u);
  std::filesystem::remove(o.state_file);
  std::printf("rollout stopped at wave 1 after %.2f s: %s\n", r.seconds, r.reason.c_str());
}

TEST_F(FleetTest, FiftyDevicesBrokerRestartMidRolloutLosesNothingAndResumes) {
  const auto p1 = boot::testing::make_pair(key, 1, 1), p2 = boot::testing::make_pair(key, 2, 2);
  Fleet fleet(50, key, p1.bundle, {});
  fleet.start(broker.port());
  ASSERT_TRUE(wait_for([&] { return fleet.all_connected(); }));
  RolloutOptions o;
  o.bundle = p2.bundle;
  o.devices = fleet.ids;
  o.waves = {2, 10, 100};
  o.chunk_bytes = 128;  // many chunks per device: the restart lands mid-transfer
  o.wave_timeout_s = 120;
  o.state_file = temp_state("restart");
  RolloutResult r;
  std::thread rollout([&] { r = run_rollout(parse_broker(broker.address()), o); });
  // Restart the broker once wave 2 is under way.
  ASSERT_TRUE(wait_for([&] { return fleet.count_at(2) >= 2; }, 120));
  broker.stop();
  const size_t confirmed_before = fleet.count_at(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(broker.start());
  rollout.join();
  EXPECT_TRUE(r.completed) << r.reason;
  EXPECT_GE(fleet.count_at(2), confirmed_before);
  EXPECT_EQ(fleet.count_at(2), 50u);
  size_t confirmed = 0;
  for (const auto& d : r.devices) confirmed += d.result == "confirmed" && d.running_sequence == 2;
  EXPECT_EQ(confirmed, 50u);
  for (auto& d : fleet.devices) EXPECT_GE(d->connects(), 2u);  // every device reconnected

  // The broker's view after the restart: all 50 devices, on the new pair.
  DeviceTable table;
  MqttClient watcher("watcher", true);
  watcher.on_message([&](const std::string& t, const std::string& p) { table.update(t, p); });
  watcher.subscribe("kiln/v1/+/identity");
  watcher.connect(parse_broker(broker.address()));
  ASSERT_TRUE(wait_for([&] {
    size_t n = 0;
    for (const auto& d : table.snapshot()) n += d.identity.is_object() && d.identity["pair_sequence"] == 2;
    return n == 50;
  }));
  // The state file makes a re-run a no-op.
  const RolloutResult again = run_rollout(parse_broker(broker.address()), o);
  EXPECT_TRUE(again.completed);
  EXPECT_EQ(again.chunks_sent, 0u);
  std::filesystem::remove(o.state_file);
  std::printf("rollout of %zu bytes to 50 devices with a broker restart: %.2f s, %llu chunks\n", p2.bundle.size(),
              r.seconds, static_cast<unsigned long long>(r.chunks_sent));
}

TEST_F(FleetTest, MeasuresMessagesPerSecondAndBytesPerMessage) {
  // Bytes per message: the schema's encodings of typical values.
  telemetry::Health h;
  h.uptime_s = 86400;
  h.arena_used = 74892;
  h.arena_size = 81920;
  h.stack_hwm = 1536;
  h.stack_size = 4096;
  h.inferences = 864000;
  h.latency_p50_us = 41234;
  h.latency_p99_us = 52345;
  h.boots = 3;
  char buf[telemetry::kMaxMessage];
  const uint32_t health_bytes = telemetry::encode_health(h, buf, sizeof(buf));
  telemetry::InferenceEvent e;
  e.seq = 123456;
  e.t_ms = 86400000;
  e.latency_us = 41234;
  e.top_class = 1;
  e.score_pm = 913;
  e.input_mean_milli = -12;
  e.input_std_milli = 487;
  const uint32_t event_bytes = telemetry::encode_event(e, buf, sizeof(buf));
  telemetry::Identity id;
  id.device = "dev-00";
  id.board = "esp32c6";
  const uint32_t identity_bytes = telemetry::encode_identity(id, buf, sizeof(buf));
  const std::string health_payload(buf, telemetry::encode_health(h, buf, sizeof(buf)));
  // MQTT PUBLISH overhead: fixed header (2-3), topic length (2) + "kiln/v1/dev-00/health", packet id (QoS 1).
  const uint32_t mqtt_overhead = 3 + 2 + static_cast<uint32_t>(std::string("kiln/v1/dev-00/health").size()) + 2;
  EXPECT_GT(health_bytes, 200u);
  EXPECT_LT(health_bytes, 400u);

  // Messages/s: N publishing clients, one subscriber counting everything.
  constexpr int kDevices = 50;
  std::atomic<uint64_t> got{0};
  MqttClient sub("counter", true);
  sub.on_message([&](const std::string&, const std::string&) { ++got; });
  sub.subscribe("kiln/v1/+/health", 0);
  sub.connect(parse_broker(broker.address()));
  ASSERT_TRUE(sub.wait_connected(30));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the subscription is in place
  std::vector<std::unique_ptr<MqttClient>> pubs;
  for (int i = 0; i < kDevices; ++i) {
    pubs.push_back(std::make_unique<MqttClient>("pub-" + std::to_string(i), true));
    pubs.back()->connect(parse_broker(broker.address()));
  }
  for (auto& p : pubs) ASSERT_TRUE(p->wait_connected(30));
  const double seconds = 1.0;
  std::atomic<uint64_t> sent{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < kDevices; ++i) {
    threads.emplace_back([&, i] {
      const std::string topic = "kiln/v1/dev-" + std::to_string(i) + "/health";
      while (Clock::now() - start < std::chrono::duration<double>(seconds)) {
        for (int k = 0; k < 20; ++k)
          if (pubs[static_cast<size_t>(i)]->publish(topic, health_payload, 0, false)) ++sent;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  for (auto& t : threads) t.join();
  // Count until deliveries stop (QoS 0: a saturated subscriber may lose some).
  auto last_change = Clock::now();
  for (uint64_t seen = got.load(); Clock::now() - last_change < std::chrono::milliseconds(300);) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (got.load() != seen) {
      seen = got.load();
      last_change = Clock::now();
    }
  }
  const double elapsed = std::chrono::duration<double>(last_change - start).count();
  const double rate = static_cast<double>(got.load()) / elapsed;
  std::printf("FIGURES: %d devices, %llu health messages published, %llu delivered in %.2f s: %.0f messages/s through "
              "one broker; bytes per message: health %u, event %u, identity %u JSON (+%u MQTT/topic overhead)\n",
              kDevices, static_cast<unsigned long long>(sent.load()), static_cast<unsigned long long>(got.load()),
              elapsed, rate, health_bytes, event_bytes, identity_bytes, mqtt_overhead);
  RecordProperty("messages_per_second", static_cast<int>(rate));
  RecordProperty("health_bytes", static_cast<int>(health_bytes));
  EXPECT_GT(rate, 1000.0);  // a loose floor: a loopback broker does far more
}

}  // namespace
}  // namespace kiln::fleet::testing
