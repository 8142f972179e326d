#include "kiln/validate/model_io.h"

#include "kiln/host/error.h"

namespace kiln::validate {

namespace {
TensorIo tensor_io(const host::LoadedModel& m, int32_t index) {
  TensorIo io;
  io.tensor = static_cast<uint32_t>(index);
  io.spec = m.spec(io.tensor);
  if (io.spec.type != model::TensorType::kFloat32) io.quant = host::tensor_quant(m, io.tensor);
  return io;
}
}  // namespace

ModelIo model_io(const host::LoadedModel& m) {
  const auto inputs = m.model().inputs();
  const auto outputs = m.model().outputs();
  if (inputs.size() != 1) {
    host::fail("'" + m.path() + "' has " + std::to_string(inputs.size()) +
               " inputs; validation feeds one data set sample to exactly one input");
  }
  if (outputs.size() == 0) host::fail("'" + m.path() + "' has no output");
  ModelIo io;
  io.input = tensor_io(m, inputs[0]);
  for (uint32_t i = 0; i < outputs.size(); ++i) io.outputs.push_back(tensor_io(m, outputs[i]));
  return io;
}

}  // namespace kiln::validate
