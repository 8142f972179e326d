// A strict reader for one flat JSON object whose values are strings (without
// escapes), unsigned integers or booleans: all a command needs, in a few
// dozen bytes of stack, with every index checked against the length.
#include "kiln/telemetry/command.h"

#include <string.h>

#include "kiln/telemetry/schema.h"

namespace kiln::telemetry {
namespace {

constexpr uint32_t kMaxFields = 8;
constexpr uint32_t kMaxText = 24;

struct Field {
  char key[kMaxText];
  bool is_string;
  char text[kMaxText];
  uint64_t number;
};

class Reader {
 public:
  Reader(const uint8_t* p, uint32_t n) : p_(p), n_(n) {}
  void skip_ws() {
    while (i_ < n_ && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < n_ && p_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_ws();
    return i_ == n_;
  }
  // A string of printable ASCII without escapes, shorter than kMaxText.
  Status string(char* out, Diag* diag) {
    if (!eat('"')) return diag->fail(Status::kInvalidArgument, "command: expected a string at byte %lu", at());
    uint32_t k = 0;
    while (i_ < n_ && p_[i_] != '"') {
      const uint8_t c = p_[i_];
      if (c < 0x20 || c > 0x7e || c == '\\')
        return diag->fail(Status::kInvalidArgument, "command: unsupported character in a string at byte %lu", at());
      if (k + 1 >= kMaxText) return diag->fail(Status::kInvalidArgument, "command: string too long at byte %lu", at());
      out[k++] = static_cast<char>(c);
      ++i_;
    }
    if (i_ == n_) return diag->fail(Status::kInvalidArgument, "command: unterminated string");
    ++i_;
    out[k] = '\0';
    return Status::kOk;
  }
  Status value(Field* f, Diag* diag) {
    skip_ws();
    if (i_ >= n_) return diag->fail(Status::kInvalidArgument, "command: truncated");
    f->is_string = false;
    f->number = 0;
    f->text[0] = '\0';
    if (p_[i_] == '"') {
      f->is_string = true;
      return string(f->text, diag);
    }
    if (n_ - i_ >= 4 && memcmp(p_ + i_, "true", 4) == 0) {
      i_ += 4;
      f->number = 1;
      return Status::kOk;
    }
    if (n_ - i_ >= 5 && memcmp(p_ + i_, "false", 5) == 0) {
      i_ += 5;
      return Status::kOk;
    }
    if (p_[i_] < '0' || p_[i_] > '9')
      return diag->fail(Status::kInvalidArgument, "command: unsupported value at byte %lu (only strings, "
                        "unsigned integers and booleans)", at());
    uint32_t digits = 0;
    while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') {
      if (++digits > 10) return diag->fail(Status::kInvalidArgument, "command: number too large at byte %lu", at());
      f->number = f->number * 10 + (p_[i_] - '0');
      ++i_;
    }
    if (i_ < n_ && (p_[i_] == '.' || p_[i_] == 'e' || p_[i_] == 'E'))
      return diag->fail(Status::kInvalidArgument, "command: numbers must be unsigned integers (byte %lu)", at());
    return Status::kOk;
  }
  unsigned long at() const { return static_cast<unsigned long>(i_); }

 private:
  const uint8_t* p_;
  uint32_t n_;
  uint32_t i_ = 0;
};

const Field* find(const Field* fields, uint32_t n, const char* key) {
  for (uint32_t i = 0; i < n; ++i)
    if (strcmp(fields[i].key, key) == 0) return &fields[i];
  return nullptr;
}

Status number_field(const Field* fields, uint32_t n, const char* key, bool required, uint32_t max, uint32_t* out,
                    Diag* diag) {
  const Field* f = find(fields, n, key);
  if (f == nullptr) {
    if (required) return diag->fail(Status::kInvalidArgument, "command: missing \"%s\"", key);
    return Status::kOk;
  }
  if (f->is_string) return diag->fail(Status::kInvalidArgument, "command: \"%s\" must be a number", key);
  if (f->number > max)
    return diag->fail(Status::kInvalidArgument, "command: \"%s\" = %llu is above %lu", key,
                      static_cast<unsigned long long>(f->number), static_cast<unsigned long>(max));
  *out = static_cast<uint32_t>(f->number);
  return Status::kOk;
}

bool allowed(const char* key, const char* const* keys, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i)
    if (strcmp(key, keys[i]) == 0) return true;
  return false;
}

}  // namespace

