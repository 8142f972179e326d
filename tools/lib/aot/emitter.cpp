#include "emitter.h"

#include "kiln/host/error.h"

namespace kiln::aot {

Emitter::Emitter(const host::LoadedModel& model, const runtime::Interpreter& interp, const uint8_t* arena,
                 const std::map<int32_t, uint32_t>& state_offsets, ModelText& text)
    : model_(model), interp_(interp), arena_(arena), state_offsets_(state_offsets), text_(text) {}

void Emitter::begin_op(uint32_t op) {
  op_ = op;
  op_name_ = model_.op_name(op);
  kernel_.clear();
}

void Emitter::unsupported(const std::string& why) const {
  host::fail("cannot compile op " + std::to_string(op_) + " (" + op_name_ + "): " + why);
}

uint32_t Emitter::input_count() const { return model_.model().op(op_).inputs.size(); }

const runtime::Tensor* Emitter::input_tensor(uint32_t i) const {
  const int32_t t = model_.model().op(op_).inputs[i];
  return (i < input_count() && t >= 0) ? interp_.tensor(static_cast<uint32_t>(t)) : nullptr;
}

const runtime::Tensor& Emitter::output_tensor(uint32_t i) const {
  const model::OperatorView view = model_.model().op(op_);
  if (i >= view.outputs.size()) unsupported("output " + std::to_string(i) + " is missing");
  return *interp_.tensor(static_cast<uint32_t>(view.outputs[i]));
}

std::string Emitter::tensor_ident(int32_t t) const {
  const std::string name = c_name(model_.tensor_name(static_cast<uint32_t>(t)), 32);
  return "t" + std::to_string(t) + (name.empty() ? "" : "_" + name);
}

std::string Emitter::weight_ident(int32_t t) const {
  const std::string name = c_name(model_.tensor_name(static_cast<uint32_t>(t)), 32);
  return "w" + std::to_string(t) + (name.empty() ? "" : "_" + name);
}

std::string Emitter::tensor_expr(int32_t t, bool writable) {
  if (t < 0) return "nullptr";
  const runtime::Tensor* tensor = interp_.tensor(static_cast<uint32_t>(t));
  const std::string ctype = c_type(tensor->type);
  if (tensor->is_constant()) {
    if (writable) unsupported("it writes to constant tensor " + std::to_string(t));
    const std::string name = weight_ident(t);
    if (weights_.insert(t).second) {
      text_.weight_decls += array_declaration(name, tensor->type, tensor->bytes);
      text_.weight_defs += "// " + model_.tensor_name(static_cast<uint32_t>(t)) + "\n" +
                           array_definition(name, tensor->type, tensor->data, tensor->bytes);
      text_.flash_bytes += tensor->bytes;
    }
    return "weights::" + name;
  }
  if (tensor->bytes == 0 || tensor->data == nullptr) return "nullptr";
  const auto state = state_offsets_.find(t);
  if (state != state_offsets_.end()) {
    return "at<" + ctype + ">(arena, " + tensor_ident(t) + ")";
  }
  activations_.insert(t);
  return "at<" + ctype + ">(arena, " + tensor_ident(t) + ")";
}

std::string Emitter::input(uint32_t i) {
  if (i >= input_count()) return "nullptr";
  return tensor_expr(model_.model().op(op_).inputs[i], false);
}

std::string Emitter::output(uint32_t i) {
  const model::OperatorView view = model_.model().op(op_);
  if (i >= view.outputs.size()) unsupported("output " + std::to_string(i) + " is missing");
  return tensor_expr(view.outputs[i], true);
}

std::string Emitter::scratch(const std::string& ctype) {
  if (interp_.op_scratch_size(op_) == 0) return "nullptr";
  return "at<" + ctype + ">(arena, " + std::to_string(interp_.op_scratch_offset(op_)) + ")";
}

std::string Emitter::flash(const std::string& suffix, model::TensorType type, const void* data, size_t bytes) {
  const std::string name = prefix() + "_" + suffix;
  text_.weight_decls += array_declaration(name, type, bytes);
  text_.weight_defs += "// op " + std::to_string(op_) + " " + op_name_ + ": " + suffix + "\n" +
                       array_definition(name, type, static_cast<const uint8_t*>(data), bytes);
  text_.flash_bytes += bytes;
  return "weights::" + name;
}

std::string Emitter::param(const StructText& s, const std::string& suffix, const std::string& comment) {
  const std::string name = prefix() + "_" + suffix;
  text_.params += s.define(name, "op " + std::to_string(op_) + " " + op_name_ + ": " + comment);
  return name;
}

namespace {

// The kernel header declaring `kernel` (only those a model uses are included:
// some kernel headers cannot share a translation unit).
const char* kernel_header(const std::string& kernel) {
  static const std::pair<const char*, const char*> kPrefixes[] = {
      {"conv_", "conv"}, {"depthwise_conv", "depthwise_conv"}, {"fully_connected", "fully_connected"},
      {"transpose_conv", "transpose_conv"}, {"average_pool", "pooling"}, {"max_pool", "pooling"},
      {"add_", "elementwise"}, {"sub_", "elementwise"}, {"mul_", "elementwise"}, {"softmax", "softmax"},
      {"quantize", "quantize"}, {"requantize", "quantize"}, {"dequantize", "quantize"},
      {"concat", "concatenation"}, {"pad", "pad"}, {"mean_", "reduce"}, {"strided_slice", "strided_slice"},
      {"svdf", "svdf"}, {"relu", "activations"}, {"clamp_", "activations"}, {"leaky_relu", "activations"},
      {"logistic", "logistic"}, {"tanh", "tanh"}};
  for (const auto& [prefix, header] : kPrefixes) {
    if (kernel.rfind(prefix, 0) == 0) return header;
  }
  return nullptr;
}

}  // namespace

// Long calls get one argument per line, so a reader sees what each one is.
static std::string wrap_call(const std::string& statement) {
  if (statement.size() <= 98) return "  " + statement + "\n";
  std::string out = "  ";
  int depth = 0;
  for (size_t i = 0; i < statement.size(); ++i) {
    const char c = statement[i];
    depth += (c == '(' || c == '<') ? 1 : (c == ')' || c == '>') ? -1 : 0;
    if (c == ' ' && depth == 1 && i > 0 && statement[i - 1] == ',') {
      out += "\n      ";
      continue;
    }
    out += c;
  }
  return out + "\n";
}

void Emitter::call(const std::string& statement, const std::string& kernel) {
  text_.body += wrap_call(statement);
  if (const char* header = kernel_header(kernel)) text_.headers.insert(header);
  if (kernel_.empty()) kernel_ = kernel;
}

}  // namespace kiln::aot
