#include "kiln/common/status.h"

#include <gtest/gtest.h>

#include <cstring>

namespace kiln {
namespace {

TEST(Status, NamesEveryCode) {
  EXPECT_STREQ(status_name(Status::kOk), "ok");
  EXPECT_STREQ(status_name(Status::kArenaTooSmall), "arena too small");
  EXPECT_STREQ(status_name(Status::kBudgetExceeded), "budget exceeded");
  EXPECT_STREQ(status_name(static_cast<Status>(200)), "unknown status");
}

TEST(Diag, FormatsAndKeepsCode) {
  Diag d;
  EXPECT_EQ(d.fail(Status::kUnsupported, "op %d (%s)", 3, "LSTM"), Status::kUnsupported);
  EXPECT_EQ(d.status(), Status::kUnsupported);
  EXPECT_STREQ(d.message(), "op 3 (LSTM)");
  d.clear();
  EXPECT_EQ(d.status(), Status::kOk);
  EXPECT_STREQ(d.message(), "");
}

TEST(Diag, TruncatesLongMessagesSafely) {
  Diag d;
  std::string long_text(1000, 'x');
  (void)d.fail(Status::kInternal, "%s", long_text.c_str());
  EXPECT_EQ(std::strlen(d.message()), Diag::kCapacity - 1);
}

Status fails_then_stops(int* reached) {
  KILN_TRY(Status::kOutOfRange);
  *reached = 1;
  return Status::kOk;
}

TEST(KilnTry, ReturnsFirstError) {
  int reached = 0;
  EXPECT_EQ(fails_then_stops(&reached), Status::kOutOfRange);
  EXPECT_EQ(reached, 0);
}

}  // namespace
}  // namespace kiln
