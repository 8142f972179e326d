// Label files: IDX label arrays (MNIST's *-labels-idx1-ubyte[.gz]), .npy
// integer arrays, plain text with one label per line, and "file,label" lists
// for folder data sets.
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

#include "kiln/dataset/dataset.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "readers.h"

namespace kiln::dataset::detail {

using host::fail;

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

int32_t checked_label(double v, const std::string& what, size_t index) {
  if (!(v == std::floor(v)) || v < INT32_MIN || v > INT32_MAX) {
    fail(what + ": label " + std::to_string(index) + " (" + std::to_string(v) + ") is not an integer");
  }
  return static_cast<int32_t>(v);
}

std::vector<std::string> text_lines(const std::string& path) {
  const std::vector<uint8_t> bytes = host::read_file_bytes(path);
  std::vector<std::string> lines;
  std::string cur;
  for (uint8_t c : bytes) {
    if (c == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur.push_back(static_cast<char>(c));
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

}  // namespace

bool parse_int(const std::string& text, int64_t* out) {
  const std::string t = trim(text);
  if (t.empty() || t.size() > 18) return false;
  size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (i == t.size()) return false;
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
    v = v * 10 + (t[i] - '0');
  }
  *out = t[0] == '-' ? -v : v;
  return true;
}

std::vector<int32_t> read_label_array(const std::string& path) {
  const std::string ext = host::file_extension(path);
  if (ext == ".npy") {
    const Dataset ds = read_npy_samples(path, 0);
    size_t per = 1;
    for (int32_t d : ds.sample_shape) per *= static_cast<size_t>(d);
    if (per != 1) fail(path + ": labels must be a 1-D array, got samples of shape " + host::shape_string(ds.sample_shape));
    std::vector<int32_t> labels;
    for (size_t i = 0; i < ds.samples.size(); ++i) labels.push_back(checked_label(ds.samples[i][0], path, i));
    return labels;
  }
  if (ext == ".txt" || ext == ".csv") {
    std::vector<int32_t> labels;
    int line_no = 0;
    for (const std::string& raw : text_lines(path)) {
      ++line_no;
      const std::string line = trim(raw);
      if (line.empty() || line[0] == '#') continue;
      int64_t v = 0;
      if (!parse_int(line, &v) || v < INT32_MIN || v > INT32_MAX) {
        fail(path + ":" + std::to_string(line_no) + ": expected one integer label per line, got '" + line + "'");
      }
      labels.push_back(static_cast<int32_t>(v));
    }
    return labels;
  }
  return read_idx_labels(path);
}

std::vector<LabelEntry> read_label_list(const std::string& path) {
  std::vector<LabelEntry> entries;
  int line_no = 0;
  for (const std::string& raw : text_lines(path)) {
    ++line_no;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    size_t sep = line.find(',');
    if (sep == std::string::npos) sep = line.find_last_of(" \t");
    if (sep == std::string::npos) {
      fail(path + ":" + std::to_string(line_no) + ": expected 'file,label', got '" + line + "'");
    }
    const std::string file = trim(line.substr(0, sep));
    int64_t v = 0;
    if (!parse_int(line.substr(sep + 1), &v) || v < INT32_MIN || v > INT32_MAX) {
      if (entries.empty() && line_no == 1) continue;  // a header line such as "file,label"
      fail(path + ":" + std::to_string(line_no) + ": label '" + trim(line.substr(sep + 1)) + "' is not an integer");
    }
    if (file.empty()) fail(path + ":" + std::to_string(line_no) + ": empty file name");
    entries.push_back({file, static_cast<int32_t>(v), line_no});
  }
  return entries;
}

}  // namespace kiln::dataset::detail

namespace kiln::dataset {

std::vector<int32_t> read_idx_labels(const std::string& path) {
  const detail::IdxArray a = detail::parse_idx(detail::read_maybe_gzip(path), path);
  if (a.item_elements() != 1) {
    host::fail(path + ": an IDX labels file must be 1-D (one label per item), it has " +
               std::to_string(a.dims.size()) + " dimensions");
  }
  if (a.type_code == 0x0D || a.type_code == 0x0E) {
    host::fail(path + ": IDX labels must be integers, the file holds " + a.type_name + " values");
  }
  std::vector<int32_t> labels(a.dims[0]);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int32_t>(a.value(i));
  return labels;
}

}  // namespace kiln::dataset
