// A bounded JSON writer into a caller's buffer: objects, unsigned/signed
// integers, booleans and escaped strings. Overflow is sticky: the result is
// then unusable and ok() says so (no partial message is ever sent).
#pragma once
#include <stdint.h>

namespace kiln::telemetry {

class JsonWriter {
 public:
  JsonWriter(char* buf, uint32_t cap) : buf_(buf), cap_(cap) {
    if (cap_ > 0) buf_[0] = '\0';
  }
  void begin_object();
  void end_object();
  void begin_object(const char* key);
  void key_uint(const char* key, uint64_t v);
  void key_int(const char* key, int64_t v);
  void key_bool(const char* key, bool v);
  void key_string(const char* key, const char* s);
  void key_hex(const char* key, const uint8_t* bytes, uint32_t n);

  bool ok() const { return !overflow_; }
  uint32_t size() const { return len_; }
  const char* data() const { return buf_; }

 private:
  void raw(const char* s);
  void put(char c);
  void key(const char* k);
  void uint_text(uint64_t v);

  char* buf_;
  uint32_t cap_;
  uint32_t len_ = 0;
  bool overflow_ = false;
  bool need_comma_ = false;
};

}  // namespace kiln::telemetry
