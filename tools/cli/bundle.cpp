// kiln bundle: firmware image + model image + a signed manifest binding them,
// the unit a device applies atomically.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/board_layout.h"
#include "kiln/image/bundle.h"
#include "kiln/image/signer.h"

namespace kiln::cli {

namespace {

struct BundleCliOptions {
  std::string key, firmware, model, output, version, security_counter, sequence = "0", board;
  std::string firmware_requires_model = "0.0.0", model_requires_firmware = "0.0.0";
  bool json = false;
};

void bundle(const BundleCliOptions& c) {
  image::BundleOptions o;
  o.sequence = image::parse_number(c.sequence, "--sequence");
  if (!c.version.empty()) o.version = image::parse_version(c.version);
  if (!c.security_counter.empty()) o.security_counter = image::parse_number(c.security_counter, "security counter");
  o.firmware_requires_model = image::parse_version(c.firmware_requires_model);
  o.model_requires_firmware = image::parse_version(c.model_requires_firmware);
  const image::Ed25519Key key = image::read_key_file(c.key);
  const std::vector<uint8_t> out =
      image::make_bundle(host::read_file_bytes(c.firmware), host::read_file_bytes(c.model), key, o);
  const image::BundleCheck check = image::verify_bundle(out, {key}, 0);
  if (!check.ok) host::fail("the bundle does not verify: " + check.error);
  // The slot sizes come from the board's device tree, not from guesses.
  if (!c.board.empty()) image::check_bundle_fits(image::load_board_layout(c.board), out);
  host::write_file_bytes(c.output, out);
  const boot::Manifest& m = check.pair.manifest;
  if (c.json) {
    nlohmann::json j = {{"output", c.output},
                        {"size", out.size()},
                        {"board", c.board},
                        {"sequence", m.sequence},
                        {"security_counter", check.pair.manifest_image.security_counter},
                        {"firmware", {{"version", image::format_version(m.firmware_version)},
                                      {"hash", image::to_hex(m.firmware_digest, 32)},
                                      {"requires_model", image::format_version(m.firmware_requires_model)}}},
                        {"model", {{"version", image::format_version(m.model_version)},
                                   {"hash", image::to_hex(m.model_digest, 32)},
                                   {"requires_firmware", image::format_version(m.model_requires_firmware)}}}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "bundled " << c.output << " (" << out.size() << " bytes, sequence " << m.sequence << "): firmware "
            << image::format_version(m.firmware_version) << " + model " << image::format_version(m.model_version)
            << (c.board.empty() ? "" : ", fits board " + c.board) << "\n";
}

}  // namespace

void register_bundle(CLI::App& app) {
  auto o = std::make_shared<BundleCliOptions>();
  CLI::App* cmd = app.add_subcommand("bundle", "Pack signed firmware + model images with a signed manifest");
  cmd->add_option("-k,--key", o->key, "Ed25519 private key for the manifest (PEM)")->required();
  cmd->add_option("--firmware", o->firmware, "Signed firmware image (kiln sign --kind firmware)")->required();
  cmd->add_option("--model", o->model, "Signed model image (kiln sign --kind model)")->required();
  cmd->add_option("-o,--output", o->output, "Bundle file to write")->required();
  cmd->add_option("-v,--version", o->version, "Manifest version (default: the firmware's)");
  cmd->add_option("-s,--security-counter", o->security_counter, "Manifest security counter (anti-rollback)");
  cmd->add_option("--sequence", o->sequence, "Pair sequence number; 0 = the security counter or 1");
  cmd->add_option("--firmware-requires-model", o->firmware_requires_model, "Minimum model version the firmware needs");
  cmd->add_option("--model-requires-firmware", o->model_requires_firmware, "Minimum firmware version the model needs");
  cmd->add_option("--board", o->board, "Check that the images fit this board's partitions (boards/<name> or .dts)");
  cmd->add_flag("--json", o->json, "Print a JSON summary");
  cmd->callback([o] { bundle(*o); });
}

}  // namespace kiln::cli
