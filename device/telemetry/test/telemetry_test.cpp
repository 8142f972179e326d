// Device telemetry core: schema encoders, the offline queue, the latency
// window, the command parser against malformed input, and the agent with a
// fake transport (events at the set rate, never blocking, offline drops).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "kiln/telemetry/agent.h"
#include "kiln/telemetry/command.h"
#include "kiln/telemetry/messages.h"
#include "kiln/telemetry/offline_queue.h"

namespace kiln::telemetry {
namespace {

using nlohmann::json;

json parse(const char* buf, uint32_t n) { return json::parse(std::string(buf, n)); }

TEST(TelemetrySchema, HealthEncodesEveryFieldAsDocumented) {
  Health h;
  h.uptime_s = 3600;
  h.arena_used = 74892;
  h.arena_size = 81920;
  h.stack_hwm = 1800;
  h.stack_size = 4096;
  h.inferences = 123456789012ull;
  h.latency_p50_us = 41000;
  h.latency_p99_us = 52000;
  h.budget_timeouts = 3;
  h.boots = 7;
  h.reverts = 1;
  h.ok = false;
  char buf[kMaxMessage];
  const uint32_t n = encode_health(h, buf, sizeof(buf));
  ASSERT_GT(n, 0u);
  const json j = parse(buf, n);
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["uptime_s"], 3600);
  EXPECT_EQ(j["arena_used"], 74892);
  EXPECT_EQ(j["inferences"], 123456789012ull);
  EXPECT_EQ(j["latency_p99_us"], 52000);
  EXPECT_EQ(j["reverts"], 1);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j.size(), 16u);
  // A buffer one byte short gives nothing rather than a truncated message.
  EXPECT_EQ(encode_health(h, buf, n), 0u);
  EXPECT_EQ(encode_health(h, buf, n + 1), n);
}

TEST(TelemetrySchema, IdentityAndEventRoundTripThroughAJsonParser) {
  Identity id;
  id.device = "dev-007";
  id.board = "esp32c6";
  id.firmware = {2, 1, 3, 44};
  id.model = {1, 0, 0, 9};
  for (int i = 0; i < 32; ++i) id.model_hash[i] = static_cast<uint8_t>(i * 9);
  id.runtime_abi = 1;
  id.pair_sequence = 5;
  id.trial = true;
  char buf[kMaxMessage];
  uint32_t n = encode_identity(id, buf, sizeof(buf));
  json j = parse(buf, n);
  EXPECT_EQ(j["device"], "dev-007");
  EXPECT_EQ(j["firmware"]["minor"], 1);
  EXPECT_EQ(j["firmware"]["build"], 44);
  EXPECT_EQ(j["model_sha256"].get<std::string>().substr(0, 8), "0009121b");
  EXPECT_EQ(j["pair_sequence"], 5);
  EXPECT_EQ(j["trial"], true);

  InferenceEvent e;
  e.seq = 9;
  e.top_class = -1;
  e.input_mean_milli = -1234;
  e.latency_us = 4000000000u;
  n = encode_event(e, buf, sizeof(buf));
  j = parse(buf, n);
  EXPECT_EQ(j["class"], -1);
  EXPECT_EQ(j["input_mean_milli"], -1234);
  EXPECT_EQ(j["latency_us"], 4000000000u);
}

TEST(TelemetrySchema, StringsAreEscaped) {
  Identity id;
  id.device = "d";
  id.board = "a\"b\\c\n";
  char buf[kMaxMessage];
  const uint32_t n = encode_identity(id, buf, sizeof(buf));
  EXPECT_EQ(parse(buf, n)["board"], "a\"b\\c\n");
}

