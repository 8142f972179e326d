// Internal: one reader per data set format. Each fills a Dataset with RAW
// values (before preprocessing) and at most `limit` samples (0 = all).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/dataset/dataset.h"

namespace kiln::dataset::detail {

// An IDX array: dims[0] items of dims[1..] elements, values as doubles.
struct IdxArray {
  std::vector<uint32_t> dims;
  std::string type_name;  // "ubyte", "float", ...
  std::vector<uint8_t> raw;  // the file, decompressed
  size_t data_offset = 0;
  uint8_t type_code = 0;
  size_t item_elements() const;
  double value(size_t index) const;  // element `index` of the flat array
};

// The file's bytes, gunzipped when it starts with the gzip magic.
std::vector<uint8_t> read_maybe_gzip(const std::string& path);
IdxArray parse_idx(std::vector<uint8_t> bytes, const std::string& what);

// `total` (optional) receives the number of items in the file before `limit`.
Dataset read_idx_images(const std::string& path, size_t limit, size_t* total = nullptr);
Dataset read_npy_samples(const std::string& path, size_t limit, size_t* total = nullptr);
Dataset read_folder(const std::string& dir, const std::string& labels_path, size_t limit);

// Labels for a data set read from an array file (IDX or .npy, or a text file
// with one integer per line), `expected` of them (before any limit).
std::vector<int32_t> read_label_array(const std::string& path);
// "file,label" (or "file label") lines; '#' comments and a header line whose
// label is not a number are skipped. Keys are file names without folders.
struct LabelEntry { std::string file; int32_t label; int line; };
std::vector<LabelEntry> read_label_list(const std::string& path);
// Parses a whole decimal integer; false if `text` is anything else.
bool parse_int(const std::string& text, int64_t* out);

}  // namespace kiln::dataset::detail
