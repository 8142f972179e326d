#include "kiln/fleet/mqtt_client.h"

#include <mosquitto.h>

#include <chrono>
#include <thread>

#include "kiln/host/error.h"

namespace kiln::fleet {
namespace {

void lib_init() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

}  // namespace

BrokerAddress parse_broker(const std::string& text) {
  BrokerAddress b;
  const size_t colon = text.rfind(':');
  b.host = colon == std::string::npos ? text : text.substr(0, colon);
  if (colon != std::string::npos) {
    try {
      size_t used = 0;
      b.port = std::stoi(text.substr(colon + 1), &used);
      if (used != text.size() - colon - 1) throw std::invalid_argument("junk");
    } catch (const std::exception&) {
      host::fail("bad broker address '" + text + "' (expected host:port)");
    }
  }
  if (b.host.empty() || b.port <= 0 || b.port > 65535) host::fail("bad broker address '" + text + "'");
  return b;
}

MqttClient::MqttClient(const std::string& client_id, bool clean_session) {
  lib_init();
  mosq_ = mosquitto_new(client_id.c_str(), clean_session, this);
  if (mosq_ == nullptr) host::fail("mqtt: cannot create client '" + client_id + "'");
  mosquitto_connect_callback_set(mosq_, &MqttClient::on_connect_cb);
  mosquitto_disconnect_callback_set(mosq_, &MqttClient::on_disconnect_cb);
  mosquitto_message_callback_set(mosq_, &MqttClient::on_message_cb);
  mosquitto_reconnect_delay_set(mosq_, 1, 2, false);
  mosquitto_max_inflight_messages_set(mosq_, 0);  // no client-side cap: the broker paces us
}

MqttClient::~MqttClient() {
  if (started_) {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, false);
  }
  mosquitto_destroy(mosq_);
}

void MqttClient::on_message(Handler h) { handler_ = std::move(h); }

void MqttClient::subscribe(const std::string& pattern, int qos) {
  std::lock_guard<std::mutex> lock(mu_);
  subscriptions_.emplace_back(pattern, qos);
  if (connected_) mosquitto_subscribe(mosq_, nullptr, pattern.c_str(), qos);
}

void MqttClient::connect(const BrokerAddress& broker) {
  const int rc = mosquitto_connect_async(mosq_, broker.host.c_str(), broker.port, 30);
  if (rc == MOSQ_ERR_INVAL) host::fail("mqtt: bad broker " + broker.host + ":" + std::to_string(broker.port));
  // Any other failure (broker not up yet) is retried by the loop thread.
  if (mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS) host::fail("mqtt: cannot start the network thread");
  started_ = true;
}

bool MqttClient::wait_connected(double timeout_s) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (!connected_) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool MqttClient::publish(const std::string& topic, const void* data, size_t len, int qos, bool retain) {
  return mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(len), data, qos, retain) ==
         MOSQ_ERR_SUCCESS;
}

void MqttClient::on_connect_cb(struct mosquitto* m, void* self, int rc) {
  auto* c = static_cast<MqttClient*>(self);
  if (rc != 0) return;
  std::lock_guard<std::mutex> lock(c->mu_);
  for (const auto& [pattern, qos] : c->subscriptions_) mosquitto_subscribe(m, nullptr, pattern.c_str(), qos);
  c->connected_ = true;
  ++c->connects_;
}

void MqttClient::on_disconnect_cb(struct mosquitto*, void* self, int) { static_cast<MqttClient*>(self)->connected_ = false; }

void MqttClient::on_message_cb(struct mosquitto*, void* self, const struct mosquitto_message* msg) {
  auto* c = static_cast<MqttClient*>(self);
  ++c->received_;
  if (!c->handler_ || msg == nullptr || msg->payloadlen < 0) return;
  c->handler_(msg->topic, std::string(static_cast<const char*>(msg->payload), static_cast<size_t>(msg->payloadlen)));
}

}  // namespace kiln::fleet
