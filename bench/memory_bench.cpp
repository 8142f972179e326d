// Per model and mode, from the linked rv32imac firmware and one run on QEMU
// (-icount shift=0, so instruction counts are exact):
//   flash = code + model (interpreter: the embedded .tflite; AOT: weights)
//   RAM   = arena + stack high-water mark (painted stack) + other .data/.bss
//   time to first inference = retired instructions of load + init
// against TFLM's figures (../shared/notes/tflm-figures.md, bench/tflm_figures.h).
#include "memory_bench.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "kiln/host/command.h"
#include "tflm_figures.h"

namespace kiln::bench {

namespace {

std::string run(const std::string& cmd) {
  int code = 0;
  return host::run_command(cmd + " 2>&1", &code);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    v.push_back(l);
  }
  return v;
}

struct Sections {
  uint64_t flash = 0, data = 0, bss = 0;
};

// Same classification as target/firmware/budget_check.cmake.
Sections sections(const std::string& elf) {
  Sections s;
  for (const std::string& l : lines(run("riscv64-unknown-elf-size -A " + elf))) {
    char name[64];
    unsigned long long size = 0, addr = 0;
    if (std::sscanf(l.c_str(), "%63s %llu %llu", name, &size, &addr) != 3) continue;
    const std::string n = name;
    if (n == ".init" || n == ".text" || n == ".rodata" || n == ".srodata" || n == ".preinit_array" ||
        n == ".init_array" || n == ".fini_array") {
      s.flash += size;
    } else if (n == ".data" || n == ".tdata") {
      s.flash += size;
      s.data += size;
    } else if (n == ".bss" || n == ".tbss_space") {
      s.bss += size;
    }
  }
  return s;
}

// Summed sizes of the ELF's symbols whose demangled name starts with one of
// `prefixes` (picolibc's script puts read-only data in the text segment, so
// the type letter says nothing).
uint64_t symbol_bytes(const std::string& elf, const std::vector<std::string>& prefixes) {
  uint64_t total = 0;
  for (const std::string& l : lines(run("riscv64-unknown-elf-nm -S -C " + elf))) {
    char addr[32], size[32], type[4];
    int consumed = 0;
    if (std::sscanf(l.c_str(), "%31s %31s %3s %n", addr, size, type, &consumed) != 3) continue;
    const std::string name = l.substr(consumed);
    for (const std::string& p : prefixes) {
      if (name.rfind(p, 0) == 0) {
        total += std::stoull(size, nullptr, 16);
        break;
      }
    }
  }
  return total;
}

std::map<std::string, std::string> run_firmware(const std::string& elf) {
  std::map<std::string, std::string> kv;
  for (const std::string& l : lines(run("timeout 300 qemu-system-riscv32 -machine virt -bios none -nographic "
                                        "-monitor none -icount shift=0 -kernel " + elf))) {
    const size_t eq = l.find('=');
    if (eq != std::string::npos) kv[l.substr(0, eq)] = l.substr(eq + 1);
  }
  return kv;
}

uint64_t num(const std::map<std::string, std::string>& kv, const std::string& key) {
  const auto it = kv.find(key);
  return it == kv.end() ? 0 : std::stoull(it->second);
}

struct Model {
  std::string name, path;  // firmware name (cmake/kiln_examples.cmake), testdata path
};

const std::vector<Model>& models() {
  static const std::vector<Model> m = {
      {"hello_world_int8", "tflm/hello_world_int8.tflite"},
      {"micro_speech", "tflm/micro_speech_quantized.tflite"},
      {"keyword_scrambled", "tflm/keyword_scrambled_8bit.tflite"},
      {"person_detect", "tflm/person_detect.tflite"},
      {"kws", "mlperf-tiny/kws_ref_model_int8.tflite"},
      {"ad01_int8", "mlperf-tiny/ad01_int8.tflite"},
  };
  return m;
}

uint32_t tflm_arena_rv32(const std::string& path) {
  for (const TflmFigures& f : tflm_figures()) {
    if (f.model == path) return f.arena_rv32;
  }
  return 0;
}

}  // namespace

