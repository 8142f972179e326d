// kiln verify [-k KEY] IMAGE: like `imgtool verify`, run through the device
// core's verifier (the code a device runs before it boots anything).
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/bundle.h"
#include "kiln/image/host_verify.h"
#include "kiln/image/signer.h"

namespace kiln::cli {

namespace {

struct VerifyOptions {
  std::string key, image, min_counter = "0";
  bool json = false;
};

void verify_bundle(const VerifyOptions& o, const std::vector<uint8_t>& bytes, const std::vector<image::Ed25519Key>& keys,
                   uint32_t min_counter) {
  const image::BundleCheck c = image::verify_bundle(bytes, keys, min_counter);
  if (o.json) {
    nlohmann::json j = {{"bundle", o.image}, {"valid", c.ok}};
    if (c.ok) {
      j["sequence"] = c.pair.manifest.sequence;
      j["firmware_version"] = image::format_version(c.pair.firmware.header.version);
      j["model_version"] = image::format_version(c.pair.model.header.version);
    } else {
      j["error"] = c.error;
    }
    std::cout << j.dump(2) << "\n";
  }
  if (!c.ok) host::fail(o.image + " is an invalid bundle: " + c.error);
  if (!o.json) {
    std::cout << "Bundle was correctly validated: sequence " << c.pair.manifest.sequence << ", firmware "
              << image::format_version(c.pair.firmware.header.version) << ", model "
              << image::format_version(c.pair.model.header.version) << "\n";
  }
}

void verify(const VerifyOptions& o) {
  std::vector<image::Ed25519Key> keys;
  if (!o.key.empty()) keys.push_back(image::read_key_file(o.key));
  boot::VerifyPolicy policy;
  policy.require_signature = !keys.empty();
  policy.min_security_counter = image::parse_number(o.min_counter, "--min-security-counter");
  const std::vector<uint8_t> bytes = host::read_file_bytes(o.image);
  if (image::is_bundle(bytes)) return verify_bundle(o, bytes, keys, policy.min_security_counter);
  const image::HostVerifyResult r = image::verify_image_bytes(bytes, keys, policy);
  if (o.json) {
    nlohmann::json j = {{"image", o.image}, {"valid", r.ok}};
    if (r.ok) {
      j["version"] = image::format_version(r.info.header.version);
      j["hash"] = image::to_hex(r.info.digest, 32);
      j["signature_checked"] = r.info.signature_checked;
    } else {
      j["error"] = r.error;
    }
    std::cout << j.dump(2) << "\n";
  }
  if (!r.ok) host::fail(o.image + " is invalid: " + r.error);
  if (!o.json) {
    std::cout << "Image was correctly validated\n"
              << "Image version: " << image::format_version(r.info.header.version) << "\n"
              << "Image digest: " << image::to_hex(r.info.digest, 32) << "\n";
    if (!r.info.signature_checked) std::cout << "(no key given: hash checked, signature not checked)\n";
  }
}

}  // namespace

void register_verify(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand("verify", "Check an image's hash and signature (same options as imgtool verify)");
  cmd->add_option("-k,--key", o->key, "Ed25519 public or private key (PEM)");
  cmd->add_option("--min-security-counter", o->min_counter, "Reject images below this security counter");
  cmd->add_flag("--json", o->json, "Print a JSON result");
  cmd->add_option("image", o->image, "Image file")->required();
  cmd->callback([o] { verify(*o); });
}

}  // namespace kiln::cli
