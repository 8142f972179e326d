// Runs the sensor pipeline for 3 s with continuous person_detect inference on
// the host port: the 1 kHz sampler must miss no deadline. The same timing
// (measured WCETs) also runs on the simulated scheduler, which stands in for
// the deadline checks where real-time scheduling is refused.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "kiln/osal/osal.h"
#include "pipeline.h"
#include "report_text.h"
#include "testdata.h"
#ifdef KILN_HAVE_SCHED_SIM
#include "pipeline_sched.h"
#endif

namespace kiln::samples {
namespace {

TEST(SensorPipeline, SamplerMeetsEveryDeadlineWhileInferenceRuns) {
  const testing::AlignedBytes bytes(testing::read_file(testing::testdata_path("models/tflm/person_detect.tflite")));
  static testing::AlignedBytes arena(std::vector<uint8_t>(1 << 20));
  Diag diag;
  model::Model model;
  ASSERT_EQ(model.load(bytes.data(), bytes.size(), diag), Status::kOk) << diag.message();
  auto pipeline = std::make_unique<SensorPipeline>(model, arena.data(), arena.size());

  PipelineConfig config;
  config.duration_us = 3000000;
  PipelineReport r;
  ASSERT_EQ(pipeline->run(config, &r), Status::kOk) << pipeline->diag().message();
  print_report(r, stdout);

  // Every thread ran at its rate for the whole run.
  EXPECT_GE(r.samples, 2900u);
  EXPECT_LE(r.samples, 3200u);  // the stopping thread is not real-time: it may stop late
  EXPECT_GE(r.comms_cycles, 140u);
  EXPECT_GE(r.windows, 29u);
  EXPECT_EQ(r.windows_dropped, 0u);
  // Continuous inference: every window was served (ok or stopped at its deadline).
  EXPECT_GE(r.inference.completed, r.windows - 1);
  EXPECT_GT(r.inference.succeeded, 0u);
  EXPECT_GT(r.inference.worst_run_us, 0u);

  const osal::Enforcement& e = osal::enforcement();
#ifdef KILN_HAVE_SCHED_SIM
  // The measured times on the simulated scheduler: the sampler and comms
  // miss nothing whatever inference takes (it is the lowest priority).
  const PipelineSchedule s = schedule_of(config, r, ::testing::TempDir() + "/pipeline_person_detect.yaml");
  print_schedule(s, stdout);
  EXPECT_EQ(s.sim.at("sampler").misses, 0u) << "SIMULATED";
  EXPECT_EQ(s.sim.at("comms").misses, 0u) << "SIMULATED";
  // R = C + B: only inference's window copy (the ring mutex) can delay it.
  EXPECT_LE(s.sim.at("sampler").worst_response_ns, s.tasks.at(0).wcet_ns + s.tasks.at(2).sections.at(0).duration_ns)
      << "SIMULATED";
#endif
  if (!r.realtime || !e.priority_inheritance) {
    std::printf("NOT ENFORCED: %s - real deadline checks on the sampler skipped%s\n", e.note,
#ifdef KILN_HAVE_SCHED_SIM
                "; SIMULATED scheduler checked instead (above)"
#else
                ""
#endif
    );
    GTEST_SKIP() << "real-time scheduling refused: " << e.note;
  }
  // What the design guarantees: the sampler never waits for the ring mutex
  // longer than inference's copy (inheritance: comms cannot stretch it), and
  // no deadline is missed because of anything in the pipeline.
  EXPECT_LE(r.sampler_max_lock_wait_us, r.inference_max_section_us + 200);
  EXPECT_EQ(r.sampler_misses - r.sampler_misses_wakeup, 0u);
  // A host kernel in a VM is not an RTOS: when the machine is loaded a timer
  // wake-up can come milliseconds late. Those misses are counted and printed;
  // on an idle machine they are 0. Allow 1% so that CI load is not a failure.
  EXPECT_LE(r.sampler_misses_wakeup, r.samples / 100) << "max jitter " << r.sampler_max_jitter_us << " us";
  EXPECT_EQ(r.comms_misses, 0u);
}

}  // namespace
}  // namespace kiln::samples
