// A folder of samples, one file each (*.bin raw uint8, *.bmp, *.pgm, *.npy),
// taken in file-name order, with labels from a "file,label" list.
#include <algorithm>
#include <filesystem>
#include <map>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/image.h"
#include "readers.h"

namespace kiln::dataset::detail {

using host::fail;
namespace fs = std::filesystem;

namespace {

bool is_sample_file(const fs::path& p) {
  const std::string ext = host::file_extension(p.string());
  return ext == ".bin" || ext == ".bmp" || ext == ".pgm" || ext == ".npy";
}

// One sample's raw values and shape.
std::vector<float> read_sample(const std::string& path, std::vector<int32_t>* shape) {
  const std::string ext = host::file_extension(path);
  if (ext == ".npy") {
    Dataset one = read_npy_samples(path, 0);
    // The whole array is one sample: put the first axis back.
    std::vector<float> values;
    for (auto& s : one.samples) values.insert(values.end(), s.begin(), s.end());
    *shape = one.sample_shape;
    shape->insert(shape->begin(), static_cast<int32_t>(one.samples.size()));
    return values;
  }
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  if (ext == ".bin") {
    if (bytes.empty()) fail(path + ": empty sample file");
    *shape = {static_cast<int32_t>(bytes.size())};
    return std::vector<float>(bytes.begin(), bytes.end());
  }
  const host::GrayImage img = ext == ".bmp" ? host::decode_bmp(bytes, path) : host::decode_pgm(bytes, path);
  *shape = {static_cast<int32_t>(img.height), static_cast<int32_t>(img.width), 1};
  return std::vector<float>(img.pixels.begin(), img.pixels.end());
}

std::string default_labels(const std::string& dir) {
  for (const char* name : {"labels.txt", "labels.csv"}) {
    const fs::path p = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

}  // namespace

Dataset read_folder(const std::string& dir, const std::string& labels_path, size_t limit) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && is_sample_file(it->path())) files.push_back(it->path());
  }
  if (ec) fail("cannot list folder '" + dir + "': " + ec.message());
  if (files.empty()) fail("folder '" + dir + "' holds no sample files (.bin, .bmp, .pgm, .npy)");
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() < b.filename().string();
  });
  if (limit != 0 && files.size() > limit) files.resize(limit);

  Dataset ds;
  for (const fs::path& f : files) {
    std::vector<int32_t> shape;
    ds.samples.push_back(read_sample(f.string(), &shape));
    if (ds.samples.size() == 1) {
      ds.sample_shape = shape;
    } else if (ds.samples.back().size() != ds.samples.front().size()) {
      fail(f.string() + ": sample has " + std::to_string(ds.samples.back().size()) + " values " +
           host::shape_string(shape) + ", the first sample (" + files.front().filename().string() + ") has " +
           std::to_string(ds.samples.front().size()) + " " + host::shape_string(ds.sample_shape));
    }
  }

  const std::string labels_file = labels_path.empty() ? default_labels(dir) : labels_path;
  if (!labels_file.empty()) {
    std::map<std::string, int32_t> by_name;
    for (const LabelEntry& e : read_label_list(labels_file)) {
      const std::string key = fs::path(e.file).filename().string();
      if (!by_name.emplace(key, e.label).second) {
        fail(labels_file + ":" + std::to_string(e.line) + ": file '" + key + "' is labelled twice");
      }
    }
    for (const fs::path& f : files) {
      const auto it = by_name.find(f.filename().string());
      if (it == by_name.end()) fail(labels_file + ": no label for sample file '" + f.filename().string() + "'");
      ds.labels.push_back(it->second);
    }
  }
  ds.description = "folder " + dir + ": " + std::to_string(ds.samples.size()) + " x " +
                   host::shape_string(ds.sample_shape) + (labels_file.empty() ? "" : ", labels " + labels_file);
  return ds;
}

}  // namespace kiln::dataset::detail