int run_memory_bench(const std::string& probe_elf, nlohmann::json& out) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(probe_elf).parent_path() / ".." / ".." / "examples" / "firmware_kws";
  if (!fs::is_directory(dir)) {
    std::printf("\nmemory bench SKIPPED: %s not built (the rv32imac cross build with KILN_HOST_TOOL builds it)\n",
                dir.string().c_str());
    return 0;
  }
  int failures = 0;
  nlohmann::json rows = nlohmann::json::array();
  std::printf("\nfirmware memory, rv32imac, qemu-virt-rv32 (examples/firmware_kws, -O2): flash = code + model/weights,"
              "\nRAM = arena + stack high-water + other data; init = retired instructions to first inference\n");
  std::printf("%-18s %-12s %9s %9s %9s | %8s %7s %7s %6s %6s | %10s %10s\n", "model", "mode", "flash", "code",
              "model", "RAM", "arena", "(used)", "stack", "data", "init instr", "TFLM arena");
  for (const Model& m : models()) {
    for (const std::string mode : {"interpreter", "aot"}) {
      const fs::path elf = dir / ("fw_" + m.name + "_" + mode + ".elf");
      if (!fs::exists(elf)) continue;
      const auto kv = run_firmware(elf.string());
      if (kv.count("status") == 0 || kv.at("status") != "ok") {
        std::fprintf(stderr, "bench: %s did not run to completion\n", elf.string().c_str());
        ++failures;
        continue;
      }
      const Sections s = sections(elf.string());
      const uint64_t model_bytes =
          mode == std::string("aot")
              ? symbol_bytes(elf.string(), {"kiln_aot_" + m.name + "::weights::"})
              : symbol_bytes(elf.string(), {"kiln_model_" + m.name + "::model_data"});
      const uint64_t arena = num(kv, "arena_bytes"), stack = num(kv, "stack_bytes");
      const uint64_t data = s.data + s.bss - arena;  // statics other than the arena
      const uint64_t ram = arena + stack + data;
      const uint32_t tflm = tflm_arena_rv32(m.path);
      const uint64_t used = kv.count("arena_used") ? num(kv, "arena_used") : arena;
      std::printf("%-18s %-12s %9llu %9llu %9llu | %8llu %7llu %7llu %6llu %6llu | %10llu %10s\n", m.name.c_str(),
                  mode.c_str(), static_cast<unsigned long long>(s.flash),
                  static_cast<unsigned long long>(s.flash - model_bytes), static_cast<unsigned long long>(model_bytes),
                  static_cast<unsigned long long>(ram), static_cast<unsigned long long>(arena),
                  static_cast<unsigned long long>(used),
                  static_cast<unsigned long long>(stack), static_cast<unsigned long long>(data),
                  static_cast<unsigned long long>(num(kv, "init_instret")),
                  tflm ? std::to_string(tflm).c_str() : "-");
      rows.push_back({{"model", m.path}, {"mode", mode}, {"flash_bytes", s.flash},
                      {"code_bytes", s.flash - model_bytes}, {"model_bytes", model_bytes}, {"ram_bytes", ram},
                      {"arena_bytes", arena}, {"arena_used_bytes", used}, {"stack_high_water_bytes", stack}, {"data_bytes", data},
                      {"init_instructions", num(kv, "init_instret")},
                      {"invoke_instructions", num(kv, "invoke_instret")}, {"output_crc32", kv.at("crc32")},
                      {"tflm_arena_rv32", tflm}});
    }
  }
  std::printf("arena = the static array (sized by the host planner, 64-bit tables: an upper bound); (used) = what\n"
              "the interpreter needs on rv32. TFLM: ~%u B of code with all operators at -O2; TFLM arena = its\n"
              "arena_used_bytes on rv32. Code includes picolibc, start-up and the firmware's reporting.\n",
              kTflmCodeBytesO2);
  out["memory"] = rows;
  return failures;
}

}  // namespace kiln::bench
