// kiln's benchmark: per model, arena bytes (host and rv32), activation lower
// bound, model and weight bytes, device-core code size (rv32imac ELF), host
// time per inference and rv32 retired instructions, beside TensorFlow Lite
// Micro's figures. Prints a table and writes JSON.
//
//   kiln_bench [--json FILE] [--repeat N] [--probe build/rv32imac/firmware/kiln_probe.elf]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "fit.h"
#include "kiln/board/board.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <iostream>
#include <memory>
#include <vector>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"
#include "memory_bench.h"
#include "qemu_probe.h"
#include "kernels_bench.h"
#include "tflm_figures.h"

namespace kiln::bench {
using target::CodeSize;
using target::ProbeResult;
using target::measure_code_size;
using target::run_probe;
namespace {

struct alignas(16) Block { uint8_t b[16]; };

std::vector<uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct OpInfo {
  std::string name;  // builtin operator name
  uint64_t macs = 0;
};

struct HostResult {
  runtime::ArenaReport arena;
  uint64_t model_bytes = 0, weight_bytes = 0, macs = 0;
  uint32_t ops = 0;
  double median_us = 0;
  std::vector<OpInfo> op_info;
};

std::optional<HostResult> run_host(const std::string& model_path, const std::string& input_path,
                                   int repeat, std::string* why) {
  const std::vector<uint8_t> file = read_all(model_path);
  std::vector<Block> model_mem(file.size() / 16 + 1);
  std::memcpy(model_mem.data(), file.data(), file.size());
  std::vector<Block> arena(1 << 18);  // 4 MiB
  Diag diag;
  model::Model m;
  if (m.load(model_mem.data(), file.size(), diag) != Status::kOk) {
    *why = diag.message();
    return std::nullopt;
  }
  runtime::Interpreter interp(m, runtime::all_ops(), reinterpret_cast<uint8_t*>(arena.data()), arena.size() * 16);
  if (interp.init() != Status::kOk) {
    *why = interp.diag().message();
    return std::nullopt;
  }
  HostResult r;
  r.arena = interp.arena_report();
  r.model_bytes = file.size();
  r.ops = interp.op_count();
  r.macs = interp.total_macs();
  for (uint32_t t = 0; t < m.tensor_count(); ++t) r.weight_bytes += m.tensor_data(t).size;
  for (uint32_t i = 0; i < interp.op_count(); ++i) {
    char fallback[16];
    r.op_info.push_back({model::builtin_op_name(m.op(i).builtin_code, fallback, sizeof(fallback)),
                         interp.op_stats(i).macs});
  }
  runtime::Tensor* in = interp.input(0);
  const std::vector<uint8_t> input = input_path.empty() ? std::vector<uint8_t>() : read_all(input_path);
  if (input.size() == in->bytes) std::memcpy(in->data, input.data(), in->bytes);
  std::vector<double> times;
  for (int i = 0; i <= repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    if (interp.invoke() != Status::kOk) {
      *why = interp.diag().message();
      return std::nullopt;
    }
    const auto t1 = std::chrono::steady_clock::now();
    if (i > 0) times.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());  // 0 = warm-up
  }
  std::sort(times.begin(), times.end());
  r.median_us = times[times.size() / 2];
  return r;
}

std::string fmt_num(double v, int decimals = 0) {
  if (v == 0) return "-";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string ratio(double ours, double theirs) {
  if (ours == 0 || theirs == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2fx", ours / theirs);
  return buf;
}

uint64_t op_instret(const ProbeResult& target, size_t op) {
  return target.get("op_instret[" + std::to_string(op) + "]");
}

// Every operator: name, MACs, retired instructions, instructions per MAC.
nlohmann::json per_op_json(const HostResult& host, const ProbeResult& target) {
  nlohmann::json ops = nlohmann::json::array();
  for (size_t i = 0; i < host.op_info.size(); ++i) {
    const uint64_t n = op_instret(target, i);
    nlohmann::json op = {{"op", i}, {"name", host.op_info[i].name}, {"macs", host.op_info[i].macs}, {"instructions", n}};
    if (host.op_info[i].macs) op["instructions_per_mac"] = static_cast<double>(n) / host.op_info[i].macs;
    ops.push_back(op);
  }
  return ops;
}

// Totals per operator type, the view that says where the time goes.
nlohmann::json per_type_json(const HostResult& host, const ProbeResult& target) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_type;  // name -> (MACs, instructions)
  for (size_t i = 0; i < host.op_info.size(); ++i) {
    by_type[host.op_info[i].name].first += host.op_info[i].macs;
    by_type[host.op_info[i].name].second += op_instret(target, i);
  }
  nlohmann::json out;
  for (const auto& [name, mi] : by_type) {
    out[name] = {{"macs", mi.first}, {"instructions", mi.second}};
    if (mi.first) out[name]["instructions_per_mac"] = static_cast<double>(mi.second) / mi.first;
  }
  return out;
}

void print_per_type(const std::string& model, const nlohmann::json& per_type) {
  std::printf("  %-26s", model.c_str());
  for (const auto& [name, v] : per_type.items()) {
    if (v.contains("instructions_per_mac")) {
      std::printf(" %s %.1f instr/MAC;", name.c_str(), v["instructions_per_mac"].get<double>());
    }
  }
  std::printf("\n");
}

}  // namespace
}  // namespace kiln::bench

