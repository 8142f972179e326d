// kiln-ota-sim: the device library on the host over a file-backed flash, for
// the OTA demo. Each command is one power cycle of a simulated device:
//   kiln-ota-sim FLASH provision BUNDLE   factory-program slot A, confirmed
//   kiln-ota-sim FLASH boot               run the boot decision
//   kiln-ota-sim FLASH download BUNDLE [--cut-at BYTES]   boot, then receive
//   kiln-ota-sim FLASH health pass|fail|model   boot, health check (+confirm);
//                                          `model` runs the model's stored vectors
// --cut-at stops the download after that many bundle bytes (power lost);
// the next download resumes from what the flash holds. --board NAME (default
// qemu-virt-rv32) takes the flash geometry, the slot layout and the upgrade
// mode (direct-xip or swap-scratch) from the board's device tree.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kiln/boot/boot.h"
#include "kiln/boot/security_counter.h"
#include "kiln/boot/swap.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/board_layout.h"
#include "kiln/image/bundle.h"
#include "kiln/image/keys.h"
#include "kiln/image/signer.h"
#include "kiln/image/sodium_port.h"
#include "kiln/ota/model_health.h"
#include "kiln/ota/update_agent.h"
#include "kiln/runtime/op_resolver.h"

namespace {

using namespace kiln;

struct Sim {
  image::BoardLayout board;
  std::vector<uint8_t> mem;
  boot::RamFlash flash{board.geometry, nullptr};
  boot::SlotLayout layout{};
  boot::BootConfig cfg{};
  std::array<uint8_t, 32> key{};
  std::string path;

