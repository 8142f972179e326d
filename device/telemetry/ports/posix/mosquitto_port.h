// The telemetry transport port on POSIX, over libmosquitto. The agent's
// thread calls service(): network I/O, reconnects with back-off, and the
// delivery of incoming messages to Agent::on_message on that same thread
// (so the agent needs no lock). Sessions are persistent (clean_session off,
// client id = device id): a broker with persistence keeps subscriptions and
// QoS 1 messages across its own restart.
//
// Lives beside the device core but outside it: it links a host library.
#pragma once
#include <stdint.h>

#include "kiln/common/status.h"
#include "kiln/telemetry/agent.h"
#include "kiln/telemetry/transport.h"

struct mosquitto;
struct mosquitto_message;

namespace kiln::telemetry {

class MosquittoPort {
 public:
  MosquittoPort() = default;
  MosquittoPort(const MosquittoPort&) = delete;
  MosquittoPort& operator=(const MosquittoPort&) = delete;
  ~MosquittoPort();

  // Creates the client and tries a first connection (a broker that is not
  // up yet is fine: service() keeps retrying).
  Status open(const char* client_id, const char* host, int port, Diag* diag);
  void attach(Agent* agent) { agent_ = agent; }
  // Runs the client for up to timeout_ms; reconnects when the link is lost.
  void service(int timeout_ms, uint64_t now_us);
  void close();

  TransportPort port();
  bool connected() const { return connected_; }
  uint32_t connects() const { return connects_; }
  // True once per (re)connection: the application republishes its identity.
  bool take_reconnected() {
    const bool r = reconnected_;
    reconnected_ = false;
    return r;
  }

 private:
  static void on_connect(struct mosquitto* m, void* self, int rc);
  static void on_disconnect(struct mosquitto* m, void* self, int rc);
  static void on_message(struct mosquitto* m, void* self, const struct mosquitto_message* msg);
  static bool publish_fn(void* self, const char* topic, const uint8_t* payload, uint32_t len, bool retain);
  static bool connected_fn(void* self);

  struct mosquitto* mosq_ = nullptr;
  Agent* agent_ = nullptr;
  bool connected_ = false;
  bool reconnected_ = false;
  bool socket_up_ = false;
  uint32_t connects_ = 0;
  uint64_t next_attempt_us_ = 0;
  uint32_t backoff_ms_ = 50;
};

}  // namespace kiln::telemetry
