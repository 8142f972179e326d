// Swap-scratch boots: a staged pair is swapped into slot A, runs on trial,
// is confirmed or swapped back; bad staged pairs are never swapped in.
#include <gtest/gtest.h>

#include "boot_fixture.h"

namespace kiln::boot::testing {
namespace {

class SwapBoot : public ::testing::Test {
 protected:
  SwapBoot() : key(test_key(5)), dev(key, UpgradeMode::kSwap), p1(make_pair(key, 1, 1)), p2(make_pair(key, 2, 2)) {
    dev.provision(p1.bundle, 0, true);
  }
  BootDecision boot() {
    BootDecision d{};
    Diag diag;
    EXPECT_EQ(boot_select(dev.cfg, &d, &diag), Status::kOk) << diag.message();
    EXPECT_EQ(d.slot, 0u);
    return d;
  }
  bool is(const BootDecision& d, const PairImages& p) const {
    return memcmp(d.pair.firmware.digest, p.firmware_digest.data(), 32) == 0 &&
           memcmp(d.pair.model.digest, p.model_digest.data(), 32) == 0;
  }
  TrailerState trailer(uint32_t slot) {
    TrailerState t{};
    Diag d;
    EXPECT_EQ(read_trailer(dev.layout.area(slot, Part::kManifest), &t, &d), Status::kOk);
    return t;
  }
  SwapLog log() {
    SwapLog l{};
    Diag d;
    EXPECT_EQ(read_swap_log(dev.layout, &l, &d), Status::kOk);
    return l;
  }
  image::Ed25519Key key;
  Device dev;
  PairImages p1, p2;
};

TEST_F(SwapBoot, BootsTheConfirmedPrimaryWithoutSwapping) {
  const BootDecision d = boot();
  EXPECT_TRUE(is(d, p1));
  EXPECT_EQ(d.mode, BootMode::kConfirmed);
  EXPECT_FALSE(log().valid);
}

TEST_F(SwapBoot, SwapsAStagedPairInAndConfirmsIt) {
  dev.provision(p2.bundle, 1, false);
  const int64_t before = dev.flash.ops;
  BootDecision d = boot();
  EXPECT_TRUE(is(d, p2));
  EXPECT_EQ(d.mode, BootMode::kTrial);
  const SwapLog l = log();
  ASSERT_TRUE(l.valid);
  EXPECT_EQ(l.epoch, 1u);
  EXPECT_EQ(l.upgrade_steps, 3 * swap_chunk_count(dev.layout));
  EXPECT_GT(dev.flash.ops - before, 3 * 7);  // at least an erase per step of 7 chunks
  // The old pair now sits in B, still confirmed: it is what a revert restores.
  EXPECT_TRUE(trailer(1).confirmed);
  Diag diag;
  ASSERT_EQ(boot_confirm(dev.cfg, 0, &diag), Status::kOk) << diag.message();
  d = boot();
  EXPECT_TRUE(is(d, p2));
  EXPECT_EQ(d.mode, BootMode::kConfirmed);
  EXPECT_EQ(d.security_counter, 2u);
  EXPECT_EQ(dev.flash.overwrites, 0u);
}

TEST_F(SwapBoot, SwapsBackWhenTheTrialRunsOut) {
  dev.provision(p2.bundle, 1, false);
  for (uint32_t i = 0; i < kTestAttempts; ++i) {
    const BootDecision d = boot();
    EXPECT_TRUE(is(d, p2));
    EXPECT_EQ(d.mode, BootMode::kTrial);
  }
  const BootDecision d = boot();
  EXPECT_TRUE(is(d, p1));
  EXPECT_EQ(d.mode, BootMode::kConfirmed);
  EXPECT_TRUE(trailer(1).rejected);  // the failed pair is never swapped in again
  const SwapLog l = log();
  EXPECT_TRUE(l.revert_done);
  EXPECT_TRUE(is(boot(), p1));
  EXPECT_EQ(dev.flash.overwrites, 0u);
}

TEST_F(SwapBoot, TwoUpgradesUseAlternatingLogs) {
  dev.provision(p2.bundle, 1, false);
  Diag diag;
  (void)boot();
  ASSERT_EQ(boot_confirm(dev.cfg, 0, &diag), Status::kOk);
  const PairImages p3 = make_pair(key, 3, 3);
  // Stage p3 in B as the update agent would: erase, program, trailer magic.
  for (uint32_t p = 0; p < kPartCount; ++p) ASSERT_EQ(dev.layout.area(1, static_cast<Part>(p)).erase_all(&diag), Status::kOk);
  dev.provision(p3.bundle, 1, false);
  const BootDecision d = boot();
  EXPECT_TRUE(is(d, p3));
  const SwapLog l = log();
  EXPECT_EQ(l.epoch, 2u);
  EXPECT_EQ(l.half, 1u);
}

TEST_F(SwapBoot, NeverSwapsInATamperedOrOlderPair) {
  dev.provision(p2.bundle, 1, false);
  dev.flash.mem[dev.layout.area(1, Part::kModel).offset + 100] ^= 0x10;
  BootDecision d = boot();
  EXPECT_TRUE(is(d, p1));
  EXPECT_EQ(d.mode, BootMode::kConfirmed);
  EXPECT_TRUE(trailer(1).rejected);
  EXPECT_FALSE(log().valid);  // nothing was swapped
  // A validly signed pair that is not newer than the running one.
  Diag diag;
  for (uint32_t p = 0; p < kPartCount; ++p) ASSERT_EQ(dev.layout.area(1, static_cast<Part>(p)).erase_all(&diag), Status::kOk);
  dev.provision(make_pair(key, 1, 1).bundle, 1, false);
  d = boot();
  EXPECT_TRUE(is(d, p1));
  EXPECT_TRUE(trailer(1).rejected);
  EXPECT_FALSE(log().valid);
}

TEST_F(SwapBoot, ReportsARejectedPrimaryWithTheRejectedStatus) {
  dev.flash.mem[dev.layout.area(0, Part::kFirmware).offset + 40] ^= 0x01;
  BootDecision d{};
  Diag diag;
  EXPECT_EQ(boot_select(dev.cfg, &d, &diag), Status::kRejected);
  EXPECT_NE(std::string(diag.message()).find("SHA-256 mismatch"), std::string::npos) << diag.message();
  BootConfig no_keys = dev.cfg;
  no_keys.keys.count = 0;
  EXPECT_EQ(boot_select(no_keys, &d, &diag), Status::kInvalidArgument);  // a bad argument, not a bad image
}

}  // namespace
}  // namespace kiln::boot::testing
