// AOT == interpreter ON THE EMULATED TARGET: kiln_aot_check.elf (target/
// firmware/aot_check) holds every model under testdata/models twice, as its
// `kiln compile` code and as the .tflite the interpreter runs, and compares
// their output bytes on QEMU (two invokes each: streaming state carried).
// Registered only with the rv32imac cross build (KILN_PROBE_ELF); the ELF is
// built there only when that build was given the host kiln (KILN_HOST_TOOL).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "qemu_probe.h"

namespace kiln::testing {
namespace {

std::string value(const target::ProbeResult& r, const std::string& key) {
  const auto it = r.values.find(key);
  return it == r.values.end() ? "(missing)" : it->second;
}

size_t count_tflite_files(const std::string& dir) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() == ".tflite") ++n;
  }
  return n;
}

TEST(AotOnTarget, EveryModelGivesTheInterpretersBytes) {
  if (!std::filesystem::exists(KILN_AOT_CHECK_ELF)) {
    GTEST_SKIP() << "SKIPPED: " << KILN_AOT_CHECK_ELF
                 << " was not built (the rv32imac cross build needs -DKILN_HOST_TOOL=<host kiln>)";
  }
  std::string why;
  // The check firmware ignores its arguments; run_probe passes a model path.
  const auto result = target::run_probe(KILN_AOT_CHECK_ELF, "unused", "", &why);
  ASSERT_TRUE(result.has_value()) << why;
  const size_t models = count_tflite_files(KILN_MODELS_DIR);
  EXPECT_GT(models, 100u);
  EXPECT_EQ(result->get("models"), models);
  EXPECT_EQ(result->get("errors"), 0u) << value(*result, "first_error");
  EXPECT_EQ(result->get("mismatches"), 0u) << "first_mismatch=" << value(*result, "first_mismatch");
  EXPECT_EQ(value(*result, "first_mismatch"), "none");
  EXPECT_GT(result->get("aot_instret"), 0u);
  EXPECT_GT(result->get("interp_instret"), 0u);
}

}  // namespace
}  // namespace kiln::testing
