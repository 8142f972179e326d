// The tests build synthetic models with the host's TFLite writer.
#pragma once
#include "kiln/tflite/model_builder.h"

namespace kiln::testing {
using tflite::ModelBuilder;
using tflite::OptionsWriter;
using tflite::QuantSpec;
using tflite::field;
}  // namespace kiln::testing
