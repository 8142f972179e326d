// kiln keygen -k KEY.pem [-t ed25519] [--public PUB.pem]: imgtool-compatible.
#include <sys/stat.h>

#include <iostream>

#include "commands.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/image/keys.h"

namespace kiln::cli {

namespace {

struct KeygenOptions {
  std::string key;
  std::string type = "ed25519";
  std::string public_out;
};

void keygen(const KeygenOptions& o) {
  if (o.type != "ed25519") host::fail("key type '" + o.type + "' is not supported; kiln signs with ed25519");
  const image::Ed25519Key key = image::generate_key();
  host::write_file_text(o.key, image::private_key_pem(key));
  chmod(o.key.c_str(), 0600);  // a private key is nobody else's business
  if (!o.public_out.empty()) host::write_file_text(o.public_out, image::public_key_pem(key));
  const auto hash = image::key_hash(key);
  std::cout << "wrote ed25519 private key " << o.key << (o.public_out.empty() ? "" : " and public key " + o.public_out)
            << " (key hash " << image::to_hex(hash.data(), hash.size()) << ")\n";
}

}  // namespace

void register_keygen(CLI::App& app) {
  auto opts = std::make_shared<KeygenOptions>();
  CLI::App* cmd = app.add_subcommand("keygen", "Generate an Ed25519 signing key (PEM PKCS#8), like imgtool keygen");
  cmd->add_option("-k,--key", opts->key, "Private key file to write")->required();
  cmd->add_option("-t,--type", opts->type, "Key type (only ed25519)")->capture_default_str();
  cmd->add_option("--public", opts->public_out, "Also write the public key (PEM SubjectPublicKeyInfo)");
  cmd->callback([opts] { keygen(*opts); });
}

}  // namespace kiln::cli
