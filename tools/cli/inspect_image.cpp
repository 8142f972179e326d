// kiln inspect-image IMAGE [-k KEY] [--json]: header, TLVs, trailer and the
// verification verdict of an MCUboot-format image (firmware, model, manifest).
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/host_verify.h"
#include "kiln/image/image_dump.h"

namespace kiln::cli {

namespace {

struct InspectImageOptions {
  std::string image, key;
  bool json = false;
};

void inspect_image(const InspectImageOptions& o) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(o.image);
  const image::ImageDump d = image::dump_image(bytes);
  std::vector<image::Ed25519Key> keys;
  if (!o.key.empty()) keys.push_back(image::read_key_file(o.key));
  boot::VerifyPolicy policy;
  policy.require_signature = !keys.empty();
  const image::HostVerifyResult r = image::verify_image_bytes(bytes, keys, policy);
  nlohmann::json j = image::dump_json(d);
  j["file"] = o.image;
  j["valid"] = r.ok;
  j["kind"] = boot::image_kind_name(r.info.kind);
  j["verdict"] = r.ok ? (r.info.signature_checked ? "hash and signature valid" : "hash valid (no key given)") : r.error;
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("%s: %s image, version %s\n", o.image.c_str(), j["kind"].get<std::string>().c_str(),
              j["version"].get<std::string>().c_str());
  std::printf("  header   %u bytes, payload %lu bytes, protected TLVs %u bytes, image %lu bytes, flags 0x%lx\n",
              d.header.hdr_size, static_cast<unsigned long>(d.header.img_size), d.header.protect_tlv_size,
              static_cast<unsigned long>(d.total_size), static_cast<unsigned long>(d.header.flags));
  for (const auto& t : j["tlvs"]) {
    std::string value = t.contains("value") ? t["value"].dump() : t["hex"].get<std::string>();
    if (value.size() > 64) value = value.substr(0, 64) + "...";
    std::printf("  %-11s %-16s %4d bytes  %s\n", t["area"].get<std::string>().c_str(),
                t["name"].get<std::string>().c_str(), t["length"].get<int>(), value.c_str());
  }
  std::printf("  trailer  %s\n  verdict  %s\n", d.trailer.c_str(), j["verdict"].get<std::string>().c_str());
}

}  // namespace

void register_inspect_image(CLI::App& app) {
  auto o = std::make_shared<InspectImageOptions>();
  CLI::App* cmd = app.add_subcommand("inspect-image", "Show an MCUboot image's header, TLVs and validity");
  cmd->add_option("image", o->image, "Image file")->required();
  cmd->add_option("-k,--key", o->key, "Key to check the signature with (PEM)");
  cmd->add_flag("--json", o->json, "Print a JSON document");
  cmd->callback([o] { inspect_image(*o); });
}

}  // namespace kiln::cli
