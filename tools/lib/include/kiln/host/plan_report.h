// What `kiln plan` reports: every planned arena buffer and the arena summary,
// as JSON, a table and an ASCII picture of the layout over time.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiln/host/host_interpreter.h"
#include "kiln/host/model_file.h"

namespace kiln::host {

// {file, arena: {...}, buffers: [{tensor, name, scratch_op, offset, size,
// first_op, last_op}] sorted by offset}
nlohmann::json plan_json(const LoadedModel& model, const runtime::Interpreter& interp,
                         const std::vector<runtime::PlannedBuffer>& buffers);

std::string render_plan(const nlohmann::json& plan);
// Arena offsets across, operators down; each buffer drawn with its letter
// while it is live. `width` columns cover the planned bytes.
std::string plan_picture(const nlohmann::json& plan, uint32_t width = 64);

}  // namespace kiln::host
