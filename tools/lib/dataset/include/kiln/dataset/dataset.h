// Data sets for calibration and validation: IDX (the MNIST family, plain or
// .gz), .npy, a folder of .bin/.bmp/.pgm/.npy files with a labels file, or a
// small JSON spec naming one of those plus its preprocessing, so that every
// stage (quantize, validate) reads the same samples the same way.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/model_file.h"
#include "kiln/host/tensor_spec.h"

namespace kiln::dataset {

// value = raw * scale + offset, applied to every element once at load time.
struct Preprocess {
  float scale = 1.0f;
  float offset = 0.0f;
};

struct Dataset {
  std::vector<int32_t> sample_shape;        // e.g. {28, 28} or {28, 28, 1}
  std::vector<std::vector<float>> samples;  // preprocessed values, one vector per sample
  std::vector<int32_t> labels;              // empty when none
  std::string description;                  // "IDX t10k-images-idx3-ubyte.gz: 10000 x 28x28"

  size_t size() const { return samples.size(); }
  bool has_labels() const { return !labels.empty(); }
};

struct OpenOptions {
  Preprocess preprocess;
  std::string labels_path;  // IDX labels, labels.txt or .csv ("file,label"); empty: none
  size_t limit = 0;         // 0 = all samples
  // Labels must lie in [0, num_classes) when > 0.
  int32_t num_classes = 0;
};

// Opens `path`, chosen by what it is:
//   *.json                       spec: {"path": ..., "labels": ..., "scale": s, "offset": o,
//                                "limit": n}; relative paths are relative to the spec file.
//                                Options given explicitly (non-default) override the spec.
//   *.idx, *-ubyte, *.gz         IDX file (ubyte, byte, short, int, float, double)
//   *.npy                        first axis = samples
//   directory                    *.bin (raw uint8), *.bmp, *.pgm, *.npy files in name order;
//                                labels from labels.txt / labels.csv in it when present
// Throws kiln::host::ToolError with a clear message on any bad input.
Dataset open_dataset(const std::string& path, const OpenOptions& options);

// Labels from an IDX labels file (plain or .gz, ubyte or int). Throws on a
// malformed file.
std::vector<int32_t> read_idx_labels(const std::string& path);

// A float sample converted to the bytes of a model input: float32 copy, or
// int8/uint8 quantized with the tensor's scale/zero point (round half away
// from zero, then saturate, as TFLite's QUANTIZE). The element count must
// match the input's; throws ToolError otherwise.
// TensorSpec carries no quantization, so this form handles float32 inputs
// and throws for int8/uint8: use one of the two forms below for those.
std::vector<uint8_t> to_input_bytes(const std::vector<float>& sample,
                                    const kiln::host::TensorSpec& input);
// The model's input tensor `tensor_index` (spec and quantization read from
// the model): works for float32, int8 and uint8 inputs.
std::vector<uint8_t> to_input_bytes(const std::vector<float>& sample,
                                    const kiln::host::LoadedModel& model, uint32_t tensor_index);
// Same, with the input's quantization given explicitly (scale, zero point).
std::vector<uint8_t> to_input_bytes(const std::vector<float>& sample,
                                    const kiln::host::TensorSpec& input, float scale,
                                    int32_t zero_point);

}  // namespace kiln::dataset
