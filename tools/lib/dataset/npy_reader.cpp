// .npy data sets: the first axis counts samples; every dtype kiln's .npy
// reader understands is converted to float (int64 etc. rounding allowed).
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/npy.h"
#include "readers.h"

#include <algorithm>
#include <cstring>

namespace kiln::dataset::detail {

using host::fail;

Dataset read_npy_samples(const std::string& path, size_t limit, size_t* total) {
  const std::vector<uint8_t> file = host::read_file_bytes(path);
  const host::NpyHeader h = host::parse_npy_header(file);
  if (h.shape.empty()) fail(path + ": a .npy data set needs a first axis counting samples (the array is a scalar)");
  host::TensorSpec all{"samples", model::TensorType::kFloat32, {}};
  for (int64_t d : h.shape) {
    if (d < 0 || d > INT32_MAX) fail(path + ": .npy dimension " + std::to_string(d) + " is out of range");
    all.shape.push_back(static_cast<int32_t>(d));
  }
  host::ConvertPolicy policy;
  policy.allow_rounding = true;
  const std::vector<uint8_t> bytes = host::npy_to_tensor(file, all, policy, path);
  Dataset ds;
  ds.sample_shape.assign(all.shape.begin() + 1, all.shape.end());
  size_t per = 1;
  for (int32_t d : ds.sample_shape) per *= static_cast<size_t>(d);
  const size_t items = static_cast<size_t>(all.shape[0]);
  if (total != nullptr) *total = items;
  const size_t n = limit == 0 ? items : std::min(items, limit);
  ds.samples.resize(n);
  for (size_t s = 0; s < n; ++s) {
    ds.samples[s].resize(per);
    if (per != 0) std::memcpy(ds.samples[s].data(), bytes.data() + s * per * sizeof(float), per * sizeof(float));
  }
  ds.description = "NPY " + path + ": " + std::to_string(n) + " x " + host::shape_string(ds.sample_shape);
  return ds;
}

}  // namespace kiln::dataset::detail
