// Power loss at every single flash operation of an update and of a revert,
// cut before, after, and in the middle of each program and erase (torn
// writes and erases). After every cut the device must boot a verified
// firmware+model pair (old or new, never a mix) and settle in one of them.
#include <gtest/gtest.h>

#include <cstdio>

#include "../../boot/test/boot_fixture.h"
#include "kiln/ota/update_agent.h"

namespace kiln::boot::testing {
namespace {

constexpr uint32_t kChunk = 100;  // deliberately not a multiple of the write size

struct Scenario {
  UpgradeMode mode;
  image::Ed25519Key key = test_key(7);
  PairImages p1 = make_pair(key, 1, 1);
  PairImages p2 = make_pair(key, 2, 2);
  std::vector<uint8_t> factory;  // flash with p1 confirmed in slot A
  std::vector<uint8_t> staged;   // ... and p2 staged in slot B

  explicit Scenario(UpgradeMode m) : mode(m) {
    Device dev(key, mode);
    dev.provision(p1.bundle, 0, true);
    factory = dev.flash.mem;
    dev.provision(p2.bundle, 1, false);
    staged = dev.flash.mem;
  }

  // 1 for p1, 2 for p2; fails the test on a mix or an unknown pair.
  int which_pair(const BootDecision& d) const {
    const bool fw1 = memcmp(d.pair.firmware.digest, p1.firmware_digest.data(), 32) == 0;
    const bool fw2 = memcmp(d.pair.firmware.digest, p2.firmware_digest.data(), 32) == 0;
    const bool m1 = memcmp(d.pair.model.digest, p1.model_digest.data(), 32) == 0;
    const bool m2 = memcmp(d.pair.model.digest, p2.model_digest.data(), 32) == 0;
    if (fw1 && m1) return 1;
    if (fw2 && m2) return 2;
    ADD_FAILURE() << "booted a mix or an unknown pair (fw1=" << fw1 << " fw2=" << fw2 << " m1=" << m1 << " m2=" << m2
                  << ")";
    return 0;
  }
};

// Streams (or resumes) the bundle through the agent; false when power is lost
// or the agent rejects the staged data.
bool download(Device& dev, const BootDecision& running, const std::vector<uint8_t>& bundle, bool resume) {
  ota::UpdateAgent agent(dev.cfg, running);
  Diag diag;
  uint32_t at = ota::kBundleHeaderSize;
  if (resume) {
    if (agent.resume(bundle.data(), &at, &diag) != Status::kOk) return false;
  } else if (agent.start(bundle.data(), &diag) != Status::kOk) {
    return false;
  }
  while (at < bundle.size()) {
    const uint32_t n = std::min<uint32_t>(kChunk, static_cast<uint32_t>(bundle.size()) - at);
    if (agent.write(at, bundle.data() + at, n, &diag) != Status::kOk) return false;
    at += n;
  }
  return agent.finish(&diag) == Status::kOk;
}

bool healthy(const BootDecision&, void* ctx) { return *static_cast<bool*>(ctx); }

// One power cycle of the device's life: boot, then the application (health
// check + confirm) and, when running confirmed on the old pair with an
// update pending, the agent. Returns false once power is lost.
struct Life {
  bool update_pending;
  bool health_ok;
  int booted = 0;
  BootMode mode = BootMode::kConfirmed;
  uint32_t slot = 0;
};

bool live_once(Scenario& s, Device& dev, Life& life, bool first_after_cut) {
  BootDecision d{};
  Diag diag;
  if (boot_select(dev.cfg, &d, &diag) != Status::kOk) {
    if (dev.flash.dead) return false;
    ADD_FAILURE() << "no bootable pair: " << diag.message();
    return false;
  }
  life.booted = s.which_pair(d);
  if (s.mode == UpgradeMode::kSwap) {
    EXPECT_EQ(d.slot, 0u) << "swap layouts run slot A only";
  }
  life.mode = d.mode;
  life.slot = d.slot;
  if (life.booted == 2) life.update_pending = false;
  bool confirmed = false;
  if (ota::confirm_if_healthy(dev.cfg, d, healthy, &life.health_ok, &confirmed, &diag) != Status::kOk) return false;
  if (life.update_pending && d.mode == BootMode::kConfirmed && life.booted == 1) {
    TrailerState t{};
    if (read_trailer(dev.layout.area(1 - d.slot, Part::kManifest), &t, &diag) != Status::kOk) return false;
    if (t.magic && !t.rejected) return true;  // staged already: the next boot tries it
    if (t.magic && t.rejected) {
      life.update_pending = false;  // tried and reverted: do not retry the same bundle
      return true;
    }
    if (!download(dev, d, s.p2.bundle, first_after_cut)) {
      if (dev.flash.dead) return false;
      if (!download(dev, d, s.p2.bundle, false)) return false;  // resume refused: start over
    }
  }
  return !dev.flash.dead;
}

struct Tally {
  uint64_t points = 0;
  uint64_t ended_new = 0;
  uint64_t ended_old = 0;
};

// Runs the scenario from `initial` with power lost at operation `cut_at`,
// then lets the device live until it settles; returns the pair it ends in.
int run_with_cut(Scenario& s, const std::vector<uint8_t>& initial, bool update, bool health_ok, int64_t cut_at, Cut cut,
                 uint32_t seed, int64_t* ops_without_cut) {
  Device dev(s.key, s.mode);
  dev.flash.mem = initial;
  dev.flash.cut_at = cut_at;
  dev.flash.cut = cut;
  dev.flash.seed = seed;
  Life life{update, health_ok};
  bool first = false;
  int cycles = 0;
  for (; cycles < 4 * static_cast<int>(kTestAttempts) + 4; ++cycles) {
    const bool alive = live_once(s, dev, life, first);
    first = false;
    if (!alive) {
      if (!dev.flash.dead) return 0;  // a real failure, already reported
      dev.flash.power_on();
      first = true;
      continue;
    }
    if (!life.update_pending && life.mode == BootMode::kConfirmed) break;
  }
  if (ops_without_cut) *ops_without_cut = dev.flash.ops;
  EXPECT_EQ(dev.flash.overwrites, 0u) << "a program hit non-erased flash";
  // Settled: two more boots land on the same confirmed pair.
  for (int i = 0; i < 2; ++i) {
    BootDecision d{};
    Diag diag;
    EXPECT_EQ(boot_select(dev.cfg, &d, &diag), Status::kOk) << diag.message();
    EXPECT_EQ(d.mode, BootMode::kConfirmed);
    EXPECT_EQ(s.which_pair(d), life.booted);
  }
  return life.booted;
}

void exercise(UpgradeMode mode, bool update, bool health_ok, int expected_end, const std::string& what) {
  Scenario s(mode);
  const std::string name = std::string(upgrade_mode_name(mode)) + " " + what;
  const std::vector<uint8_t>& initial = update ? s.factory : s.staged;
  int64_t total_ops = 0;
  ASSERT_EQ(run_with_cut(s, initial, update, health_ok, -1, Cut::kBefore, 1, &total_ops), expected_end);
  ASSERT_GT(total_ops, 0);
  Tally tally;
  for (int64_t op = 0; op < total_ops; ++op) {
    for (Cut cut : kAllCuts) {
      SCOPED_TRACE(name + ": cut " + cut_name(cut) + " at op " + std::to_string(op));
      const int end = run_with_cut(s, initial, update, health_ok, op, cut, static_cast<uint32_t>(op * 4 + 1), nullptr);
      ASSERT_TRUE(end == 1 || end == 2) << name << ": cut " << cut_name(cut) << " at op " << op;
      EXPECT_EQ(end, expected_end) << name << ": cut " << cut_name(cut) << " at op " << op;
      ++tally.points;
      (end == 2 ? tally.ended_new : tally.ended_old)++;
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  std::printf("[ power cuts ] %s: %lld flash operations x %zu cut kinds = %llu interruption points; ended new %llu, "
              "old %llu\n",
              name.c_str(), static_cast<long long>(total_ops), sizeof(kAllCuts) / sizeof(kAllCuts[0]),
              static_cast<unsigned long long>(tally.points), static_cast<unsigned long long>(tally.ended_new),
              static_cast<unsigned long long>(tally.ended_old));
  ::testing::Test::RecordProperty("interruption_points", static_cast<int>(tally.points));
}

// Direct (in-place A/B) and swap-scratch layouts; in swap mode the cuts also
// land in every step of the swap into slot A and of the swap back.
class PowerCut : public ::testing::TestWithParam<UpgradeMode> {};

TEST_P(PowerCut, UpdateInterruptedAtEveryOperationEndsInTheNewPair) { exercise(GetParam(), true, true, 2, "update"); }

TEST_P(PowerCut, RevertInterruptedAtEveryOperationEndsInTheOldPair) {
  exercise(GetParam(), false, false, 1, "revert");
}

TEST_P(PowerCut, FailedUpdateInterruptedAtEveryOperationEndsInTheOldPair) {
  exercise(GetParam(), true, false, 1, "update with failing health check");
}

INSTANTIATE_TEST_SUITE_P(Modes, PowerCut, ::testing::Values(UpgradeMode::kDirect, UpgradeMode::kSwap),
                         [](const ::testing::TestParamInfo<UpgradeMode>& i) {
                           return std::string(i.param == UpgradeMode::kSwap ? "Swap" : "Direct");
                         });

}  // namespace
}  // namespace kiln::boot::testing
