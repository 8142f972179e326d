// A host MQTT client on libmosquitto's threaded loop: connects in the
// background, reconnects on its own, re-subscribes after every connection,
// and hands every message to one handler (called on the network thread).
#pragma once
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

struct mosquitto;
struct mosquitto_message;

namespace kiln::fleet {

struct BrokerAddress {
  std::string host = "127.0.0.1";
  int port = 1883;
};
// "host:port" or "host" (port 1883); throws ToolError on a bad port.
BrokerAddress parse_broker(const std::string& text);

class MqttClient {
 public:
  using Handler = std::function<void(const std::string& topic, const std::string& payload)>;
  MqttClient(const std::string& client_id, bool clean_session);
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  void on_message(Handler h);  // set before connect()
  void subscribe(const std::string& pattern, int qos = 1);
  void connect(const BrokerAddress& broker);
  // Waits up to timeout_s for the first CONNACK; false on timeout.
  bool wait_connected(double timeout_s) const;
  bool connected() const { return connected_; }
  // False when the client refused it (e.g. no connection): callers retry.
  bool publish(const std::string& topic, const void* data, size_t len, int qos, bool retain);
  bool publish(const std::string& topic, const std::string& payload, int qos, bool retain) {
    return publish(topic, payload.data(), payload.size(), qos, retain);
  }
  uint64_t messages_received() const { return received_; }
  uint32_t connects() const { return connects_; }

 private:
  static void on_connect_cb(struct mosquitto* m, void* self, int rc);
  static void on_disconnect_cb(struct mosquitto* m, void* self, int rc);
  static void on_message_cb(struct mosquitto* m, void* self, const ::mosquitto_message* msg);

  struct mosquitto* mosq_ = nullptr;
  Handler handler_;
  std::mutex mu_;
  std::vector<std::pair<std::string, int>> subscriptions_;
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> received_{0};
  std::atomic<uint32_t> connects_{0};
  bool started_ = false;
};

}  // namespace kiln::fleet