Status parse_command(const uint8_t* payload, uint32_t len, Command* out, Diag* diag) {
  if (payload == nullptr && len != 0) return diag->fail(Status::kInvalidArgument, "command: null payload");
  if (len > kMaxCommand)
    return diag->fail(Status::kInvalidArgument, "command: %lu bytes, more than the %lu allowed",
                      static_cast<unsigned long>(len), static_cast<unsigned long>(kMaxCommand));
  Reader r(payload, len);
  if (!r.eat('{')) return diag->fail(Status::kInvalidArgument, "command: not a JSON object");
  Field fields[kMaxFields];
  uint32_t n = 0;
  if (!r.eat('}')) {
    for (;;) {
      if (n == kMaxFields) return diag->fail(Status::kInvalidArgument, "command: more than %lu fields",
                                             static_cast<unsigned long>(kMaxFields));
      Field& f = fields[n];
      KILN_TRY(r.string(f.key, diag));
      if (find(fields, n, f.key) != nullptr)
        return diag->fail(Status::kInvalidArgument, "command: duplicate key \"%s\"", f.key);
      if (!r.eat(':')) return diag->fail(Status::kInvalidArgument, "command: expected ':' at byte %lu", r.at());
      KILN_TRY(r.value(&f, diag));
      ++n;
      if (r.eat(',')) continue;
      if (r.eat('}')) break;
      return diag->fail(Status::kInvalidArgument, "command: expected ',' or '}' at byte %lu", r.at());
    }
  }
  if (!r.at_end()) return diag->fail(Status::kInvalidArgument, "command: trailing bytes after the object");

  uint32_t version = 0;
  KILN_TRY(number_field(fields, n, "v", true, 0xffffffffu, &version, diag));
  if (version != kSchemaVersion)
    return diag->fail(Status::kInvalidArgument, "command: schema version %lu, this device speaks %lu",
                      static_cast<unsigned long>(version), static_cast<unsigned long>(kSchemaVersion));
  const Field* cmd = find(fields, n, "cmd");
  if (cmd == nullptr || !cmd->is_string) return diag->fail(Status::kInvalidArgument, "command: missing \"cmd\" string");

  Command c;
  static const char* const kRateKeys[] = {"v", "cmd", "events_per_min", "health_period_s"};
  static const char* const kRebootKeys[] = {"v", "cmd"};
  static const char* const kBundleKeys[] = {"v", "cmd", "transfer", "size"};
  const char* const* keys = nullptr;
  uint32_t key_count = 0;
  if (strcmp(cmd->text, "set_rate") == 0) {
    c.kind = CommandKind::kSetRate;
    keys = kRateKeys;
    key_count = 4;
    KILN_TRY(number_field(fields, n, "events_per_min", false, kMaxEventsPerMin, &c.events_per_min, diag));
    KILN_TRY(number_field(fields, n, "health_period_s", false, kMaxHealthPeriodS, &c.health_period_s, diag));
  } else if (strcmp(cmd->text, "reboot") == 0) {
    c.kind = CommandKind::kReboot;
    keys = kRebootKeys;
    key_count = 2;
  } else if (strcmp(cmd->text, "request_bundle") == 0) {
    c.kind = CommandKind::kRequestBundle;
    keys = kBundleKeys;
    key_count = 4;
    KILN_TRY(number_field(fields, n, "transfer", true, 0xffffffffu, &c.transfer, diag));
    KILN_TRY(number_field(fields, n, "size", true, kMaxBundleBytes, &c.size, diag));
    if (c.transfer == 0) return diag->fail(Status::kInvalidArgument, "command: \"transfer\" must not be 0");
  } else {
    return diag->fail(Status::kInvalidArgument, "command: unknown command \"%s\"", cmd->text);
  }
  for (uint32_t i = 0; i < n; ++i)
    if (!allowed(fields[i].key, keys, key_count))
      return diag->fail(Status::kInvalidArgument, "command: unknown key \"%s\" for \"%s\"", fields[i].key, cmd->text);
  *out = c;
  return Status::kOk;
}

}  // namespace kiln::telemetry
