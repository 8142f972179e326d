// Runs the rv32 probe firmware (target/firmware/probe) on QEMU and reads its
// key=value report; measures the device core's code in the linked ELF.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace kiln::target {

struct ProbeResult {
  std::map<std::string, std::string> values;  // raw key=value lines
  uint64_t get(const std::string& key) const;
};

// nullopt when QEMU or the probe is missing, or the run failed (reason in *why).
// `output`, when not empty, receives output 0's bytes. `cpu`, when not
// empty, is QEMU's -cpu (e.g. "rv32,v=true,vlen=128" for the RVV probe).
std::optional<ProbeResult> run_probe(const std::string& probe_elf, const std::string& model,
                                     const std::string& input, std::string* why,
                                     const std::string& output = "", const std::string& cpu = "");

struct CodeSize {
  uint64_t device_core_text = 0;  // bytes of kiln:: code and read-only data in the ELF
  uint64_t elf_text = 0;          // whole firmware text (incl. picolibc, stdio)
};
std::optional<CodeSize> measure_code_size(const std::string& probe_elf);

}  // namespace kiln::target
