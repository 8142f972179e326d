// Internal: a JSON data set spec as read from disk.
#pragma once
#include <cstddef>
#include <string>

#include "kiln/dataset/dataset.h"

namespace kiln::dataset::detail {

struct DatasetSpec {
  std::string path;    // resolved against the spec file's folder
  std::string labels;  // same
  Preprocess preprocess;
  size_t limit = 0;
  int32_t num_classes = 0;
  std::string description;
};

// Throws ToolError on malformed JSON, unknown keys or wrong value types.
DatasetSpec read_spec(const std::string& path);

}  // namespace kiln::dataset::detail
