// Every reader either decodes or throws ToolError on corrupted input; run
// under ASan/UBSan (make test) this also shows no out-of-bounds access.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "kiln/host/csv.h"
#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "kiln/host/image.h"
#include "kiln/host/npy.h"
#include "testdata.h"
#include "test_files.h"

namespace kiln::host {
namespace {

using model::TensorType;

// Deterministic corruptions of `file`: byte changes, truncations, extensions.
void for_each_mutation(const std::vector<uint8_t>& file, int count,
                       const std::function<void(const std::vector<uint8_t>&)>& f) {
  uint32_t state = 12345;
  auto next = [&] { return state = state * 1664525u + 1013904223u; };
  for (int i = 0; i < count; ++i) {
    std::vector<uint8_t> m = file;
    switch (next() % 4) {
      case 0: m.resize(next() % (m.size() + 1)); break;
      case 1: m.push_back(static_cast<uint8_t>(next())); break;
      default:
        for (int k = 0, n = 1 + static_cast<int>(next() % 4); k < n && !m.empty(); ++k) {
          // Mostly in the header, where sizes and offsets live.
          const size_t at = (next() % 2 ? next() % std::min<size_t>(m.size(), 160) : next() % m.size());
          m[at] = static_cast<uint8_t>(next() % 3 == 0 ? 0xff : next());
        }
    }
    f(m);
  }
}

void expect_only_tool_errors(const std::vector<uint8_t>& valid, const std::function<void(const std::vector<uint8_t>&)>& decode) {
  int decoded = 0, rejected = 0;
  for_each_mutation(valid, 3000, [&](const std::vector<uint8_t>& m) {
    try {
      decode(m);
      ++decoded;
    } catch (const ToolError&) {
      ++rejected;
    }
  });
  EXPECT_GT(rejected, 0);
  EXPECT_EQ(decoded + rejected, 3000);
}

TEST(Mutation, BmpDecoder) {
  const auto bmp = read_file_bytes(kiln::testing::testdata_path("models/tflm/person.bmp"));
  expect_only_tool_errors(bmp, [](const std::vector<uint8_t>& m) { decode_bmp(m, "m.bmp"); });
}

TEST(Mutation, PgmDecoder) {
  std::string pgm = "P5\n# c\n4 3\n255\n";
  pgm.append(12, 'x');
  expect_only_tool_errors(test::bytes_of(pgm), [](const std::vector<uint8_t>& m) { decode_pgm(m, "m.pgm"); });
  expect_only_tool_errors(test::bytes_of("P2 2 2 200\n1 2\n3 4\n"),
                          [](const std::vector<uint8_t>& m) { decode_pgm(m, "m.pgm"); });
}

TEST(Mutation, NpyReader) {
  const TensorSpec spec{"", TensorType::kInt16, {2, 3}};
  const auto npy = tensor_to_npy(spec, test::bytes_of(std::vector<int16_t>{1, -2, 3, -4, 5, -6}));
  expect_only_tool_errors(npy, [&](const std::vector<uint8_t>& m) { npy_to_tensor(m, spec, {}, "m.npy"); });
}

TEST(Mutation, CsvReader) {
  const TensorSpec spec{"", TensorType::kInt8, {4}};
  expect_only_tool_errors(test::bytes_of("1, -2,3\r\n4\n"), [&](const std::vector<uint8_t>& m) {
    csv_to_tensor(std::string(m.begin(), m.end()), spec, {}, "m.csv");
  });
}

}  // namespace
}  // namespace kiln::host
