#include <gtest/gtest.h>

#include "kiln/host/model_report.h"
#include "kiln/host/plan_report.h"

namespace kiln::host {
namespace {

using nlohmann::json;

json buffer(int tensor, const char* name, uint32_t offset, uint32_t size, uint32_t first, uint32_t last) {
  return {{"tensor", tensor}, {"name", name}, {"scratch_op", nullptr}, {"offset", offset},
          {"size", size}, {"first_op", first}, {"last_op", last}};
}

TEST(PlanPicture, DrawsEachBufferAcrossItsBytesWhileLive) {
  const json plan = {{"operators", 3},
                     {"buffers", {buffer(0, "in", 0, 8, 0, 0), buffer(1, "mid", 8, 8, 0, 1),
                                  buffer(2, "out", 0, 4, 1, 2)}}};
  EXPECT_EQ(plan_picture(plan, 4),
            "layout (columns: 4 B each; rows: operators)\n"
            "   0 |AABB|\n"
            "   1 |C.BB|\n"
            "   2 |C...|\n");
}

TEST(PlanText, SummarisesTheArenaAndListsBuffers) {
  json arena = {{"planned_bytes", 110}, {"lower_bound_bytes", 100}, {"persistent_bytes", 50},
                {"tensor_table_bytes", 20}, {"op_table_bytes", 10}, {"state_bytes", 0},
                {"kernel_data_bytes", 20}, {"workspace_bytes", 8}, {"required_bytes", 160}};
  const json plan = {{"operators", 1}, {"arena", arena}, {"buffers", {buffer(0, "x", 0, 110, 0, 0)}}};
  const std::string text = render_plan(plan);
  EXPECT_NE(text.find("arena: required 160 bytes = planned 110 + persistent 50"), std::string::npos) << text;
  EXPECT_NE(text.find("planned 110 bytes vs lower bound 100 (10.0% above)"), std::string::npos) << text;
  EXPECT_NE(text.find("  A            0        110  0-0       x\n"), std::string::npos) << text;
}

TEST(HumanFormats, ScaleToReadableUnits) {
  EXPECT_EQ(human_count(999), "999");
  EXPECT_EQ(human_count(7164000), "7.16M");
  EXPECT_EQ(human_count(336000), "336k");
  EXPECT_EQ(human_bytes(1000), "1000 B");
  EXPECT_EQ(human_bytes(84787), "82.8 KiB");
  EXPECT_EQ(human_bytes(3u << 20), "3.0 MiB");
  EXPECT_EQ(human_time(850), "850 ns");
  EXPECT_EQ(human_time(12400), "12.4 us");
  EXPECT_EQ(human_time(7190000), "7.19 ms");
  EXPECT_EQ(short_name("abcdefgh", 6), "abc...");
  EXPECT_EQ(short_name("abc", 6), "abc");
}

}  // namespace
}  // namespace kiln::host