TEST(OfflineQueue, DropsTheOldestFirstAndCountsThem) {
  uint8_t storage[64];
  OfflineQueue q(storage, sizeof(storage));
  std::vector<uint8_t> msg(16);
  for (uint8_t i = 0; i < 10; ++i) {
    msg.assign(16, i);
    EXPECT_TRUE(q.push(i, false, msg.data(), 16));
  }
  // 20 bytes per record: 3 fit in 64.
  EXPECT_EQ(q.count(), 3u);
  EXPECT_EQ(q.dropped(), 7u);
  uint8_t out[32], topic = 0;
  bool retain = true;
  uint32_t len = 0;
  ASSERT_TRUE(q.peek(&topic, &retain, out, sizeof(out), &len));
  EXPECT_EQ(topic, 7);  // 0..6 dropped
  EXPECT_EQ(out[0], 7);
  EXPECT_EQ(len, 16u);
  EXPECT_FALSE(retain);
  q.pop();
  ASSERT_TRUE(q.peek(&topic, &retain, out, sizeof(out), &len));
  EXPECT_EQ(topic, 8);
  EXPECT_FALSE(q.push(0, false, storage, 61));  // can never fit
  EXPECT_EQ(q.dropped(), 8u);
}

TEST(OfflineQueue, WrapsAroundWithVariableSizes) {
  uint8_t storage[100];
  OfflineQueue q(storage, sizeof(storage));
  std::mt19937 rng(5);
  std::vector<std::vector<uint8_t>> model;  // what the queue must hold
  for (int i = 0; i < 2000; ++i) {
    if (rng() % 3 != 0) {
      std::vector<uint8_t> m(rng() % 40, static_cast<uint8_t>(i));
      ASSERT_TRUE(q.push(static_cast<uint8_t>(i), false, m.data(), static_cast<uint32_t>(m.size())));
      model.push_back(m);
      uint32_t bytes = 0;
      for (auto& x : model) bytes += 4 + static_cast<uint32_t>(x.size());
      while (bytes > 100) {
        bytes -= 4 + static_cast<uint32_t>(model.front().size());
        model.erase(model.begin());
      }
    } else if (!model.empty()) {
      uint8_t out[64], topic = 0;
      bool retain = false;
      uint32_t len = 0;
      ASSERT_TRUE(q.peek(&topic, &retain, out, sizeof(out), &len));
      ASSERT_EQ(std::vector<uint8_t>(out, out + len), model.front());
      q.pop();
      model.erase(model.begin());
    }
    ASSERT_EQ(q.count(), model.size());
  }
}

TEST(LatencyWindow, NearestRankPercentiles) {
  LatencyWindow w;
  EXPECT_EQ(w.percentile(50), 0u);
  for (uint32_t i = 100; i >= 1; --i) w.add(i * 10);
  EXPECT_EQ(w.percentile(50), 500u);
  EXPECT_EQ(w.percentile(99), 990u);
  EXPECT_EQ(w.percentile(100), 1000u);
  for (uint32_t i = 0; i < 200; ++i) w.add(7);  // window keeps the last 128
  EXPECT_EQ(w.percentile(99), 7u);
}

Status cmd(const std::string& s, Command* c, Diag* d) {
  return parse_command(reinterpret_cast<const uint8_t*>(s.data()), static_cast<uint32_t>(s.size()), c, d);
}

TEST(CommandParser, AcceptsTheThreeCommands) {
  Command c;
  Diag d;
  ASSERT_EQ(cmd(R"({"v":1,"cmd":"set_rate","events_per_min":120,"health_period_s":5})", &c, &d), Status::kOk)
      << d.message();
  EXPECT_EQ(c.kind, CommandKind::kSetRate);
  EXPECT_EQ(c.events_per_min, 120u);
  EXPECT_EQ(c.health_period_s, 5u);
  ASSERT_EQ(cmd(" { \"cmd\" : \"reboot\" , \"v\" : 1 } ", &c, &d), Status::kOk) << d.message();
  EXPECT_EQ(c.kind, CommandKind::kReboot);
  ASSERT_EQ(cmd(R"({"v":1,"cmd":"request_bundle","transfer":77,"size":1843})", &c, &d), Status::kOk);
  EXPECT_EQ(c.kind, CommandKind::kRequestBundle);
  EXPECT_EQ(c.transfer, 77u);
  EXPECT_EQ(c.size, 1843u);
}

