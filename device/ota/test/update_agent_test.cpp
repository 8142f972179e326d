// The update agent against bad bundles: every flipped byte, a downgrade, a
// mix of pairs, oversized and endless bundles; and a resumed download.
#include <gtest/gtest.h>

#include "../../boot/test/boot_fixture.h"
#include "kiln/boot/bytes.h"
#include "kiln/ota/update_agent.h"

namespace kiln::boot::testing {
namespace {

class UpdateAgentTest : public ::testing::Test {
 protected:
  UpdateAgentTest() : key(test_key(3)), dev(key), p1(make_pair(key, 1, 1)), p2(make_pair(key, 2, 2)) {
    dev.provision(p1.bundle, 0, true);
    Diag d;
    EXPECT_EQ(boot_select(dev.cfg, &running, &d), Status::kOk) << d.message();
  }
  // Streams `bundle` in chunks; returns the first failure's status.
  Status send(const std::vector<uint8_t>& bundle, Diag* diag, uint32_t chunk = 64) {
    ota::UpdateAgent agent(dev.cfg, running);
    if (bundle.size() < ota::kBundleHeaderSize) return diag->fail(Status::kInvalidArgument, "short");
    KILN_TRY(agent.start(bundle.data(), diag));
    for (uint32_t at = ota::kBundleHeaderSize; at < bundle.size(); at += chunk) {
      const uint32_t n = std::min<uint32_t>(chunk, static_cast<uint32_t>(bundle.size()) - at);
      KILN_TRY(agent.write(at, bundle.data() + at, n, diag));
    }
    return agent.finish(diag);
  }
  uint32_t boots_into() {
    BootDecision d{};
    Diag diag;
    EXPECT_EQ(boot_select(dev.cfg, &d, &diag), Status::kOk) << diag.message();
    return d.pair.manifest.sequence;
  }
  image::Ed25519Key key;
  Device dev;
  PairImages p1, p2;
  BootDecision running{};
};

TEST_F(UpdateAgentTest, StagesAValidBundleForATrialBoot) {
  Diag d;
  ASSERT_EQ(send(p2.bundle, &d), Status::kOk) << d.message();
  BootDecision b{};
  ASSERT_EQ(boot_select(dev.cfg, &b, &d), Status::kOk);
  EXPECT_EQ(b.slot, 1u);
  EXPECT_EQ(b.mode, BootMode::kTrial);
  EXPECT_EQ(b.pair.manifest.sequence, 2u);
}

TEST_F(UpdateAgentTest, RejectsEverySingleFlippedByteOfABundle) {
  uint32_t accepted = 0;
  for (size_t i = 0; i < p2.bundle.size(); ++i) {
    auto bad = p2.bundle;
    bad[i] ^= 0x04;
    Diag d;
    if (send(bad, &d, 256) == Status::kOk) ++accepted;
  }
  EXPECT_EQ(accepted, 0u);
  EXPECT_EQ(boots_into(), 1u);
}

TEST_F(UpdateAgentTest, RejectsTruncatedAndEndlessBundles) {
  Diag d;
  auto shorter = p2.bundle;
  shorter.resize(shorter.size() - 10);
  EXPECT_NE(send(shorter, &d), Status::kOk);  // finish: incomplete
  auto longer = p2.bundle;
  longer.resize(longer.size() + 1000, 0x55);
  EXPECT_NE(send(longer, &d), Status::kOk);
  EXPECT_NE(std::string(d.message()).find("past the bundle"), std::string::npos) << d.message();
  auto huge = p2.bundle;
  store_le32(huge.data() + 12, 0x7fffffff);  // firmware size
  EXPECT_EQ(send(huge, &d), Status::kRejected);
  EXPECT_NE(std::string(d.message()).find("does not fit"), std::string::npos) << d.message();
  EXPECT_EQ(boots_into(), 1u);
}

TEST_F(UpdateAgentTest, RejectsAnImageClaimingMoreThanTheBundleCarries) {
  const image::BundleParts parts = image::split_bundle(p2.bundle);
  auto bad = p2.bundle;
  const size_t fw_at = ota::kBundleHeaderSize + parts.manifest.size();
  store_le32(bad.data() + fw_at + 12, 0x00100000);  // firmware img_size: 1 MiB
  Diag d;
  EXPECT_EQ(send(bad, &d), Status::kRejected);
  EXPECT_NE(std::string(d.message()).find("claims"), std::string::npos) << d.message();
}

TEST_F(UpdateAgentTest, RejectsMixAndMatch) {
  image::BundleParts mix = image::split_bundle(p2.bundle);
  mix.model = p1.model;  // new firmware, old model, new manifest
  Diag d;
  EXPECT_NE(send(image::join_bundle(mix), &d), Status::kOk);
  EXPECT_NE(std::string(d.message()).find("not the one the manifest names"), std::string::npos) << d.message();
  EXPECT_EQ(boots_into(), 1u);
}

TEST_F(UpdateAgentTest, RejectsADowngradeAtTheManifest) {
  // Confirm p2, then offer an older validly signed pair with a newer sequence.
  Diag d;
  ASSERT_EQ(send(p2.bundle, &d), Status::kOk);
  ASSERT_EQ(boot_select(dev.cfg, &running, &d), Status::kOk);
  ASSERT_EQ(boot_confirm(dev.cfg, running.slot, &d), Status::kOk);
  ASSERT_EQ(boot_select(dev.cfg, &running, &d), Status::kOk);
  image::BundleParts old = image::split_bundle(make_pair(key, 1, 1).bundle);
  Manifest m{};
  m.sequence = 9;
  m.firmware_version = {1, 0, 0, 0};
  m.model_version = {1, 0, 0, 0};
  memcpy(m.firmware_digest, p1.firmware_digest.data(), 32);
  memcpy(m.model_digest, p1.model_digest.data(), 32);
  image::BundleOptions o;
  o.security_counter = 1;
  old.manifest = image::make_manifest_image(m, o, key);
  EXPECT_NE(send(image::join_bundle(old), &d), Status::kOk);
  EXPECT_NE(std::string(d.message()).find("downgrade"), std::string::npos) << d.message();
}

TEST_F(UpdateAgentTest, RefusesToStageWhileOnTrial) {
  Diag d;
  ASSERT_EQ(send(p2.bundle, &d), Status::kOk);
  ASSERT_EQ(boot_select(dev.cfg, &running, &d), Status::kOk);
  ASSERT_EQ(running.mode, BootMode::kTrial);
  const PairImages p3 = make_pair(key, 3, 3);
  EXPECT_NE(send(p3.bundle, &d), Status::kOk);
  EXPECT_NE(std::string(d.message()).find("on trial"), std::string::npos) << d.message();
}

TEST_F(UpdateAgentTest, ResumesAfterAResetFromWhatIsInFlash) {
  Diag d;
  ota::UpdateAgent first(dev.cfg, running);
  ASSERT_EQ(first.start(p2.bundle.data(), &d), Status::kOk);
  const uint32_t stop = 1000;
  ASSERT_EQ(first.write(ota::kBundleHeaderSize, p2.bundle.data() + ota::kBundleHeaderSize,
                        stop - ota::kBundleHeaderSize, &d), Status::kOk);
  ota::UpdateAgent second(dev.cfg, running);  // after a reset: RAM state is gone
  uint32_t at = 0;
  ASSERT_EQ(second.resume(p2.bundle.data(), &at, &d), Status::kOk) << d.message();
  EXPECT_LE(at, stop);
  EXPECT_GT(at, stop - 16);  // loses at most the unprogrammed part of one write unit
  ASSERT_EQ(second.write(at, p2.bundle.data() + at, static_cast<uint32_t>(p2.bundle.size()) - at, &d), Status::kOk)
      << d.message();
  ASSERT_EQ(second.finish(&d), Status::kOk) << d.message();
  EXPECT_EQ(boots_into(), 2u);
}

}  // namespace
}  // namespace kiln::boot::testing
