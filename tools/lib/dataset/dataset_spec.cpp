// JSON data set specs: the data, its labels and its preprocessing declared
// once in a file every stage (quantize, validate) reads.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "spec.h"

namespace kiln::dataset::detail {

using host::fail;
namespace fs = std::filesystem;

namespace {

std::string resolve(const std::string& spec_path, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(spec_path).parent_path() / p).string();
}

}  // namespace

DatasetSpec read_spec(const std::string& path) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::exception& e) {
    fail(path + ": invalid JSON data set spec: " + e.what());
  }
  if (!j.is_object()) fail(path + ": a data set spec must be a JSON object");
  DatasetSpec spec;
  try {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const nlohmann::json& v = it.value();
      if (key == "path") {
        spec.path = resolve(path, v.get<std::string>());
      } else if (key == "labels") {
        spec.labels = resolve(path, v.get<std::string>());
      } else if (key == "scale") {
        spec.preprocess.scale = v.get<float>();
      } else if (key == "offset") {
        spec.preprocess.offset = v.get<float>();
      } else if (key == "limit") {
        const int64_t n = v.get<int64_t>();
        if (n < 0) fail(path + ": \"limit\" must be >= 0");
        spec.limit = static_cast<size_t>(n);
      } else if (key == "num_classes") {
        const int64_t n = v.get<int64_t>();
        if (n < 0 || n > INT32_MAX) fail(path + ": \"num_classes\" must be >= 0");
        spec.num_classes = static_cast<int32_t>(n);
      } else if (key == "description") {
        spec.description = v.get<std::string>();
      } else {
        fail(path + ": unknown key \"" + key +
             "\" (expected path, labels, scale, offset, limit, num_classes, description)");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    fail(path + ": wrong value type in data set spec: " + e.what());
  }
  if (spec.path.empty()) fail(path + ": the data set spec needs a \"path\"");
  if (host::file_extension(spec.path) == ".json") fail(path + ": \"path\" must name data, not another spec");
  return spec;
}

}  // namespace kiln::dataset::detail
