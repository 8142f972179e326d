// What `kiln inspect` reports about a model, as JSON (the text view is
// rendered from the same document, so both always agree).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "kiln/host/model_file.h"
#include "kiln/runtime/interpreter.h"

namespace kiln::host {

// {index, name, type, shape, bytes, constant, variable, quantization?}
nlohmann::json tensor_json(const LoadedModel& model, uint32_t index);
// Every ArenaReport field, by its C++ name.
nlohmann::json arena_json(const runtime::ArenaReport& report);
// The whole model. `interp` (initialized) adds MACs and arena figures; when
// it is null, `runtime_error` says why it could not be prepared.
nlohmann::json inspect_json(const LoadedModel& model, const runtime::Interpreter* interp,
                            const std::string& runtime_error = "");

// Human-readable rendering of inspect_json's document.
std::string render_inspect(const nlohmann::json& report);
// "1.23M" style figure for counts, "12.3 KiB" for bytes.
std::string human_count(uint64_t n);
std::string human_bytes(uint64_t n);
// "850 ns", "12.4 us", "3.21 ms", "1.50 s"
std::string human_time(uint64_t ns);
// Long TFLite tensor names cut to `max` characters with "..." for tables.
std::string short_name(const std::string& name, size_t max = 60);

}  // namespace kiln::host
