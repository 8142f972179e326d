// `kiln sched` agrees with the measured host run on which tasks are
// schedulable. The pipeline runs on the posix port (one CPU, SCHED_FIFO where
// allowed) with KWS inference at 10 Hz; its worst observed times become a
// task set (the YAML `kiln sched` reads), and:
//   - every task the RTA calls schedulable met every deadline in the run and
//     in the simulation of the same set;
//   - an overloaded variant (comms given 25 ms of work every 20 ms, 0.6 s) is flagged
//     unschedulable for comms and inference, which miss in the run and in the
//     simulation, while the sampler stays schedulable and misses nothing.
// Where the system refuses real-time scheduling the run proves nothing about
// deadlines: the simulated scheduler stands in for it, and the output says so.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "kiln/osal/osal.h"
#include "pipeline.h"
#include "pipeline_sched.h"
#include "testdata.h"

namespace kiln::samples {
namespace {

PipelineReport run_pipeline(const PipelineConfig& config) {
  const testing::AlignedBytes bytes(
      testing::read_file(testing::testdata_path("models/mlperf-tiny/kws_ref_model_int8.tflite")));
  static testing::AlignedBytes arena(std::vector<uint8_t>(1 << 20));
  Diag diag;
  model::Model model;
  EXPECT_EQ(model.load(bytes.data(), bytes.size(), diag), Status::kOk) << diag.message();
  auto pipeline = std::make_unique<SensorPipeline>(model, arena.data(), arena.size());
  PipelineReport r;
  EXPECT_EQ(pipeline->run(config, &r), Status::kOk) << pipeline->diag().message();
  print_report(r, stdout);
  return r;
}

bool realtime_enforced(const PipelineReport& r) {
  const osal::Enforcement& e = osal::enforcement();
  if (r.realtime && e.priority_inheritance) return true;
  std::printf("NOT ENFORCED (%s): the host run cannot show deadlines; SIMULATED scheduler used instead\n", e.note);
  return false;
}

TEST(PipelineSchedulability, KilnSchedAgreesWithTheMeasuredRun) {
  PipelineConfig config;
  config.duration_us = 2000000;
  const PipelineReport r = run_pipeline(config);
  ASSERT_GT(r.inference.succeeded, 0u);
  const PipelineSchedule s = schedule_of(config, r, ::testing::TempDir() + "/pipeline_measured.yaml");
  print_schedule(s, stdout);

  // With measured host times the structure is schedulable: the sampler and
  // comms always; inference too (KWS takes a few ms of its 100 ms).
  EXPECT_TRUE(rta_schedulable(s, "sampler"));
  EXPECT_TRUE(rta_schedulable(s, "comms"));
  EXPECT_TRUE(rta_schedulable(s, "inference"));
  const bool rt = realtime_enforced(r);
  const std::map<std::string, uint32_t> missed = measured_misses(r);
  for (const sched::TaskResult& t : s.rta.tasks) {
    if (!t.schedulable) continue;
    EXPECT_EQ(s.sim.at(t.name).misses, 0u) << "SIMULATED " << t.name;
    if (rt) {
      EXPECT_EQ(missed.at(t.name), 0u) << t.name << " missed in the run although the RTA says schedulable";
    }
  }
  // Timer wake-ups of a loaded VM: counted, bounded (see sensor_pipeline_test).
  if (rt) {
    EXPECT_LE(r.sampler_misses_wakeup, r.samples / 100);
  }
}

TEST(PipelineSchedulability, OverloadedCommsIsFlaggedAndMisses) {
  PipelineConfig config;
  // Shorter than Linux's real-time throttling budget (950 ms of RT time per
  // second), which would otherwise stall every RT thread, the sampler too.
  config.duration_us = 600000;
  config.comms_work_us = 25000;  // every 20 ms: more than the CPU has
  const PipelineReport r = run_pipeline(config);
  const PipelineSchedule s = schedule_of(config, r, ::testing::TempDir() + "/pipeline_overloaded.yaml");
  print_schedule(s, stdout);

  EXPECT_TRUE(rta_schedulable(s, "sampler"));
  EXPECT_FALSE(rta_schedulable(s, "comms"));
  EXPECT_FALSE(rta_schedulable(s, "inference"));
  EXPECT_FALSE(s.rta.schedulable);
  // The simulator agrees: what the RTA flags misses, the sampler does not.
  EXPECT_EQ(s.sim.at("sampler").misses, 0u);
  EXPECT_GT(s.sim.at("comms").misses, 0u);
  EXPECT_GT(s.sim.at("inference").misses, 0u);
  if (realtime_enforced(r)) {
    const std::map<std::string, uint32_t> missed = measured_misses(r);
    EXPECT_EQ(missed.at("sampler"), 0u);
    EXPECT_GT(missed.at("comms"), 0u);
    EXPECT_GT(missed.at("inference"), 0u);
  }
}

}  // namespace
}  // namespace kiln::samples