int main(int argc, char** argv) {
  using namespace kiln::bench;
  CLI::App app{"kiln benchmark: arena, code size and speed vs TensorFlow Lite Micro"};
  std::string json_path, probe_elf, testdata = KILN_TESTDATA_DIR;
  int repeat = 51;
  app.add_option("--json", json_path, "write results as JSON to this file");
  app.add_option("--repeat", repeat, "host invocations per model (median reported)")->check(CLI::PositiveNumber);
  app.add_option("--probe", probe_elf, "rv32imac probe firmware (build/rv32imac/firmware/kiln_probe.elf)");
  app.add_option("--testdata", testdata, "testdata folder");
  CLI11_PARSE(app, argc, argv);

  nlohmann::json out;
  out["tflm_reference"] = "TFLM 90b983c reference kernels, GCC 12.2 (../shared/notes/tflm-figures.md)";
  std::optional<CodeSize> code;
  if (!probe_elf.empty()) {
    code = measure_code_size(probe_elf);
    if (code) {
      out["code_size"] = {{"device_core_bytes_rv32imac", code->device_core_text},
                          {"probe_elf_text_bytes", code->elf_text},
                          {"tflm_all_ops_text_bytes_O2", kTflmCodeBytesO2}};
    }
  }
  std::printf("%-28s %4s %9s %8s | %8s %8s %8s %8s | %8s %8s %6s | %9s %9s %6s | %8s %8s\n", "model", "ops",
              "MACs", "model B", "lowerB", "planned", "arena64", "tflm64", "arena32", "tflm32", "ratio",
              "host us", "tflm us", "ratio", "Minstr", "tflm");
  int failures = 0;
  // Flash and RAM against board budgets: the same computation as `kiln fit`.
  std::vector<kiln::board::Board> budget_boards;
  for (const char* name : {"qemu-virt-rv32", "esp32c6"}) {
    try {
      budget_boards.push_back(kiln::board::load_board(name));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench: board %s: %s\n", name, e.what());
    }
  }
  std::vector<std::string> budget_lines;
  for (const TflmFigures& f : tflm_figures()) {
    const std::string model_path = testdata + "/models/" + f.model;
    const std::string input = f.golden.empty() ? "" :
        testdata + "/models/golden/" + f.golden + (f.golden == "person_detect" ? "/input_person.bin" : "/input_0.bin");
    std::string why;
    std::fprintf(stderr, "bench: %s ...\n", f.model.c_str());
    const auto host = run_host(model_path, input, repeat, &why);
    nlohmann::json row = {{"model", f.model}};
    if (!host) {
      std::printf("%-28s FAILED: %s\n", f.model.c_str(), why.c_str());
      row["error"] = why;
      out["models"].push_back(row);
      ++failures;
      continue;
    }
    std::optional<ProbeResult> target;
    std::string target_why;
    if (!probe_elf.empty()) target = run_probe(probe_elf, model_path, input, &target_why);
    const double arena32 = target ? static_cast<double>(target->get("arena_required")) : 0;
    const double instret = target ? static_cast<double>(target->get("invoke_instret")) : 0;
    std::printf("%-28s %4u %9.3fM %8lu | %8u %8u %8u %8s | %8s %8s %6s | %9.1f %9s %6s | %8s %8s\n",
                f.model.substr(f.model.find('/') + 1).c_str(), host->ops, host->macs / 1e6,
                static_cast<unsigned long>(host->model_bytes), host->arena.lower_bound_bytes,
                host->arena.planned_bytes, host->arena.required_bytes, fmt_num(f.arena_x86).c_str(),
                fmt_num(arena32).c_str(), fmt_num(f.arena_rv32).c_str(), ratio(arena32, f.arena_rv32).c_str(),
                host->median_us, fmt_num(f.host_us).c_str(), ratio(host->median_us, f.host_us).c_str(),
                fmt_num(instret / 1e6, 2).c_str(), fmt_num(f.rv32_minstret / 1e6, 2).c_str());
    row["ops"] = host->ops;
    row["macs"] = host->macs;
    row["model_bytes"] = host->model_bytes;
    row["weight_bytes"] = host->weight_bytes;
    row["host"] = {{"arena_required_bytes", host->arena.required_bytes},
                   {"planned_bytes", host->arena.planned_bytes},
                   {"lower_bound_bytes", host->arena.lower_bound_bytes},
                   {"persistent_bytes", host->arena.persistent_bytes},
                   {"kernel_data_bytes", host->arena.kernel_data_bytes},
                   {"median_us_per_invoke", host->median_us}};
    row["tflm"] = {{"arena_x86_64_bytes", f.arena_x86}, {"arena_rv32_bytes", f.arena_rv32},
                   {"activation_lower_bound_bytes", f.lower_bound}, {"host_us", f.host_us},
                   {"rv32_instructions", f.rv32_minstret}};
    if (target) {
      nlohmann::json t;
      for (const auto& [k, v] : target->values) {
        if (k.rfind("arena_", 0) == 0 || k == "invoke_instret" || k == "macs") t[k] = std::stoull(v);
      }
      if (host->macs) t["instructions_per_mac"] = instret / static_cast<double>(host->macs);
      t["per_op"] = per_op_json(*host, *target);
      t["per_operator_type"] = per_type_json(*host, *target);
      row["rv32imac"] = t;
    } else if (!probe_elf.empty()) {
      row["rv32imac_error"] = target_why;
      std::fprintf(stderr, "bench: rv32 probe failed for %s: %s\n", f.model.c_str(), target_why.c_str());
    }
    {
      kiln::target::FitInput fit_in;
      fit_in.model_bytes = host->model_bytes;
      fit_in.arena_bytes = host->arena.required_bytes;
      char line[256];
      std::string text;
      for (const auto& b : budget_boards) {
        const kiln::target::FitReport r = kiln::target::compute_fit(b, fit_in);
        row["budgets"][b.name] = r.to_json();
        std::snprintf(line, sizeof line, " | %9llu/%-8llu %5.1f%% %8llu/%-8llu %5.1f%% %-4s",
                      static_cast<unsigned long long>(r.flash_used), static_cast<unsigned long long>(r.flash_budget),
                      100.0 * r.flash_used / r.flash_budget, static_cast<unsigned long long>(r.ram_used),
                      static_cast<unsigned long long>(r.ram_budget), 100.0 * r.ram_used / r.ram_budget,
                      r.fits() ? "fits" : "NO");
        text += line;
      }
      budget_lines.push_back(f.model.substr(f.model.find('/') + 1) + std::string(28 - std::min<size_t>(28, f.model.size() - f.model.find('/') - 1), ' ') + text);
    }
    out["models"].push_back(row);
  }
  if (!budget_lines.empty()) {
    std::printf("\nflash (code estimate %llu B + model) and RAM (arena + stack + %llu B data) vs board budgets (as `kiln fit`):\n%-28s",
                static_cast<unsigned long long>(kiln::target::kFirmwareCodeEstimate),
                static_cast<unsigned long long>(kiln::target::kStaticDataEstimate), "model");
    for (const auto& b : budget_boards) std::printf(" | %-45s", (b.name + ": flash B, RAM B").c_str());
    std::printf("\n");
    for (const auto& l : budget_lines) std::printf("%s\n", l.c_str());
  }
  if (!probe_elf.empty()) {
    std::printf("\nrv32imac instructions per MAC by operator type:\n");
    for (const auto& row : out["models"]) {
      if (row.contains("rv32imac")) print_per_type(row["model"].get<std::string>(), row["rv32imac"]["per_operator_type"]);
    }
  }
  if (!probe_elf.empty()) failures += run_kernels_bench(probe_elf, testdata, out);
  if (!probe_elf.empty()) failures += kiln::bench::run_memory_bench(probe_elf, out);
  if (code) {
    std::printf("\ndevice-core code (rv32imac, all operators, linked): %lu B   TFLM all-ops firmware text: ~%u B (%s)\n",
                static_cast<unsigned long>(code->device_core_text), kTflmCodeBytesO2,
                ratio(static_cast<double>(code->device_core_text), kTflmCodeBytesO2).c_str());
  }
  std::printf("columns: lowerB = activation lower bound, planned = packed activations+scratch, arena64/32 = exact\n"
              "arena kiln needs on x86-64 / rv32imac (incl. all bookkeeping), tflm* = TFLM arena_used_bytes(),\n"
              "Minstr = retired instructions per invoke on rv32imac under QEMU -icount (kiln vs TFLM).\n");
  if (!json_path.empty()) {
    std::ofstream(json_path) << out.dump(2) << "\n";
    std::printf("wrote %s\n", json_path.c_str());
  }
  return failures == 0 ? 0 : 1;
}
