// The reports: HTML is one self-contained file with model strings escaped,
// JSON carries the figures, and the `kiln validate` binary sets its exit code
// from the gate.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kiln/host/file_io.h"
#include "kiln/host/model_file.h"
#include "kiln/host/tensor_io.h"
#include "kiln/validate/report.h"
#include "kiln/validate/svg.h"
#include "validate_support.h"

namespace kiln::validate {
namespace {

ValidationReport sample_report() {
  ValidationReport r;
  r.float_model = "m<float>.tflite";
  r.int8_model = "m&int8.tflite";
  r.data = "data \"quoted\"";
  r.samples = 4;
  r.has_labels = true;
  r.classes = 2;
  StageReport s1;
  s1.name = "fp32-host";
  s1.title = "Stage 1: FP32 on host";
  s1.samples = 4;
  s1.accuracy = 75.0;
  s1.agreement = 100.0;
  StageReport s2 = s1;
  s2.name = "int8-host";
  s2.title = "Stage 2: INT8 on host";
  s2.drift.mean_abs = 0.01;
  r.stages = {s1, s2};
  LayerDrift a{0, "CONV_2D", "conv<script>alert(1)</script>", "name", 35.0, 5.0};
  LayerDrift b{1, "FULLY_CONNECTED", "fc'1", "name", std::numeric_limits<double>::infinity(), 0.0};
  r.layers.layers = {a, b};
  r.layers.worst = 0;
  r.layers.samples = 4;
  r.layers.matching = "name";
  r.confusion = ConfusionMatrix(2);
  r.confusion.add(0, 0);
  r.confusion.add(1, 0);
  r.histogram = Histogram::of({0.0f, 0.01f, 0.02f}, 10);
  r.gate.passed = false;
  r.gate.reasons = {"Stage 2: INT8 on host: <bad>"};
  return r;
}

TEST(Report, HtmlIsSelfContainedAndEscaped) {
  const std::string html = to_html(sample_report());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("conv&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("fc&#39;1"), std::string::npos);
  EXPECT_NE(html.find("m&lt;float&gt;.tflite"), std::string::npos);
  EXPECT_NE(html.find("m&amp;int8.tflite"), std::string::npos);
  EXPECT_NE(html.find("&lt;bad&gt;"), std::string::npos);
  // No external resources: the only URL is SVG's namespace.
  std::string rest = html;
  for (size_t p; (p = rest.find("http://www.w3.org/2000/svg")) != std::string::npos;) rest.erase(p, 26);
  EXPECT_EQ(rest.find("http"), std::string::npos);
  EXPECT_EQ(rest.find("src="), std::string::npos);
  // Verdict, the worst layer highlighted, the three plots.
  EXPECT_NE(html.find("verdict fail\">FAIL"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"worst\"><td>0</td>"), std::string::npos);
  EXPECT_NE(html.find("#d62728"), std::string::npos);
  size_t svgs = 0;
  for (size_t p = 0; (p = html.find("<svg", p)) != std::string::npos; ++p) ++svgs;
  EXPECT_EQ(svgs, 3u);
}

TEST(Report, JsonCarriesTheFigures) {
  const nlohmann::json j = to_json(sample_report());
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["stages"].size(), 2u);
  EXPECT_EQ(j["stages"][0]["accuracy_percent"], 75.0);
  EXPECT_EQ(j["stages"][1]["drift"]["mean_abs"], 0.01);
  EXPECT_EQ(j["worst_layer"]["tensor"], "conv<script>alert(1)</script>");
  EXPECT_TRUE(j["layers"]["tensors"][1]["sqnr_db"].is_null());  // infinity
  EXPECT_EQ(j["confusion"]["matrix"][1][0], 1);
  EXPECT_EQ(j["drift_histogram"]["counts"].size(), 10u);
}

TEST(Report, TextMarksTheWorstLayer) {
  const std::string t = to_text(sample_report());
  EXPECT_NE(t.find("kiln validate: FAIL"), std::string::npos);
  EXPECT_NE(t.find("<- worst"), std::string::npos);
  EXPECT_NE(t.find("gate: FAIL: Stage 2: INT8 on host: <bad>"), std::string::npos);
  EXPECT_NE(t.find("inf"), std::string::npos);
}

struct CliResult {
  int code = -1;
  std::string out;
};

CliResult run_cli(const std::string& args) {
  const std::string path = test::temp_file("cli.out", {});
  const std::string cmd = std::string(KILN_CLI_PATH) + " " + args + " >" + path + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

std::string kws_npy(size_t n, uint32_t seed) {
  const dataset::Dataset d = test::kws_data(n, seed);
  host::TensorSpec spec;
  spec.type = model::TensorType::kFloat32;
  spec.shape = {static_cast<int32_t>(n), 49, 10, 1};
  std::vector<uint8_t> bytes(spec.byte_size());
  for (size_t s = 0; s < n; ++s) std::memcpy(bytes.data() + s * 490 * 4, d.samples[s].data(), 490 * 4);
  const std::string path = test::temp_file("kws_" + std::to_string(n) + ".npy", {});
  host::write_tensor_file(path, spec, bytes);
  return path;
}

TEST(ValidateCli, GoodModelExitsZeroAndWritesReports) {
  const std::string data = kws_npy(20, 7);
  const std::string html = test::temp_file("report.html", {});
  const std::string json = test::temp_file("report.json", {});
  const CliResult r = run_cli("validate --float " + test::kws_float() + " --int8 " + test::kws_kiln_int8() + " --data " + data +
                              " --host-only --layer-samples 5 --html " + html + " --json " + json);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("kiln validate: PASS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Stage 2: INT8 on host"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(host::read_file_bytes(json));
  EXPECT_EQ(j["passed"], true);
  EXPECT_EQ(j["stages"][1]["samples"], 20);
  EXPECT_GT(host::read_file_bytes(html).size(), 2000u);
}

// Output tensor of op 5 (the third CONV_2D, after the input's QUANTIZE) in kiln's int8 KWS.
uint32_t conv5_output() {
  const host::LoadedModel m(test::kws_kiln_int8());
  return static_cast<uint32_t>(m.model().op(5).outputs[0]);
}

TEST(ValidateCli, BrokenLayerExitsNonZeroWithTheReason) {
  const std::string data = kws_npy(20, 7);
  const std::string broken = test::temp_file(
      "kws_cli_broken.tflite", test::with_scaled_tensor(host::read_file_bytes(test::kws_kiln_int8()), conv5_output(), 1.0f / 16));
  const CliResult r = run_cli("validate --float " + test::kws_float() + " --int8 " + broken + " --data " + data +
                              " --host-only --layer-samples 5");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("kiln: error: validation failed: Stage 2: INT8 on host: top-1 disagreement"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("worst layer: op 5 CONV_2D"), std::string::npos) << r.out;
}

TEST(ValidateCli, BadInputExitsNonZero) {
  const std::string data = kws_npy(3, 8);
  CliResult r = run_cli("validate --float " + test::kws_float() + " --int8 " + test::kws_kiln_int8() +
                        " --data /nonexistent.npy --host-only");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("kiln: error:"), std::string::npos) << r.out;
  r = run_cli("validate --float " + test::kws_float() + " --int8 " + test::kws_kiln_int8() + " --data " + data +
              " --labels /nonexistent-labels.idx --host-only");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("kiln: error:"), std::string::npos) << r.out;
  r = run_cli("validate --float " + test::kws_float() + " --data " + data + " --host-only --max-drift 5");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("--max-drift is a fraction"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace kiln::validate
