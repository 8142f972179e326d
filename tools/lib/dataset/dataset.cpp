// open_dataset: picks the reader, attaches labels, applies the limit and the
// preprocessing, and checks what every stage relies on.
#include <cmath>
#include <filesystem>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "readers.h"
#include "spec.h"

namespace kiln::dataset {

using host::fail;
namespace fs = std::filesystem;

namespace {

Dataset read_data(const std::string& path, const std::string& labels_path, size_t limit) {
  std::error_code ec;
  if (!fs::exists(path, ec)) fail("data set '" + path + "' does not exist");
  if (fs::is_directory(path, ec)) return detail::read_folder(path, labels_path, limit);
  size_t total = 0;
  Dataset ds = host::file_extension(path) == ".npy" ? detail::read_npy_samples(path, limit, &total)
                                                     : detail::read_idx_images(path, limit, &total);
  if (!labels_path.empty()) {
    std::vector<int32_t> labels = detail::read_label_array(labels_path);
    if (labels.size() != total) {
      fail("labels '" + labels_path + "' hold " + std::to_string(labels.size()) + " labels but data set '" +
           path + "' holds " + std::to_string(total) + " samples");
    }
    labels.resize(ds.samples.size());
    ds.labels = std::move(labels);
    ds.description += ", labels " + labels_path;
  }
  return ds;
}

void check_labels(const Dataset& ds, int32_t num_classes) {
  for (size_t i = 0; i < ds.labels.size(); ++i) {
    const int32_t l = ds.labels[i];
    if (l < 0 || (num_classes > 0 && l >= num_classes)) {
      fail("label of sample " + std::to_string(i) + " is " + std::to_string(l) + ", outside [0, " +
           (num_classes > 0 ? std::to_string(num_classes) : std::string("inf")) + ")");
    }
  }
}

void preprocess(Dataset& ds, const Preprocess& p) {
  const bool identity = p.scale == 1.0f && p.offset == 0.0f;
  for (size_t s = 0; s < ds.samples.size(); ++s) {
    for (size_t e = 0; e < ds.samples[s].size(); ++e) {
      float& v = ds.samples[s][e];
      if (!identity) v = v * p.scale + p.offset;
      if (!std::isfinite(v)) {
        fail("sample " + std::to_string(s) + " element " + std::to_string(e) + " is not a finite number");
      }
    }
  }
  if (!identity) {
    ds.description += ", x*" + std::to_string(p.scale) + "+" + std::to_string(p.offset);
  }
}

}  // namespace

Dataset open_dataset(const std::string& path, const OpenOptions& options) {
  std::string data = path, labels = options.labels_path;
  Preprocess pre = options.preprocess;
  size_t limit = options.limit;
  int32_t classes = options.num_classes;
  if (host::file_extension(path) == ".json") {
    const detail::DatasetSpec spec = detail::read_spec(path);
    data = spec.path;
    if (labels.empty()) labels = spec.labels;
    if (pre.scale == 1.0f && pre.offset == 0.0f) pre = spec.preprocess;
    if (limit == 0) limit = spec.limit;
    if (classes == 0) classes = spec.num_classes;
  }
  Dataset ds = read_data(data, labels, limit);
  if (ds.samples.empty()) fail("data set '" + data + "' holds no samples");
  check_labels(ds, classes);
  preprocess(ds, pre);
  return ds;
}

}  // namespace kiln::dataset
