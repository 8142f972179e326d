#include "kiln/host/model_report.h"

namespace kiln::host {

using nlohmann::json;

namespace {

json quantization_json(const model::Quantization& q) {
  json scales = json::array();
  json zero_points = json::array();
  for (uint32_t i = 0; i < q.scale.size(); ++i) scales.push_back(q.scale[i]);
  for (uint32_t i = 0; i < q.zero_point.size(); ++i) zero_points.push_back(q.zero_point[i]);
  return {{"scale", scales},
          {"zero_point", zero_points},
          {"per_channel", q.per_channel()},
          {"channels", q.scale.size()},
          {"axis", q.quantized_dimension}};
}

json tensor_ref(const LoadedModel& model, int32_t index) {
  if (index < 0) return nullptr;  // omitted optional input
  const TensorSpec s = model.spec(static_cast<uint32_t>(index));
  return {{"index", index}, {"name", s.name}, {"type", type_name(s.type)}, {"shape", s.shape}};
}

json index_list(const LoadedModel& model, const model::Vec<int32_t>& v) {
  json out = json::array();
  for (uint32_t i = 0; i < v.size(); ++i) out.push_back(tensor_ref(model, v[i]));
  return out;
}

json operator_json(const LoadedModel& model, const runtime::Interpreter* interp, uint32_t i) {
  const model::OperatorView op = model.model().op(i);
  json j = {{"index", i},
            {"name", model.op_name(i)},
            {"code", op.builtin_code},
            {"version", op.version},
            {"inputs", index_list(model, op.inputs)},
            {"outputs", index_list(model, op.outputs)}};
  if (interp != nullptr) j["macs"] = interp->op_stats(i).macs;
  return j;
}

}  // namespace

json tensor_json(const LoadedModel& model, uint32_t index) {
  const model::TensorView t = model.model().tensor(index);
  const TensorSpec s = model.spec(index);
  const uint64_t bytes = uint64_t{t.element_count()} * model::tensor_type_size(t.type);
  json j = {{"index", index},
            {"name", s.name},
            {"type", type_name(s.type)},
            {"shape", s.shape},
            {"bytes", bytes},
            {"constant", model.model().tensor_data(index).size > 0},
            {"variable", t.is_variable}};
  if (t.quant.present()) j["quantization"] = quantization_json(t.quant);
  return j;
}

json arena_json(const runtime::ArenaReport& r) {
  return {{"planned_bytes", r.planned_bytes},
          {"lower_bound_bytes", r.lower_bound_bytes},
          {"persistent_bytes", r.persistent_bytes},
          {"tensor_table_bytes", r.tensor_table_bytes},
          {"op_table_bytes", r.op_table_bytes},
          {"state_bytes", r.state_bytes},
          {"kernel_data_bytes", r.kernel_data_bytes},
          {"workspace_bytes", r.workspace_bytes},
          {"required_bytes", r.required_bytes}};
}

json inspect_json(const LoadedModel& model, const runtime::Interpreter* interp,
                  const std::string& runtime_error) {
  const model::Model& m = model.model();
  json j = {{"file", model.path()},
            {"file_bytes", model.file_bytes()},
            {"schema_version", m.schema_version()},
            {"description", to_string(m.description())},
            {"subgraphs", m.subgraph_count()},
            {"weight_bytes", model.weight_bytes()}};
  j["inputs"] = index_list(model, m.inputs());
  j["outputs"] = index_list(model, m.outputs());
  j["operators"] = json::array();
  for (uint32_t i = 0; i < m.operator_count(); ++i) j["operators"].push_back(operator_json(model, interp, i));
  j["tensors"] = json::array();
  for (uint32_t i = 0; i < m.tensor_count(); ++i) j["tensors"].push_back(tensor_json(model, i));
  if (interp != nullptr) {
    j["total_macs"] = interp->total_macs();
    j["arena"] = arena_json(interp->arena_report());
  } else {
    j["runtime_error"] = runtime_error;
  }
  return j;
}

}  // namespace kiln::host
