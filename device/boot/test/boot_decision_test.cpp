// The boot decision and trailer state machine: trial, confirm, revert after
// max_attempts unconfirmed boots, downgrade and mix-and-match rejection.
#include <gtest/gtest.h>

#include "boot_fixture.h"
#include "kiln/boot/security_counter.h"

namespace kiln::boot::testing {
namespace {

class BootDecisionTest : public ::testing::Test {
 protected:
  BootDecisionTest() : key(test_key(1)), dev(key), p1(make_pair(key, 1, 1)), p2(make_pair(key, 2, 2)) {
    dev.provision(p1.bundle, 0, true);
  }
  BootDecision boot() {
    BootDecision d{};
    Diag diag;
    const Status s = boot_select(dev.cfg, &d, &diag);
    EXPECT_EQ(s, Status::kOk) << diag.message();
    return d;
  }
  uint32_t counter() {
    uint32_t v = 0;
    Diag d;
    EXPECT_EQ(read_security_counter(dev.layout.counter, &v, &d), Status::kOk);
    return v;
  }
  image::Ed25519Key key;
  Device dev;
  PairImages p1, p2;
};

TEST_F(BootDecisionTest, BootsTheFactoryPair) {
  const BootDecision d = boot();
  EXPECT_EQ(d.slot, 0u);
  EXPECT_EQ(d.mode, BootMode::kConfirmed);
  EXPECT_EQ(d.pair.manifest.sequence, 1u);
  EXPECT_EQ(0, memcmp(d.pair.firmware.digest, p1.firmware_digest.data(), 32));
  EXPECT_EQ(0, memcmp(d.pair.model.digest, p1.model_digest.data(), 32));
  EXPECT_EQ(counter(), 1u);
}

TEST_F(BootDecisionTest, TrialThenConfirmRaisesTheCounter) {
  dev.provision(p2.bundle, 1, false);
  BootDecision d = boot();
  EXPECT_EQ(d.slot, 1u);
  EXPECT_EQ(d.mode, BootMode::kTrial);
  EXPECT_EQ(counter(), 1u) << "the counter rises only on confirmation";
  Diag diag;
  ASSERT_EQ(boot_confirm(dev.cfg, 1, &diag), Status::kOk) << diag.message();
  EXPECT_EQ(counter(), 2u);
  d = boot();
  EXPECT_EQ(d.slot, 1u);
  EXPECT_EQ(d.mode, BootMode::kConfirmed);
}

TEST_F(BootDecisionTest, RevertsAfterMaxAttemptsWithoutConfirmation) {
  dev.provision(p2.bundle, 1, false);
  for (uint32_t i = 0; i < kTestAttempts; ++i) {
    const BootDecision d = boot();
    EXPECT_EQ(d.slot, 1u) << "trial boot " << i;
    EXPECT_EQ(d.mode, BootMode::kTrial);
  }
  for (int i = 0; i < 3; ++i) {
    const BootDecision d = boot();
    EXPECT_EQ(d.slot, 0u);
    EXPECT_EQ(d.mode, BootMode::kConfirmed);
  }
  TrailerState t{};
  Diag diag;
  ASSERT_EQ(read_trailer(dev.layout.area(1, Part::kManifest), &t, &diag), Status::kOk);
  EXPECT_TRUE(t.rejected);
  EXPECT_EQ(t.attempts, kTestAttempts);
}

TEST_F(BootDecisionTest, RejectsADowngradedPair) {
  dev.provision(p2.bundle, 1, true);
  EXPECT_EQ(boot().slot, 1u);
  EXPECT_EQ(counter(), 2u);
  // A validly signed but older pair (counter 1) staged over slot A.
  Diag diag;
  for (Part p : {Part::kFirmware, Part::kModel, Part::kManifest}) {
    ASSERT_EQ(dev.layout.area(0, p).erase_all(&diag), Status::kOk);
  }
  const PairImages old_newer_seq = make_pair(key, 1, 3);  // tries to win with a higher sequence
  image::BundleParts parts = image::split_bundle(old_newer_seq.bundle);
  // Re-sign its manifest with counter 1 but sequence 3.
  boot::Manifest m{};
  m.sequence = 3;
  m.firmware_version = {1, 0, 0, 0};
  m.model_version = {1, 0, 0, 0};
  memcpy(m.firmware_digest, old_newer_seq.firmware_digest.data(), 32);
  memcpy(m.model_digest, old_newer_seq.model_digest.data(), 32);
  image::BundleOptions o;
  o.security_counter = 1;
  parts.manifest = image::make_manifest_image(m, o, key);
  dev.provision(image::join_bundle(parts), 0, false);
  const BootDecision d = boot();
  EXPECT_EQ(d.slot, 1u);
  TrailerState t{};
  ASSERT_EQ(read_trailer(dev.layout.area(0, Part::kManifest), &t, &diag), Status::kOk);
  EXPECT_TRUE(t.rejected);
}

TEST_F(BootDecisionTest, RejectsNewFirmwareWithAnOldModel) {
  image::BundleParts mix = image::split_bundle(p2.bundle);
  mix.model = p1.model;
  dev.provision(image::join_bundle(mix), 1, false);
  const BootDecision d = boot();
  EXPECT_EQ(d.slot, 0u);
  EXPECT_EQ(d.pair.manifest.sequence, 1u);
  PairInfo info;
  Diag diag;
  EXPECT_NE(verify_pair(dev.cfg, 1, 0, &info, &diag), Status::kOk);
  EXPECT_NE(std::string(diag.message()).find("not the one the manifest names"), std::string::npos) << diag.message();
}

TEST_F(BootDecisionTest, FailsCleanlyWhenNothingVerifies) {
  dev.flash.mem[dev.layout.area(0, Part::kFirmware).offset + 100] ^= 1;
  BootDecision d{};
  Diag diag;
  EXPECT_NE(boot_select(dev.cfg, &d, &diag), Status::kOk);
  EXPECT_NE(std::string(diag.message()).find("no pair slot"), std::string::npos) << diag.message();
}

TEST(SecurityCounter, OnlyGrowsAndSurvivesATornAppend) {
  SimFlash flash({4096, 512, 8, 0xff});
  FlashArea a{&flash, 0, 512};
  Diag d;
  uint32_t v = 0;
  ASSERT_EQ(raise_security_counter(a, 3, &d), Status::kOk);
  ASSERT_EQ(raise_security_counter(a, 2, &d), Status::kOk);
  ASSERT_EQ(read_security_counter(a, &v, &d), Status::kOk);
  EXPECT_EQ(v, 3u);
  flash.cut_at = flash.ops;
  flash.cut = Cut::kTornPrefix;
  EXPECT_NE(raise_security_counter(a, 9, &d), Status::kOk);
  flash.power_on();
  ASSERT_EQ(read_security_counter(a, &v, &d), Status::kOk);
  EXPECT_EQ(v, 3u);
  ASSERT_EQ(raise_security_counter(a, 9, &d), Status::kOk) << d.message();
  ASSERT_EQ(read_security_counter(a, &v, &d), Status::kOk);
  EXPECT_EQ(v, 9u);
}

TEST(Flash, EnforcesAlignmentAndProgramOnlyErased) {
  std::vector<uint8_t> mem(1024, 0xff);
  RamFlash f({1024, 256, 8, 0xff}, mem.data());
  Diag d;
  const uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(f.program(0, data, 8, &d), Status::kOk);
  EXPECT_NE(f.program(0, data, 8, &d), Status::kOk);  // not erased
  EXPECT_NE(f.program(4, data, 8, &d), Status::kOk);  // misaligned
  EXPECT_NE(f.erase(0, 100, &d), Status::kOk);        // partial block
  EXPECT_NE(f.erase(1024, 256, &d), Status::kOk);     // out of range
  EXPECT_EQ(f.erase(0, 256, &d), Status::kOk);
  EXPECT_EQ(mem[0], 0xff);
}

}  // namespace
}  // namespace kiln::boot::testing
