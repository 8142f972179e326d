// Every model under testdata/models, compiled ahead of time at build time:
// the generated code's output bytes must equal the interpreter's, on the
// golden inputs where they exist and on random inputs, invoke after invoke
// (streaming state included), in no more arena than the interpreter needs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kiln/host/host_interpreter.h"
#include "kiln/host/model_file.h"
#include "testdata.h"

#include "aot_registry.inc"

namespace {

struct AotModel {
  const char* id;
  const char* path;  // absolute
  size_t arena_size;
  int num_inputs, num_outputs;
  uint8_t* (*input)(uint8_t*, int);
  size_t (*input_bytes)(int);
  const uint8_t* (*output)(const uint8_t*, int);
  size_t (*output_bytes)(int);
  kiln::Status (*init)(uint8_t*);
  kiln::Status (*invoke)(uint8_t*);
};

#define KILN_AOT_ENTRY(id, path)                                                                    \
  AotModel {                                                                                        \
    #id, path, kiln_aot_##id::kArenaSize, kiln_aot_##id::kNumInputs, kiln_aot_##id::kNumOutputs,   \
        kiln_aot_##id::input, kiln_aot_##id::input_bytes, kiln_aot_##id::output,                   \
        kiln_aot_##id::output_bytes, kiln_aot_##id::init, kiln_aot_##id::invoke                    \
  }

const AotModel kModels[] = {KILN_AOT_MODELS};

// The AOT arena, exactly kArenaSize bytes (ASan sees any overrun), 16-aligned.
struct Arena {
  explicit Arena(size_t size) : bytes(size == 0 ? 16 : (size + 15) / 16 * 16) {
    data = static_cast<uint8_t*>(std::aligned_alloc(16, bytes));
    std::memset(data, 0xA5, bytes);
  }
  ~Arena() { std::free(data); }
  size_t bytes;
  uint8_t* data;
};

// Random bytes for integer tensors, values in [-2, 2] for float ones.
std::vector<uint8_t> random_input(const kiln::runtime::Tensor& t, std::mt19937& rng) {
  std::vector<uint8_t> bytes(t.bytes);
  if (t.type == kiln::model::TensorType::kFloat32) {
    std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
    for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
      const float v = dist(rng);
      std::memcpy(&bytes[i], &v, 4);
    }
  } else {
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  }
  return bytes;
}

// Golden inputs (testdata/models/golden/<stem>/input_N.bin) of single-input models.
std::vector<std::vector<uint8_t>> golden_inputs(const std::string& path, size_t bytes) {
  std::vector<std::vector<uint8_t>> out;
  const std::string stem = std::filesystem::path(path).stem().string();
  for (int i = 0; i < 1; ++i) {  // one golden input: random ones follow
    const std::string f = kiln::testing::testdata_path("models/golden/" + stem + "/input_" + std::to_string(i) + ".bin");
    if (!std::filesystem::exists(f)) break;
    std::vector<uint8_t> b = kiln::testing::read_file(f);
    if (b.size() == bytes) out.push_back(b);
  }
  return out;
}

class AotEquality : public ::testing::TestWithParam<AotModel> {};

TEST_P(AotEquality, SameBytesAsTheInterpreter) {
  const AotModel& m = GetParam();
  const kiln::host::LoadedModel model(m.path);
  kiln::host::HostInterpreter host(model);
  kiln::runtime::Interpreter& interp = host.get();
  ASSERT_EQ(m.num_inputs, static_cast<int>(interp.input_count()));
  ASSERT_EQ(m.num_outputs, static_cast<int>(interp.output_count()));
  // The interpreter's arena also holds its tables and op data; AOT needs only activations and state.
  EXPECT_LE(m.arena_size, interp.arena_report().required_bytes);

  Arena arena(m.arena_size);
  ASSERT_EQ(m.init(arena.data), kiln::Status::kOk);
  for (int i = 0; i < m.num_inputs; ++i) {
    ASSERT_NE(m.input(arena.data, i), nullptr);
    ASSERT_EQ(m.input_bytes(i), interp.input(i)->bytes);
  }
  EXPECT_EQ(m.input(arena.data, m.num_inputs), nullptr);
  EXPECT_EQ(m.output(arena.data, -1), nullptr);

  std::mt19937 rng(1234);
  std::vector<std::vector<std::vector<uint8_t>>> runs;  // run -> input -> bytes
  if (m.num_inputs == 1) {
    for (auto& g : golden_inputs(m.path, interp.input(0)->bytes)) runs.push_back({g});
  }
  for (int r = 0; r < 3; ++r) {
    std::vector<std::vector<uint8_t>> inputs;
    for (int i = 0; i < m.num_inputs; ++i) inputs.push_back(random_input(*interp.input(i), rng));
    runs.push_back(inputs);
  }
  for (size_t r = 0; r < runs.size(); ++r) {
    for (int i = 0; i < m.num_inputs; ++i) {
      std::memcpy(interp.input(i)->data, runs[r][i].data(), runs[r][i].size());
      std::memcpy(m.input(arena.data, i), runs[r][i].data(), runs[r][i].size());
    }
    host.invoke();
    ASSERT_EQ(m.invoke(arena.data), kiln::Status::kOk);
    for (int o = 0; o < m.num_outputs; ++o) {
      const kiln::runtime::Tensor* want = interp.output(o);
      ASSERT_EQ(m.output_bytes(o), want->bytes);
      const uint8_t* got = m.output(arena.data, o);
      size_t first_diff = want->bytes;
      for (size_t k = 0; k < want->bytes; ++k) {
        if (got[k] != want->data[k]) {
          first_diff = k;
          break;
        }
      }
      EXPECT_EQ(first_diff, want->bytes) << m.path << " run " << r << " output " << o << ": first differing byte "
                                         << first_diff << " of " << want->bytes;
    }
  }
}

TEST(AotContract, RejectsNullAndMisalignedArenas) {
  const AotModel& m = kModels[0];
  EXPECT_EQ(m.init(nullptr), kiln::Status::kInvalidArgument);
  EXPECT_EQ(m.invoke(nullptr), kiln::Status::kInvalidArgument);
  Arena arena(m.arena_size + 16);
  EXPECT_EQ(m.invoke(arena.data + 1), kiln::Status::kInvalidArgument);
  EXPECT_EQ(m.input(nullptr, 0), nullptr);
}

TEST(AotContract, EveryShippedModelIsCompiled) {
  size_t tflite_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(KILN_MODELS_DIR)) {
    if (entry.path().extension() == ".tflite") ++tflite_files;
  }
  size_t compiled = 0;
  for (const AotModel& m : kModels) compiled += std::string(m.path).rfind(KILN_MODELS_DIR, 0) == 0 ? 1 : 0;
  EXPECT_EQ(compiled, tflite_files);
  EXPECT_GT(tflite_files, 100u);
}

std::string param_name(const ::testing::TestParamInfo<AotModel>& info) { return info.param.id; }

INSTANTIATE_TEST_SUITE_P(AllModels, AotEquality, ::testing::ValuesIn(kModels), param_name);

}  // namespace
