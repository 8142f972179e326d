#include "kiln/host/tensor_io.h"

#include <algorithm>
#include <iterator>

#include "kiln/host/csv.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/image.h"
#include "kiln/host/npy.h"

namespace kiln::host {

namespace {

std::vector<uint8_t> raw_to_tensor(const std::vector<uint8_t>& file, const TensorSpec& spec,
                                   const std::string& what) {
  if (file.size() != spec.byte_size()) {
    fail(what + ": raw file is " + std::to_string(file.size()) + " bytes but tensor " +
         describe(spec) + " needs exactly " + std::to_string(spec.byte_size()));
  }
  return file;
}

const char* const kFormats = ".bin, .npy, .csv, .txt, .bmp, .pgm";

}  // namespace

std::vector<uint8_t> read_tensor_file(const std::string& path, const TensorSpec& spec,
                                      const ConvertPolicy& policy) {
  const std::string ext = file_extension(path);
  const std::string known[] = {".bin", ".raw", ".npy", ".csv", ".txt", ".bmp", ".pgm"};
  if (std::find(std::begin(known), std::end(known), ext) == std::end(known)) {
    fail(path + ": unknown input format '" + ext + "' (use " + kFormats + ")");
  }
  const std::vector<uint8_t> file = read_file_bytes(path);
  if (ext == ".bin" || ext == ".raw") return raw_to_tensor(file, spec, path);
  if (ext == ".npy") return npy_to_tensor(file, spec, policy, path);
  if (ext == ".csv" || ext == ".txt") {
    return csv_to_tensor(std::string(file.begin(), file.end()), spec, policy, path);
  }
  if (ext == ".bmp") return image_to_tensor(decode_bmp(file, path), spec, path);
  return image_to_tensor(decode_pgm(file, path), spec, path);  // .pgm
}

void write_tensor_file(const std::string& path, const TensorSpec& spec,
                       const std::vector<uint8_t>& data) {
  const std::string ext = file_extension(path);
  if (ext == ".bin" || ext == ".raw") return write_file_bytes(path, data);
  if (ext == ".npy") return write_file_bytes(path, tensor_to_npy(spec, data));
  if (ext == ".csv" || ext == ".txt") return write_file_text(path, tensor_to_csv(spec, data));
  fail(path + ": unknown output format '" + ext + "' (use .bin, .npy, .csv or .txt)");
}

}  // namespace kiln::host
