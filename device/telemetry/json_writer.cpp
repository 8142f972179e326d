#include "kiln/telemetry/json_writer.h"

namespace kiln::telemetry {

void JsonWriter::put(char c) {
  if (overflow_) return;
  if (len_ + 1 >= cap_) {  // keep room for the terminator
    overflow_ = true;
    return;
  }
  buf_[len_++] = c;
  buf_[len_] = '\0';
}

void JsonWriter::raw(const char* s) {
  while (*s != '\0') put(*s++);
}

void JsonWriter::key(const char* k) {
  if (need_comma_) put(',');
  put('"');
  raw(k);  // keys are the schema's literals: no escaping needed
  raw("\":");
  need_comma_ = true;
}

void JsonWriter::uint_text(uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) put(tmp[--n]);
}

void JsonWriter::begin_object() {
  if (need_comma_) put(',');
  put('{');
  need_comma_ = false;
}
void JsonWriter::begin_object(const char* k) {
  key(k);
  put('{');
  need_comma_ = false;
}
void JsonWriter::end_object() {
  put('}');
  need_comma_ = true;
}
void JsonWriter::key_uint(const char* k, uint64_t v) {
  key(k);
  uint_text(v);
}
void JsonWriter::key_int(const char* k, int64_t v) {
  key(k);
  if (v < 0) {
    put('-');
    uint_text(static_cast<uint64_t>(-(v + 1)) + 1);
  } else {
    uint_text(static_cast<uint64_t>(v));
  }
}
void JsonWriter::key_bool(const char* k, bool v) {
  key(k);
  raw(v ? "true" : "false");
}
void JsonWriter::key_string(const char* k, const char* s) {
  static const char kHex[] = "0123456789abcdef";
  key(k);
  put('"');
  for (; *s != '\0'; ++s) {
    const unsigned char c = static_cast<unsigned char>(*s);
    if (c == '"' || c == '\\') {
      put('\\');
      put(static_cast<char>(c));
    } else if (c < 0x20) {
      raw("\\u00");
      put(kHex[c >> 4]);
      put(kHex[c & 15]);
    } else {
      put(static_cast<char>(c));
    }
  }
  put('"');
}
void JsonWriter::key_hex(const char* k, const uint8_t* bytes, uint32_t n) {
  static const char kHex[] = "0123456789abcdef";
  key(k);
  put('"');
  for (uint32_t i = 0; i < n; ++i) {
    put(kHex[bytes[i] >> 4]);
    put(kHex[bytes[i] & 15]);
  }
  put('"');
}

}  // namespace kiln::telemetry
