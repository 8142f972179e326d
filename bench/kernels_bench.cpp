#include "kernels_bench.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "kiln/model/model.h"
#include "kiln/runtime/interpreter.h"
#include "kiln/runtime/op_resolver.h"
#include "qemu_probe.h"

namespace kiln::bench {
namespace {

struct alignas(16) Block16 { uint8_t b[16]; };

struct OpRow {
  std::string name;
  uint64_t macs = 0;
};

// Operator names and MACs from the host interpreter (same model, same counts).
std::vector<OpRow> model_ops(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Block16> mem(file.size() / 16 + 1);
  std::memcpy(mem.data(), file.data(), file.size());
  std::vector<Block16> arena(1 << 18);
  Diag diag;
  model::Model m;
  std::vector<OpRow> rows;
  if (m.load(mem.data(), file.size(), diag) != Status::kOk) return rows;
  runtime::Interpreter interp(m, runtime::all_ops(), reinterpret_cast<uint8_t*>(arena.data()), arena.size() * 16);
  if (interp.init() != Status::kOk) return rows;
  for (uint32_t i = 0; i < interp.op_count(); ++i) {
    char fallback[16];
    rows.push_back({model::builtin_op_name(m.op(i).builtin_code, fallback, sizeof(fallback)), interp.op_stats(i).macs});
  }
  return rows;
}

// Bytes of kiln::kernels code in an ELF (nm sizes of text symbols).
uint64_t kernels_code_bytes(const std::string& elf) {
  const std::string cmd = "riscv64-unknown-elf-nm -C -S --size-sort " + elf + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return 0;
  uint64_t total = 0;
  std::array<char, 1024> line{};
  while (std::fgets(line.data(), line.size(), p.get()) != nullptr) {
    const std::string l(line.data());
    char type = 0;
    unsigned long long addr = 0, size = 0;
    if (std::sscanf(l.c_str(), "%llx %llx %c", &addr, &size, &type) != 3) continue;
    if ((type == 'T' || type == 't') && (l.find("kiln::kernels::") != std::string::npos || l.find("kiln_mac") != std::string::npos)) {
      total += size;
    }
  }
  return total;
}

double per_mac(uint64_t instr, uint64_t macs) { return macs ? static_cast<double>(instr) / static_cast<double>(macs) : 0; }

}  // namespace

int run_kernels_bench(const std::string& probe_elf, const std::string& testdata, nlohmann::json& out) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(probe_elf).parent_path();
  struct Variant {
    std::string name, elf, cpu;
  };
  std::vector<Variant> variants = {{"reference", (dir / "kiln_probe_ref.elf").string(), ""},
                                   {"optimized", probe_elf, ""}};
  if (fs::exists(dir / "kiln_probe_rvv.elf")) {
    variants.push_back({"rvv", (dir / "kiln_probe_rvv.elf").string(), "rv32,v=true,vlen=128"});
  }
  if (!fs::exists(variants[0].elf)) {
    std::printf("\nkernels: SKIPPED (no %s: build target kiln_probe_ref)\n", variants[0].elf.c_str());
    out["kernels"] = {{"skipped", "kiln_probe_ref.elf not built"}};
    return 0;
  }
  int failures = 0;
  nlohmann::json kj;
  std::printf("\nkernels (issue 8): rv32 retired instructions (QEMU -icount), reference vs optimized kernels\n"
              "(rvv: same core with V, VLEN 128; a vector instruction counts as one)\n");
  for (const auto& v : variants) {
    const uint64_t bytes = kernels_code_bytes(v.elf);
    kj["code_bytes"][v.name] = bytes;
    std::printf("  kiln::kernels code, %-9s : %llu B\n", v.name.c_str(), static_cast<unsigned long long>(bytes));
  }
  for (const char* model : {"mlperf-tiny/kws_ref_model_int8.tflite", "tflm/person_detect.tflite"}) {
    const std::string path = testdata + "/models/" + model;
    const std::vector<OpRow> ops = model_ops(path);
    std::map<std::string, target::ProbeResult> results;
    for (const auto& v : variants) {
      std::string why;
      auto r = target::run_probe(v.elf, path, "", &why, "", v.cpu);
      if (!r) {
        std::fprintf(stderr, "kernels: %s on %s failed: %s\n", model, v.name.c_str(), why.c_str());
        ++failures;
        continue;
      }
      results.emplace(v.name, *r);
    }
    if (results.size() != variants.size()) continue;
    nlohmann::json mj;
    std::printf("\n%s\n  %3s %-18s %9s", model, "#", "op", "MACs");
    for (const auto& v : variants) std::printf(" | %10s %6s", (v.name.substr(0, 10)).c_str(), "/MAC");
    std::printf("\n");
    for (size_t i = 0; i < ops.size(); ++i) {
      nlohmann::json row = {{"op", i}, {"name", ops[i].name}, {"macs", ops[i].macs}};
      std::printf("  %3zu %-18s %9llu", i, ops[i].name.c_str(), static_cast<unsigned long long>(ops[i].macs));
      for (const auto& v : variants) {
        const uint64_t n = results.at(v.name).get("op_instret[" + std::to_string(i) + "]");
        row[v.name] = n;
        std::printf(" | %10llu %6.2f", static_cast<unsigned long long>(n), per_mac(n, ops[i].macs));
      }
      std::printf("\n");
      mj["per_op"].push_back(row);
    }
    std::printf("  %-32s", "total");
    const uint64_t macs = results.begin()->second.get("macs");
    for (const auto& v : variants) {
      const uint64_t n = results.at(v.name).get("invoke_instret");
      mj["invoke_instructions"][v.name] = n;
      mj["instructions_per_mac"][v.name] = per_mac(n, macs);
      std::printf(" | %10llu %6.2f", static_cast<unsigned long long>(n), per_mac(n, macs));
    }
    std::printf("\n");
    // Same bytes whatever the variant: the optimized kernels are bit-exact.
    const std::string ref_out = results.at("reference").values["output_bytes"];
    for (const auto& v : variants) {
      if (results.at(v.name).values["output_bytes"] != ref_out) {
        std::fprintf(stderr, "kernels: %s output differs between reference and %s\n", model, v.name.c_str());
        ++failures;
      }
    }
    mj["macs"] = macs;
    kj["models"][model] = mj;
  }
  out["kernels"] = kj;
  return failures;
}

}  // namespace kiln::bench
