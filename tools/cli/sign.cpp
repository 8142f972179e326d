// kiln sign: MCUboot images, a drop-in for `imgtool sign` with Ed25519 keys.
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/host_verify.h"
#include "kiln/image/signer.h"

namespace kiln::cli {

namespace {

struct SignCliOptions {
  std::string key, version, header_size, slot_size, security_counter, kind, runtime_abi;
  std::string requires_firmware, requires_model;
  std::string align = "1";
  std::string public_key_format = "hash";
  std::string max_sectors = "128";
  bool pad_header = false, pad = false, confirm = false, json = false;
  std::vector<std::pair<std::string, std::string>> custom_tlvs;
  std::vector<std::string> ops;
  std::string health_input, health_output;
  std::string infile, outfile;
};

boot::ImageKind kind_of(const std::string& name) {
  if (name == "firmware") return boot::ImageKind::kFirmware;
  if (name == "model") return boot::ImageKind::kModel;
  if (name == "manifest") return boot::ImageKind::kManifest;
  host::fail("--kind must be firmware, model or manifest, got '" + name + "'");
}

void sign(const SignCliOptions& c) {
  image::SignOptions o;
  o.version = image::parse_version(c.version);
  o.header_size = image::parse_number(c.header_size, "header size (-H)", 0xffff);
  o.slot_size = image::parse_number(c.slot_size, "slot size (-S)");
  o.align = image::parse_number(c.align, "--align", 32);
  o.max_sectors = image::parse_number(c.max_sectors, "--max-sectors", 0xffff);
  o.pad_header = c.pad_header;
  o.pad = c.pad;
  o.confirm = c.confirm;
  if (c.public_key_format != "hash") host::fail("--public-key-format: only 'hash' is supported");
  if (!c.security_counter.empty()) {
    o.security_counter = c.security_counter == "auto" ? image::auto_security_counter(o.version)
                                                      : image::parse_number(c.security_counter, "security counter");
  }
  if (!c.requires_firmware.empty()) o.dependencies.push_back({0, image::parse_version(c.requires_firmware)});
  if (!c.requires_model.empty()) o.dependencies.push_back({1, image::parse_version(c.requires_model)});
  if (!c.kind.empty()) image::add_kiln_kind(&o, kind_of(c.kind));
  if (!c.runtime_abi.empty() || !c.ops.empty()) {
    std::vector<uint8_t> ops;
    for (const std::string& op : c.ops) ops.push_back(static_cast<uint8_t>(image::parse_number(op, "--op", 255)));
    image::add_kiln_runtime(&o, c.runtime_abi.empty() ? 0 : image::parse_number(c.runtime_abi, "--runtime-abi"), ops);
  }
  if (c.health_input.empty() != c.health_output.empty()) host::fail("--health-input and --health-output go together");
  if (!c.health_input.empty()) {
    o.custom_tlvs.emplace_back(boot::kTlvKilnHealthInput, host::read_file_bytes(c.health_input));
    o.custom_tlvs.emplace_back(boot::kTlvKilnHealthOutput, host::read_file_bytes(c.health_output));
  }
  for (const auto& [tag, value] : c.custom_tlvs) {
    const uint16_t t = image::parse_custom_tlv_tag(tag);
    for (const auto& existing : o.custom_tlvs) {
      if (existing.first == t) host::fail("custom TLV " + tag + " given twice (or clashes with --kind/--op)");
    }
    o.custom_tlvs.emplace_back(t, image::parse_tlv_value(value));
  }
  image::Ed25519Key key;
  const bool keyed = !c.key.empty();
  if (keyed) key = image::read_key_file(c.key);
  const std::vector<uint8_t> input = host::read_file_bytes(c.infile);
  const std::vector<uint8_t> out = image::sign_image(input, o, keyed ? &key : nullptr);
  host::write_file_bytes(c.outfile, out);
  const image::HostVerifyResult r = image::verify_image_bytes(out, {}, {0, boot::ImageKind::kUnknown, false});
  if (c.json) {
    nlohmann::json j = {{"output", c.outfile},
                        {"size", out.size()},
                        {"version", image::format_version(o.version)},
                        {"hash", image::to_hex(r.info.digest, 32)},
                        {"signed", keyed}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "signed " << c.outfile << ": version " << image::format_version(o.version) << ", " << out.size()
              << " bytes, sha256 " << image::to_hex(r.info.digest, 32) << (keyed ? "" : " (unsigned: no -k)") << "\n";
  }
}

}  // namespace

void register_sign(CLI::App& app) {
  auto o = std::make_shared<SignCliOptions>();
  CLI::App* cmd = app.add_subcommand("sign", "Create a signed MCUboot image (same options as imgtool sign)");
  cmd->add_option("-k,--key", o->key, "Ed25519 private key (PEM PKCS#8)");
  cmd->add_option("-v,--version", o->version, "Image version maj.min.rev+build")->required();
  cmd->add_option("-H,--header-size", o->header_size, "Header size (e.g. 0x200)")->required();
  cmd->add_flag("--pad-header", o->pad_header, "Prepend header-size zero bytes for the header");
  cmd->add_option("-S,--slot-size", o->slot_size, "Slot size in bytes")->required();
  cmd->add_option("--align", o->align, "Flash write alignment: 1, 2, 4, 8, 16 or 32")->capture_default_str();
  cmd->add_option("-M,--max-sectors", o->max_sectors, "Sectors per slot, for the trailer size")->capture_default_str();
  cmd->add_flag("--pad", o->pad, "Pad to the slot size and add the trailer magic (test upgrade)");
  cmd->add_flag("--confirm", o->confirm, "Pad and mark the image confirmed (image_ok)");
  cmd->add_option("-s,--security-counter", o->security_counter, "Security counter: a number or 'auto'");
  cmd->add_option("--custom-tlv", o->custom_tlvs, "Protected TLV: TAG (0xa0..0xfffe) VALUE (0x-hex or text)")
      ->type_size(2);
  cmd->add_option("--public-key-format", o->public_key_format, "Only 'hash' (KEYHASH TLV)")->capture_default_str();
  cmd->add_option("--kind", o->kind, "kiln image kind TLV: firmware, model or manifest");
  cmd->add_option("--runtime-abi", o->runtime_abi, "kiln runtime ABI the firmware provides / the model needs");
  cmd->add_option("--op", o->ops, "TFLite builtin operator code in the op-set TLV (repeat)");
  cmd->add_option("--requires-firmware", o->requires_firmware, "DEPENDENCY TLV: minimum firmware (image 0) version");
  cmd->add_option("--requires-model", o->requires_model, "DEPENDENCY TLV: minimum model (image 1) version");
  cmd->add_option("--health-input", o->health_input, "Model: raw input tensor for the post-update health check");
  cmd->add_option("--health-output", o->health_output, "Model: the raw output that input must give");
  cmd->add_flag("--json", o->json, "Print a JSON summary");
  cmd->add_option("infile", o->infile, "Input binary")->required();
  cmd->add_option("outfile", o->outfile, "Signed image to write")->required();
  cmd->callback([o] { sign(*o); });
}

}  // namespace kiln::cli