TEST(CommandParser, RejectsMalformedInputWithAReason) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "not a JSON object"},
      {"[]", "not a JSON object"},
      {R"({"v":1,"cmd":"reboot"} x)", "trailing"},
      {R"({"v":1,"cmd":"reboot")", "expected"},
      {R"({"v":2,"cmd":"reboot"})", "schema version 2"},
      {R"({"cmd":"reboot"})", "missing \"v\""},
      {R"({"v":1})", "missing \"cmd\""},
      {R"({"v":1,"cmd":"format_flash"})", "unknown command"},
      {R"({"v":1,"cmd":"reboot","x":1})", "unknown key \"x\""},
      {R"({"v":1,"v":1,"cmd":"reboot"})", "duplicate key"},
      {R"({"v":1,"cmd":"set_rate","events_per_min":60001})", "above 60000"},
      {R"({"v":1,"cmd":"set_rate","events_per_min":"9"})", "must be a number"},
      {R"({"v":1,"cmd":"set_rate","events_per_min":1.5})", "unsigned integers"},
      {R"({"v":1,"cmd":"set_rate","events_per_min":-1})", "unsupported value"},
      {R"({"v":1,"cmd":"set_rate","events_per_min":99999999999})", "too large"},
      {R"({"v":1,"cmd":"request_bundle","transfer":1})", "missing \"size\""},
      {R"({"v":1,"cmd":"request_bundle","transfer":0,"size":5})", "must not be 0"},
      {R"({"v":1,"cmd":{"a":1}})", "unsupported value"},
      {R"({"v":1,"cmd":"reb\"oot"})", "unsupported character"},
      {R"({"v":1,"cmd":"reboot","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":1})", "too long"},
      {"{\"v\":1,\"cmd\":\"reboot\"" + std::string(300, ' ') + "}", "more than the 256 allowed"},
      {R"({"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1})", "more than 8 fields"},
  };
  for (const auto& [text, why] : cases) {
    Command c;
    Diag d;
    EXPECT_EQ(cmd(text, &c, &d), Status::kInvalidArgument) << text;
    EXPECT_NE(std::string(d.message()).find(why), std::string::npos) << text << " -> " << d.message();
  }
}

TEST(CommandParser, SurvivesEveryPrefixAndRandomBytes) {
  const std::string good = R"({"v":1,"cmd":"request_bundle","transfer":77,"size":1843})";
  for (size_t n = 0; n < good.size(); ++n) {
    Command c;
    Diag d;
    EXPECT_NE(cmd(good.substr(0, n), &c, &d), Status::kOk) << n;
  }
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    std::string s = good;
    for (int k = 0; k < 3; ++k) s[rng() % s.size()] = static_cast<char>(rng());
    Command c;
    Diag d;
    (void)cmd(s, &c, &d);  // must not crash (ASan/UBSan watch)
  }
}

// A transport that records what it was given and can be switched offline.
struct FakePort {
  bool online = true;
  std::vector<std::pair<std::string, std::string>> sent;
  static bool publish(void* self, const char* topic, const uint8_t* p, uint32_t n, bool) {
    auto* f = static_cast<FakePort*>(self);
    if (!f->online) return false;
    f->sent.emplace_back(topic, std::string(reinterpret_cast<const char*>(p), n));
    return true;
  }
  static bool connected(void* self) { return static_cast<FakePort*>(self)->online; }
  TransportPort port() {
    TransportPort t;
    t.publish = &FakePort::publish;
    t.connected = &FakePort::connected;
    t.self = this;
    return t;
  }
  size_t count(const std::string& suffix) const {
    size_t n = 0;
    for (auto& m : sent)
      if (m.first.size() >= suffix.size() && m.first.compare(m.first.size() - suffix.size(), suffix.size(), suffix) == 0)
        ++n;
    return n;
  }
};

struct AgentFixture : ::testing::Test {
  AgentFixture() {
    cfg.device_id = "dev-1";
    cfg.queue_storage = storage;
    cfg.queue_bytes = sizeof(storage);
    cfg.events_per_min = 60;  // one per second
    cfg.health_period_s = 10;
  }
  uint8_t storage[2048];
  AgentConfig cfg;
  FakePort fake;
  AgentHooks hooks;
};

