// The C++ a firmware build gets for one model (kiln embed, kiln_add_model):
//   <id>_identity.h  constexpr identity: SHA-256, version, op-set fingerprint
//                    and bitmap, runtime ABI (both modes)
//   <id>_model.h/.cpp interpreter mode: the model as an aligned const array,
//                    the static arena (constexpr size) and an OpResolver
//                    naming only the kernels the model uses;
//                    AOT mode: the static arena sized by kiln compile's
//                    kiln_aot_<id>::kArenaSize, no model array, no resolver.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/identity/model_identity.h"

namespace kiln::identity {

enum class EmbedMode { kInterpreter, kAot };

struct EmbedInput {
  std::string id;          // C identifier: namespace kiln_model_<id>
  std::string model_path;  // for comments only
  const std::vector<uint8_t>* bytes = nullptr;
  ModelIdentity identity;
  uint32_t arena_bytes = 0;  // interpreter mode: the arena the model needs
  std::string arena_origin = "the planner's required_bytes";  // where arena_bytes comes from (a comment)
  EmbedMode mode = EmbedMode::kInterpreter;
};

struct EmbedSources {
  std::string identity_h;
  std::string model_h;
  std::string model_cpp;
};

// Throws ToolError naming every operator kiln's runtime cannot run.
void check_supported(const ModelIdentity& identity, const std::string& model_path);

// Throws ToolError when `id` is not a C identifier.
void check_id(const std::string& id);

EmbedSources embed_sources(const EmbedInput& in);

}  // namespace kiln::identity
