// A real mosquitto broker on loopback for the fleet tests: a free port, a
// config file with persistence in a temporary folder, start/stop/restart on
// the same port. Tests skip (and say why) when mosquitto is not installed.
#pragma once
#include <string>
#include <sys/types.h>

namespace kiln::fleet::testing {

// Path of the mosquitto binary, or "" when it is not installed.
std::string mosquitto_binary();

class Broker {
 public:
  Broker();  // picks a free port and writes the config; does not start
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Starts mosquitto and waits (generously) until it accepts connections.
  bool start();
  // Stops it: SIGTERM (mosquitto saves its persistence database) or SIGKILL.
  void stop(bool kill_hard = false);
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace kiln::fleet::testing
