// Per-layer drift: the SQNR of every INT8 intermediate tensor (dequantized)
// against its float counterpart, read with the runtime's OpObserver while
// each operator's outputs are live.
//
// Matching int8 tensors to float ones:
//  1. by NAME (kiln quantize keeps the float model's tensor names);
//  2. the outputs of QUANTIZE / DEQUANTIZE inherit the match of their input
//     (and the input of a DEQUANTIZE that of its output), and graph inputs
//     match by position, so the quantized input is compared with the float
//     input and the int8 output with the float output;
//  3. fallback when no name matches at all (models from other converters):
//     by operator order, pairing the k-th compute operator (QUANTIZE and
//     DEQUANTIZE skipped) of both models when their first outputs have the
//     same element count.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kiln/host/model_file.h"

namespace kiln::validate {

struct LayerDrift {
  uint32_t op = 0;             // operator index in the int8 model
  std::string op_name;         // "CONV_2D"
  std::string tensor;          // the int8 output tensor's name
  std::string matched_by;      // "name", "input", "quantize" or "order"
  double sqnr_db = 0.0;        // +inf when identical
  // SQNR this layer loses: the lowest SQNR of its measured inputs minus its
  // own, both capped at kSqnrCapDb. The largest loss names the worst layer:
  // downstream layers inherit the noise but do not add to it.
  double loss_db = 0.0;
};

struct LayerDriftReport {
  std::vector<LayerDrift> layers;  // int8 model's operator order
  size_t samples = 0;
  int worst = -1;                  // index into layers, -1 when none was measured
  std::string matching;            // "name" or "order"
  std::vector<std::string> notes;  // tensors that could not be compared, and why
};

// What an ideal 8-bit quantizer achieves on a full-scale uniform signal
// (6.02 * 8 + 1.76 dB): an exactly representable input (SQNR infinite) counts
// as this good, so the first layer is not blamed for the int8 format itself.
constexpr double kSqnrCapDb = 50.0;

// Runs both models on `float_inputs[s]` / `int8_inputs[s]` (the bytes of each
// model's single input for sample s) and accumulates signal and noise power
// per matched tensor over the samples. Throws ToolError on a failed invoke.
LayerDriftReport measure_layer_drift(const host::LoadedModel& float_model, const host::LoadedModel& int8_model,
                                     const std::vector<std::vector<uint8_t>>& float_inputs,
                                     const std::vector<std::vector<uint8_t>>& int8_inputs);

}  // namespace kiln::validate
