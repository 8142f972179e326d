// The firmwares of examples/firmware_kws (built by the rv32imac cross build
// through find_package(kiln) + kiln_add_model) on the emulated board:
//  - each reports the identity of the model it embeds (SHA-256 of the file);
//  - the CRC-32 of its outputs for a fixed input equals the host
//    interpreter's, in interpreter and in AOT mode (same bytes everywhere);
//  - the generated operator table links only the model's kernels.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "kiln/host/command.h"
#include "kiln/identity/model_identity.h"
#include "model_runner.h"
#include "testdata.h"

namespace {

const std::string kDir = KILN_EXAMPLE_FW_DIR;

// Same names and files as cmake/kiln_examples.cmake.
const std::map<std::string, std::string>& models() {
  static const std::map<std::string, std::string> m = {
      {"kws", "models/mlperf-tiny/kws_ref_model_int8.tflite"},
      {"hello_world_int8", "models/tflm/hello_world_int8.tflite"},
      {"person_detect", "models/tflm/person_detect.tflite"},
      {"micro_speech", "models/tflm/micro_speech_quantized.tflite"},
      {"keyword_scrambled", "models/tflm/keyword_scrambled_8bit.tflite"},
      {"ad01_int8", "models/mlperf-tiny/ad01_int8.tflite"},
  };
  return m;
}

std::string run(const std::string& cmd, int* rc) { return kiln::host::run_command(cmd + " 2>&1", rc); }

std::map<std::string, std::string> run_firmware(const std::string& elf, std::string* raw) {
  int rc = 0;
  *raw = run("timeout 120 qemu-system-riscv32 -machine virt -bios none -nographic -monitor none -icount shift=0 "
             "-kernel " + elf, &rc);
  std::map<std::string, std::string> kv;
  size_t pos = 0;
  while (pos < raw->size()) {
    size_t end = raw->find('\n', pos);
    if (end == std::string::npos) end = raw->size();
    std::string line = raw->substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
    pos = end + 1;
  }
  kv["qemu_rc"] = std::to_string(rc);
  return kv;
}

uint32_t crc32(uint32_t crc, const std::vector<uint8_t>& data) {
  crc = ~crc;
  for (const uint8_t byte : data) {
    crc ^= byte;
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// The firmware's input: input i filled with the ramp (j * 7) & 0xff.
std::string host_crc(const std::string& model_path) {
  auto runner = kiln::testing::ModelRunner::from_file(model_path);
  EXPECT_EQ(runner->status(), kiln::Status::kOk) << runner->message();
  kiln::runtime::Interpreter& interp = runner->interpreter();
  for (uint32_t i = 0; i < interp.input_count(); ++i) {
    std::vector<uint8_t> in(interp.input(i)->bytes);
    for (size_t j = 0; j < in.size(); ++j) in[j] = static_cast<uint8_t>(j * 7);
    runner->set_input(i, in);
  }
  EXPECT_EQ(runner->invoke(), kiln::Status::kOk) << runner->message();
  uint32_t crc = 0;
  for (uint32_t i = 0; i < interp.output_count(); ++i) crc = crc32(crc, runner->output_bytes(i));
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc);
  return hex;
}

class ExampleFirmware : public ::testing::TestWithParam<std::string> {};

TEST_P(ExampleFirmware, ReportsItsModelAndTheHostsOutputBytes) {
  if (!std::filesystem::is_directory(kDir)) {
    GTEST_SKIP() << "SKIPPED: " << kDir << " does not exist: the rv32imac cross build (make cross) "
                 << "did not build examples/firmware_kws";
  }
  const std::string name = GetParam();
  const std::string model = kiln::testing::testdata_path(models().at(name));
  const std::vector<uint8_t> bytes = kiln::testing::read_file(model);
  const auto digest = kiln::identity::sha256(bytes.data(), bytes.size());
  const std::string sha = kiln::identity::hex(digest.data(), digest.size());
  const std::string expected_crc = host_crc(model);
  int found = 0;
  for (const std::string mode : {"interpreter", "aot"}) {
    const std::string elf = kDir + "/fw_" + name + "_" + mode + ".elf";
    if (!std::filesystem::exists(elf)) {
      if (std::string(mode) == "interpreter") ADD_FAILURE() << "missing " << elf;
      else std::printf("NOTE: %s not built (no kiln compile in the host tool): AOT not checked\n", elf.c_str());
      continue;
    }
    ++found;
    std::string raw;
    const auto kv = run_firmware(elf, &raw);
    SCOPED_TRACE(elf + "\n" + raw);
    EXPECT_EQ(kv.at("qemu_rc"), "0");
    EXPECT_EQ(kv.count("status") ? kv.at("status") : "", "ok");
    EXPECT_EQ(kv.count("sha256") ? kv.at("sha256") : "", sha);
    EXPECT_EQ(kv.count("mode") ? kv.at("mode") : "", mode);
    EXPECT_EQ(kv.count("runtime_abi") ? kv.at("runtime_abi") : "", std::to_string(kiln::identity::kRuntimeAbi));
    EXPECT_EQ(kv.count("crc32") ? kv.at("crc32") : "", expected_crc) << "output bytes differ from the host's";
  }
  EXPECT_GE(found, 1);
}

INSTANTIATE_TEST_SUITE_P(Models, ExampleFirmware,
                         ::testing::Values("kws", "hello_world_int8", "person_detect", "micro_speech",
                                           "keyword_scrambled", "ad01_int8"));

// Kernel registrations (kiln::runtime::ops::<fn>()) present in an ELF.
std::vector<std::string> linked_kernels(const std::string& elf) {
  int rc = 0;
  const std::string out = run("riscv64-unknown-elf-nm -C " + elf, &rc);
  std::vector<std::string> fns;
  const std::string tag = "kiln::runtime::ops::";
  for (size_t p = out.find(tag); p != std::string::npos; p = out.find(tag, p + 1)) {
    const size_t start = p + tag.size();
    const size_t paren = out.find("()", start);
    if (paren == std::string::npos) break;
    const std::string fn = out.substr(start, paren - start);
    if (fn.find(' ') == std::string::npos && fn.find(':') == std::string::npos &&
        std::find(fns.begin(), fns.end(), fn) == fns.end()) {
      fns.push_back(fn);
    }
  }
  std::sort(fns.begin(), fns.end());
  return fns;
}

uint64_t text_bytes(const std::string& elf) {
  int rc = 0;
  const std::string out = run("riscv64-unknown-elf-size -A " + elf, &rc);
  uint64_t text = 0;
  char sec[64];
  unsigned long long size = 0, addr = 0;
  size_t pos = 0;
  while (pos < out.size()) {
    const size_t end = out.find('\n', pos);
    const std::string line = out.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (std::sscanf(line.c_str(), "%63s %llu %llu", sec, &size, &addr) == 3 && std::string(sec) == ".text") text += size;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return text;
}

TEST(ExampleFirmwareCode, OperatorTableLinksOnlyTheModelsKernels) {
  const std::string table = kDir + "/fw_kws_interpreter.elf", all = kDir + "/fw_kws_all_ops.elf";
  if (!std::filesystem::exists(table) || !std::filesystem::exists(all)) {
    GTEST_SKIP() << "SKIPPED: " << table << " or " << all << " not built (make cross builds them)";
  }
  EXPECT_EQ(linked_kernels(table), (std::vector<std::string>{"average_pool_2d", "conv_2d", "depthwise_conv_2d",
                                                             "fully_connected", "reshape", "softmax"}));
  EXPECT_EQ(linked_kernels(all).size(), 24u);
  const uint64_t small = text_bytes(table), big = text_bytes(all);
  std::printf("rv32imac .text: KWS op table %llu B, all_ops() %llu B (saves %llu B)\n",
              static_cast<unsigned long long>(small), static_cast<unsigned long long>(big),
              static_cast<unsigned long long>(big - small));
  EXPECT_LT(small + 8000, big);
}

}  // namespace
