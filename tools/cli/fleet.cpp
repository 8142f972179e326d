// kiln fleet: watch devices over MQTT and roll bundles out in waves.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "commands.h"
#include "kiln/fleet/device_table.h"
#include "kiln/fleet/mqtt_client.h"
#include "kiln/fleet/rollout.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"

namespace kiln::cli {
namespace {

struct WatchArgs {
  std::string broker = "127.0.0.1:1883";
  double seconds = 2;
  bool json = false;
};

void watch(const WatchArgs& a) {
  const fleet::BrokerAddress broker = fleet::parse_broker(a.broker);
  fleet::DeviceTable table;
  fleet::MqttClient client("kiln-watch-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()),
                           true);
  client.on_message([&](const std::string& t, const std::string& p) { table.update(t, p); });
  client.subscribe("kiln/v1/+/identity");
  client.subscribe("kiln/v1/+/health");
  client.subscribe("kiln/v1/+/ota");
  client.connect(broker);
  if (!client.wait_connected(10)) host::fail("fleet watch: cannot reach the broker at " + a.broker);
  // Retained state arrives at once; live updates for the rest of the window.
  std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
  if (a.json) {
    std::cout << nlohmann::json{{"broker", a.broker}, {"devices", table.to_json()}, {"malformed", table.malformed()}}.dump(1)
              << "\n";
    return;
  }
  std::cout << table.render_text();
  std::cout << table.size() << " device(s)";
  if (table.malformed() != 0) std::cout << ", " << table.malformed() << " malformed message(s) ignored";
  std::cout << "\n";
}

struct RolloutArgs {
  std::string broker = "127.0.0.1:1883";
  std::string bundle, devices, devices_file, waves = "1,10,100", state;
  uint32_t chunk = 1024, max_p99_us = 0;
  double wave_timeout = 120;
  bool json = false;
};

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
    size_t b = 0;
    while (b < item.size() && std::isspace(static_cast<unsigned char>(item[b]))) ++b;
    if (b < item.size()) out.push_back(item.substr(b));
  }
  return out;
}

void rollout(const RolloutArgs& a) {
  fleet::RolloutOptions o;
  o.bundle = host::read_file_bytes(a.bundle);
  o.devices = split_ids(a.devices);
  if (!a.devices_file.empty()) {
    std::ifstream in(a.devices_file);
    if (!in) host::fail("cannot read " + a.devices_file);
    std::string line;
    while (std::getline(in, line))
      for (auto& id : split_ids(line)) o.devices.push_back(id);
  }
  if (o.devices.empty()) host::fail("fleet rollout: no devices (--devices a,b,c or --devices-file FILE)");
  o.waves = fleet::parse_waves(a.waves);
  o.chunk_bytes = a.chunk;
  o.wave_timeout_s = a.wave_timeout;
  o.max_p99_us = a.max_p99_us;
  o.state_file = a.state.empty() ? a.bundle + ".rollout.json" : a.state;
  if (!a.json) o.progress = [](const std::string& s) { std::fprintf(stderr, "%s\n", s.c_str()); };
  const fleet::RolloutResult r = fleet::run_rollout(fleet::parse_broker(a.broker), o);
  if (a.json) std::cout << r.to_json().dump(1) << "\n";
  else std::cout << r.render_text();
  if (!r.completed) host::fail("rollout stopped: " + r.reason);
}

}  // namespace

void register_fleet(CLI::App& app) {
  CLI::App* fleet = app.add_subcommand("fleet", "Watch devices over MQTT; roll bundles out in waves with a health gate");
  fleet->require_subcommand(1);

  auto w = std::make_shared<WatchArgs>();
  CLI::App* wc = fleet->add_subcommand("watch", "Device table: versions and health from the broker's retained state");
  wc->add_option("--broker", w->broker, "MQTT broker host:port")->capture_default_str();
  wc->add_option("--seconds", w->seconds, "How long to listen")->capture_default_str()->check(CLI::Range(0.1, 3600.0));
  wc->add_flag("--json", w->json, "Machine-readable output");
  wc->callback([w] { watch(*w); });

  auto r = std::make_shared<RolloutArgs>();
  CLI::App* rc = fleet->add_subcommand("rollout", "Publish a bundle to devices in waves; stop when health degrades");
  rc->add_option("bundle", r->bundle, "Bundle from kiln bundle")->required()->check(CLI::ExistingFile);
  rc->add_option("--broker", r->broker, "MQTT broker host:port")->capture_default_str();
  rc->add_option("--devices", r->devices, "Device ids, comma-separated (the rollout order)");
  rc->add_option("--devices-file", r->devices_file, "File of device ids (lines or commas)");
  rc->add_option("--waves", r->waves, "Cumulative percentages per wave")->capture_default_str();
  rc->add_option("--chunk", r->chunk, "Bundle bytes per chunk message")->capture_default_str()->check(CLI::Range(1, 1024));
  rc->add_option("--wave-timeout", r->wave_timeout, "Seconds a wave's devices have to confirm")->capture_default_str();
  rc->add_option("--health-gate-p99-us", r->max_p99_us, "Fail a device whose latency p99 exceeds this (0: off)");
  rc->add_option("--state", r->state, "Rollout state file (default BUNDLE.rollout.json); resumes from it");
  rc->add_flag("--json", r->json, "Machine-readable outcome");
  rc->callback([r] { rollout(*r); });
}

}  // namespace kiln::cli
