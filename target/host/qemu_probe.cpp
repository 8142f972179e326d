#include "qemu_probe.h"

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>

#include "kiln/host/command.h"

namespace kiln::target {

using host::run_command;

uint64_t ProbeResult::get(const std::string& key) const {
  const auto it = values.find(key);
  return it == values.end() ? 0 : std::stoull(it->second);
}

std::optional<ProbeResult> run_probe(const std::string& probe_elf, const std::string& model,
                                     const std::string& input, std::string* why,
                                     const std::string& output, const std::string& cpu) {
  // QEMU splits -semihosting-config on commas: paths must not contain any.
  for (const std::string* p : {&model, &input, &output}) {
    if (p->find(',') != std::string::npos) {
      *why = "path contains a comma: " + *p;
      return std::nullopt;
    }
  }
  std::string args = "arg=probe,arg=" + model;
  if (!input.empty()) args += ",arg=" + input;
  if (!input.empty() && !output.empty()) args += ",arg=" + output;
  const std::string cpu_option = cpu.empty() ? "" : "-cpu " + cpu + " ";
  const std::string cmd = "timeout 300 qemu-system-riscv32 -machine virt -bios none -nographic -monitor none " +
                          cpu_option + "-icount shift=0 -semihosting-config enable=on,target=native," + args +
                          " -kernel " + probe_elf + " 2>&1";
  int code = 0;
  const std::string out = run_command(cmd, &code);
  ProbeResult r;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) r.values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (code != 0 || r.values.count("error")) {
    *why = r.values.count("error") ? r.values["error"] : ("qemu exit " + std::to_string(code) + ": " + out.substr(0, 200));
    return std::nullopt;
  }
  return r;
}

std::optional<CodeSize> measure_code_size(const std::string& probe_elf) {
  int code = 0;
  // Symbol sizes (demangled) of text and read-only data inside namespace kiln.
  const std::string syms = run_command("riscv64-unknown-elf-nm -S -C --size-sort " + probe_elf + " 2>/dev/null", &code);
  if (code != 0 || syms.empty()) return std::nullopt;
  CodeSize cs;
  std::istringstream lines(syms);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream f(line);
    std::string addr, size, type;
    f >> addr >> size >> type;
    std::string name;
    std::getline(f, name);
    if (type.size() != 1 || std::string("tTrR").find(type[0]) == std::string::npos) continue;
    if (name.find("kiln::") == std::string::npos) continue;
    cs.device_core_text += std::stoull(size, nullptr, 16);
  }
  const std::string size_out = run_command("riscv64-unknown-elf-size " + probe_elf + " 2>/dev/null", &code);
  std::istringstream s(size_out);
  std::string header;
  std::getline(s, header);
  s >> cs.elf_text;
  return cs;
}

}  // namespace kiln::target