  Sim(const std::string& flash_path, const std::string& key_path, const std::string& board_name)
      : board(image::load_board_layout(board_name)), path(flash_path) {
    const boot::FlashGeometry& g = board.geometry;
    try {
      mem = host::read_file_bytes(path);
    } catch (const host::ToolError&) {
      mem.assign(g.size, g.erased_value);  // a blank chip
    }
    if (mem.size() != g.size) {
      host::fail(path + " is not a " + std::to_string(g.size) + "-byte flash (board " + board_name + ")");
    }
    flash = boot::RamFlash(g, mem.data());
    Diag d;
    if (boot::make_layout(&flash, board.table, &layout, &d) != Status::kOk) host::fail(d.message());
    key = image::read_key_file(key_path).public_key;
    cfg = {&layout, &image::sodium_crypto_port(), {reinterpret_cast<const uint8_t(*)[32]>(key.data()), 1}, 3};
  }
  void save() { host::write_file_bytes(path, mem); }
  void check(Status s, const Diag& d) {
    if (s != Status::kOk) {
      save();
      host::fail(d.message());
    }
  }
  boot::BootDecision boot() {
    boot::BootDecision dec{};
    Diag d;
    boot::SwapLog before{}, after{};
    const bool swap = layout.mode == boot::UpgradeMode::kSwap;
    if (swap) check(boot::read_swap_log(layout, &before, &d), d);
    check(boot::boot_select(cfg, &dec, &d), d);
    if (swap) {
      check(boot::read_swap_log(layout, &after, &d), d);
      const uint32_t steps = 3 * boot::swap_chunk_count(layout);
      if (after.epoch != before.epoch || after.upgrade_steps != before.upgrade_steps) {
        std::printf("boot: swapped the staged pair into slot A (%lu steps through the scratch area)\n",
                    static_cast<unsigned long>(steps));
      }
      if (after.revert_done && !before.revert_done) {
        std::printf("boot: trial ran out: swapped the previous pair back into slot A (%lu steps)\n",
                    static_cast<unsigned long>(steps));
      }
    }
    uint32_t counter = 0;
    (void)boot::read_security_counter(layout.counter, &counter, &d);
    std::printf("boot: slot %c, %s, pair sequence %lu: firmware %s + model %s (security counter %lu)\n",
                dec.slot == 0 ? 'A' : 'B', dec.mode == boot::BootMode::kTrial ? "TRIAL" : "confirmed",
                static_cast<unsigned long>(dec.pair.manifest.sequence),
                image::format_version(dec.pair.firmware.header.version).c_str(),
                image::format_version(dec.pair.model.header.version).c_str(), static_cast<unsigned long>(counter));
    return dec;
  }
};

void provision(Sim& sim, const std::vector<uint8_t>& bundle) {
  const image::BundleParts parts = image::split_bundle(bundle);
  Diag d;
  const std::vector<uint8_t>* images[] = {&parts.firmware, &parts.model, &parts.manifest};
  for (uint32_t p = 0; p < boot::kPartCount; ++p) {
    const boot::FlashArea& a = sim.layout.area(0, static_cast<boot::Part>(p));
    sim.check(a.erase_all(&d), d);
    std::vector<uint8_t> padded = *images[p];
    const size_t unit = a.write_size();
    padded.resize((padded.size() + unit - 1) / unit * unit, 0xff);
    sim.check(a.program(0, padded.data(), static_cast<uint32_t>(padded.size()), &d), d);
  }
  sim.check(boot::write_trailer_magic(sim.layout.area(0, boot::Part::kManifest), &d), d);
  sim.check(boot::boot_confirm(sim.cfg, 0, &d), d);
  std::printf("provisioned slot A with the bundle, confirmed\n");
}

void download(Sim& sim, const std::vector<uint8_t>& bundle, uint32_t cut_at) {
  const boot::BootDecision running = sim.boot();
  ota::UpdateAgent agent(sim.cfg, running);
  Diag d;
  uint32_t at = ota::kBundleHeaderSize;
  if (agent.resume(bundle.data(), &at, &d) == Status::kOk && at > ota::kBundleHeaderSize) {
    std::printf("update: resuming at byte %lu of %zu\n", static_cast<unsigned long>(at), bundle.size());
  } else {
    at = ota::kBundleHeaderSize;
    sim.check(agent.start(bundle.data(), &d), d);
    std::printf("update: receiving %zu bytes into slot %c\n", bundle.size(), agent.target_slot() == 0 ? 'A' : 'B');
  }
  while (at < bundle.size()) {
    if (cut_at != 0 && at >= cut_at) {
      sim.save();
      std::printf("update: POWER LOST after %lu bytes\n", static_cast<unsigned long>(at));
      return;
    }
    const uint32_t n = std::min<uint32_t>(512, static_cast<uint32_t>(bundle.size()) - at);
    sim.check(agent.write(at, bundle.data() + at, n, &d), d);
    at += n;
  }
  sim.check(agent.finish(&d), d);
  std::printf("update: bundle verified and staged; the next boot tries it\n");
}

bool passes(const boot::BootDecision&, void* ctx) { return *static_cast<bool*>(ctx); }

// The real check: the booted model loads and reproduces its stored output.
bool model_passes(const boot::BootDecision& booted, void* ctx) {
  Sim& sim = *static_cast<Sim*>(ctx);
  const boot::FlashArea& area = sim.layout.area(booted.slot, boot::Part::kModel);
  alignas(16) static uint8_t arena[64 * 1024];
  Diag d;
  const Status s = ota::check_model_health(sim.mem.data() + area.offset, booted.pair.model, runtime::all_ops(), arena,
                                           sizeof(arena), &d);
  std::printf("health: %s\n", s == Status::kOk ? "model loaded, stored input gives the stored output" : d.message());
  return s == Status::kOk;
}

int run(int argc, char** argv) {
  std::string board = "qemu-virt-rv32";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--board" && i + 1 < argc) {
      board = argv[++i];
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: kiln-ota-sim FLASH KEY.pem provision|boot|download|health [ARG] [--cut-at N] [--board NAME]\n");
    return 2;
  }
  Sim sim(argv[1], argv[2], board);
  const std::string cmd = argv[3];
  if (cmd == "provision" && argc >= 5) {
    provision(sim, host::read_file_bytes(argv[4]));
  } else if (cmd == "boot") {
    sim.boot();
  } else if (cmd == "download" && argc >= 5) {
    const uint32_t cut = argc >= 7 && std::string(argv[5]) == "--cut-at" ? image::parse_number(argv[6], "--cut-at") : 0;
    download(sim, host::read_file_bytes(argv[4]), cut);
  } else if (cmd == "health" && argc >= 5) {
    bool ok = std::string(argv[4]) == "pass";
    const bool real = std::string(argv[4]) == "model";
    const boot::BootDecision dec = sim.boot();
    bool confirmed = false;
    Diag d;
    sim.check(ota::confirm_if_healthy(sim.cfg, dec, real ? model_passes : passes, real ? static_cast<void*>(&sim) : &ok,
                                      &confirmed, &d), d);
    if (real) ok = confirmed;
    std::printf("health check %s: pair %s\n", ok ? "passed" : "FAILED", confirmed ? "confirmed" : "not confirmed");
  } else {
    std::fprintf(stderr, "kiln-ota-sim: error: unknown command '%s'\n", cmd.c_str());
    return 2;
  }
  sim.save();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const kiln::host::ToolError& e) {
    std::fprintf(stderr, "kiln-ota-sim: error: %s\n", e.what());
    return 1;
  }
}
