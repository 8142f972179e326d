// The log facade: levels reach the sink, long lines are truncated, and calls
// below KILN_LOG_LEVEL are stripped (their arguments are never evaluated).
#undef KILN_LOG_LEVEL
#define KILN_LOG_LEVEL KILN_LOG_LEVEL_WARN
#include "kiln/log/log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiln::log {
namespace {

struct Captured {
  std::vector<std::string> lines;
};

void capture(void* user, Level level, const char* module, const char* text) {
  static_cast<Captured*>(user)->lines.push_back(std::string(level_name(level)) + " " + module + ": " + text);
}

int side_effects = 0;
[[maybe_unused]] int touch() { return ++side_effects; }

TEST(Log, LevelsAtOrAboveTheCompileTimeLevelReachTheSink) {
  Captured c;
  set_sink(&capture, &c);
  KILN_LOG_ERROR("kiln.ota", "slot %d rejected", 1);
  KILN_LOG_WARN("kiln.telemetry", "queue dropped %u", 3u);
  KILN_LOG_INFO("kiln.telemetry", "stripped %d", touch());
  KILN_LOG_DEBUG("kiln.telemetry", "stripped %d", touch());
  set_sink(nullptr, nullptr);
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0], "E kiln.ota: slot 1 rejected");
  EXPECT_EQ(c.lines[1], "W kiln.telemetry: queue dropped 3");
  EXPECT_EQ(side_effects, 0);  // stripped calls never evaluate their arguments
}

TEST(Log, LongLinesAreTruncatedNotOverflowed) {
  Captured c;
  set_sink(&capture, &c);
  const std::string big(1000, 'x');
  KILN_LOG_ERROR("m", "%s", big.c_str());
  write(Level::kInfo, nullptr, "runtime level %d", 3);  // direct calls are not stripped
  set_sink(nullptr, nullptr);
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].size(), std::string("E m: ").size() + kMaxLine - 1);
  EXPECT_EQ(c.lines[1], "I kiln: runtime level 3");
}

TEST(Log, DefaultSinkWritesToStderrOnPosix) {
  ::testing::internal::CaptureStderr();
  write(Level::kWarn, "kiln.fleet", "hello %s", "stderr");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "W kiln.fleet: hello stderr\n");
}

}  // namespace
}  // namespace kiln::log