TEST_F(AgentFixture, EventsFollowTheRateAndHealthCountsEveryInference) {
  Agent a(cfg, fake.port(), hooks);
  Diag d;
  ASSERT_EQ(a.init(&d), Status::kOk) << d.message();
  EXPECT_STREQ(a.command_topic(), "kiln/v1/dev-1/cmd");
  // 10 s of inferences every 100 ms (poll every inference): 10 events.
  for (uint32_t i = 0; i < 100; ++i) {
    InferenceSample s;
    s.latency_us = 1000 + i;
    s.budget_exceeded = (i % 25) == 0;
    a.record_inference(s);
    a.poll(1000000ull + i * 100000ull);
  }
  EXPECT_EQ(fake.count("/event"), 10u);
  EXPECT_EQ(fake.count("/health"), 1u);  // at start; the next is due at 11 s
  a.poll(11000000ull);
  ASSERT_EQ(fake.count("/health"), 2u);
  const json h = json::parse(fake.sent.back().second);
  EXPECT_EQ(h["inferences"], 100);
  EXPECT_EQ(h["budget_timeouts"], 4);
  EXPECT_EQ(h["latency_p50_us"], 1049);  // window: the last 100 samples, 1000..1099
  EXPECT_EQ(h["latency_p99_us"], 1098);
  EXPECT_EQ(h["uptime_s"], 10);
  // set_rate takes effect: 600/min -> every inference (100 ms apart) is an event.
  const std::string c = R"({"v":1,"cmd":"set_rate","events_per_min":600})";
  a.on_message("kiln/v1/dev-1/cmd", reinterpret_cast<const uint8_t*>(c.data()), static_cast<uint32_t>(c.size()));
  EXPECT_EQ(a.events_per_min(), 600u);
  for (uint32_t i = 0; i < 5; ++i) {
    a.record_inference(InferenceSample{});
    a.poll(12000000ull + i * 100000ull);
  }
  EXPECT_EQ(fake.count("/event"), 15u);
}

TEST_F(AgentFixture, MalformedCommandsAndChunksAreCountedNeverFatal) {
  Agent a(cfg, fake.port(), hooks);
  Diag d;
  ASSERT_EQ(a.init(&d), Status::kOk);
  const std::string bad[] = {"", "{", "null", std::string(5000, 'x'), R"({"v":1,"cmd":"request_bundle","transfer":1,"size":9})"};
  for (const auto& b : bad)
    a.on_message("kiln/v1/dev-1/cmd", reinterpret_cast<const uint8_t*>(b.data()), static_cast<uint32_t>(b.size()));
  a.on_message("kiln/v1/dev-1/chunk", nullptr, 0);
  a.on_message("kiln/v1/other/cmd", nullptr, 0);
  a.on_message(nullptr, nullptr, 0);
  EXPECT_EQ(a.rejected(), 7u);
  EXPECT_NE(std::string(a.last_rejection()).find("unexpected topic"), std::string::npos);
  a.poll(0);
  EXPECT_EQ(json::parse(fake.sent.back().second)["rejected_commands"], 7);
}

TEST_F(AgentFixture, OfflineTheQueueKeepsTheNewestAndInferenceNeverWaits) {
  cfg.events_per_min = 60000;
  cfg.health_period_s = 1;
  Agent a(cfg, fake.port(), hooks);
  Diag d;
  ASSERT_EQ(a.init(&d), Status::kOk);
  fake.online = false;
  uint64_t t = 0;
  for (uint32_t round = 0; round < 50; ++round) {
    for (uint32_t i = 0; i < 40; ++i) a.record_inference(InferenceSample{});  // 8 more than the mailbox holds
    a.poll(t += 1000000);
  }
  EXPECT_EQ(a.inferences(), 50u * Agent::kMailbox);
  EXPECT_GT(a.queue().dropped(), 0u);
  EXPECT_LE(a.queue().bytes_used(), sizeof(storage));
  fake.online = true;
  a.poll(t += 1000);
  EXPECT_EQ(a.queue().count(), 0u);
  ASSERT_FALSE(fake.sent.empty());
  // The newest messages survived: the last health has the full count and drops.
  json last_health;
  for (auto& m : fake.sent)
    if (m.first.find("/health") != std::string::npos) last_health = json::parse(m.second);
  EXPECT_EQ(last_health["samples_dropped"], 50 * 8);
  EXPECT_GT(last_health["queue_dropped"].get<int>(), 0);
}

}  // namespace
}  // namespace kiln::telemetry
