#include "mosquitto_port.h"

#include <mosquitto.h>
#include <pthread.h>

namespace kiln::telemetry {
namespace {

pthread_once_t g_init = PTHREAD_ONCE_INIT;
void lib_init() { mosquitto_lib_init(); }

}  // namespace

MosquittoPort::~MosquittoPort() { close(); }

Status MosquittoPort::open(const char* client_id, const char* host, int port, Diag* diag) {
  pthread_once(&g_init, lib_init);
  close();
  mosq_ = mosquitto_new(client_id, /*clean_session=*/false, this);
  if (mosq_ == nullptr) return diag->fail(Status::kInternal, "mqtt: cannot create a client for %s", client_id);
  mosquitto_connect_callback_set(mosq_, &MosquittoPort::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MosquittoPort::on_disconnect);
  mosquitto_message_callback_set(mosq_, &MosquittoPort::on_message);
  const int rc = mosquitto_connect(mosq_, host, port, /*keepalive=*/30);
  socket_up_ = rc == MOSQ_ERR_SUCCESS;  // CONNACK arrives in service()
  if (rc == MOSQ_ERR_INVAL) return diag->fail(Status::kInvalidArgument, "mqtt: bad broker %s:%d", host, port);
  return Status::kOk;
}

void MosquittoPort::close() {
  if (mosq_ == nullptr) return;
  if (connected_) {
    mosquitto_disconnect(mosq_);
    mosquitto_loop(mosq_, 10, 1);
  }
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
  socket_up_ = false;
}

void MosquittoPort::service(int timeout_ms, uint64_t now_us) {
  if (mosq_ == nullptr) return;
  if (!socket_up_) {
    if (now_us < next_attempt_us_) return;
    socket_up_ = mosquitto_reconnect(mosq_) == MOSQ_ERR_SUCCESS;
    if (!socket_up_) {  // back off up to 1 s between attempts
      next_attempt_us_ = now_us + backoff_ms_ * 1000ull;
      backoff_ms_ = backoff_ms_ * 2 > 1000 ? 1000 : backoff_ms_ * 2;
      return;
    }
  }
  const int rc = mosquitto_loop(mosq_, timeout_ms, 1);
  if (rc != MOSQ_ERR_SUCCESS) {
    connected_ = false;
    socket_up_ = false;
    next_attempt_us_ = now_us + backoff_ms_ * 1000ull;
  }
}

void MosquittoPort::on_connect(struct mosquitto* m, void* self, int rc) {
  auto* p = static_cast<MosquittoPort*>(self);
  if (rc != 0) return;
  p->connected_ = true;
  p->reconnected_ = true;
  p->backoff_ms_ = 50;
  ++p->connects_;
  if (p->agent_ != nullptr) {
    mosquitto_subscribe(m, nullptr, p->agent_->command_topic(), 1);
    mosquitto_subscribe(m, nullptr, p->agent_->chunk_topic(), 1);
  }
}

void MosquittoPort::on_disconnect(struct mosquitto*, void* self, int) {
  static_cast<MosquittoPort*>(self)->connected_ = false;
}

void MosquittoPort::on_message(struct mosquitto*, void* self, const struct mosquitto_message* msg) {
  auto* p = static_cast<MosquittoPort*>(self);
  if (p->agent_ == nullptr || msg == nullptr || msg->payloadlen < 0) return;
  p->agent_->on_message(msg->topic, static_cast<const uint8_t*>(msg->payload), static_cast<uint32_t>(msg->payloadlen));
}

bool MosquittoPort::publish_fn(void* self, const char* topic, const uint8_t* payload, uint32_t len, bool retain) {
  auto* p = static_cast<MosquittoPort*>(self);
  if (p->mosq_ == nullptr || !p->connected_) return false;
  // QoS 1 for state (retained), QoS 0 for the event stream.
  return mosquitto_publish(p->mosq_, nullptr, topic, static_cast<int>(len), payload, retain ? 1 : 0, retain) ==
         MOSQ_ERR_SUCCESS;
}

bool MosquittoPort::connected_fn(void* self) { return static_cast<MosquittoPort*>(self)->connected_; }

TransportPort MosquittoPort::port() {
  TransportPort t;
  t.publish = &MosquittoPort::publish_fn;
  t.connected = &MosquittoPort::connected_fn;
  t.self = this;
  return t;
}

}  // namespace kiln::telemetry
