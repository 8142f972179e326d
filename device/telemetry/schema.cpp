#include "kiln/telemetry/schema.h"

#include <string.h>

namespace kiln::telemetry {

bool valid_device_id(const char* id) {
  if (id == nullptr) return false;
  uint32_t n = 0;
  for (; id[n] != '\0'; ++n) {
    const char c = id[n];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-';
    if (!ok || n >= kMaxDeviceId) return false;
  }
  return n > 0;
}

bool make_topic(const char* id, const char* suffix, char* out, uint32_t cap) {
  const size_t a = strlen(kTopicRoot), b = strlen(id), c = strlen(suffix);
  if (a + b + 1 + c + 1 > cap) return false;
  memcpy(out, kTopicRoot, a);
  memcpy(out + a, id, b);
  out[a + b] = '/';
  memcpy(out + a + b + 1, suffix, c + 1);
  return true;
}

}  // namespace kiln::telemetry
