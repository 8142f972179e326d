// make_layout against good and malformed partition tables: outside the
// flash, misaligned, overlapping, unequal pairs, a swap log too small.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kiln/boot/slots.h"
#include "kiln/boot/swap.h"

namespace kiln::boot {
namespace {

constexpr FlashGeometry kGeometry{64 * 1024, 4096, 8, 0xff};

struct LayoutTest : ::testing::Test {
  std::vector<uint8_t> mem = std::vector<uint8_t>(kGeometry.size, 0xff);
  RamFlash flash{kGeometry, mem.data()};
  SlotLayout layout{};
  Diag diag;

  // fw 8K, model 8K, manifest 4K per slot; counter 4K; scratch 4K; log 2 x 4K.
  static PartitionTable swap_table() {
    PartitionTable t = contiguous_partitions(kGeometry, 0x1000, {0x2000, 0x2000, 0x1000, 0x1000});
    t.mode = UpgradeMode::kSwap;
    t.scratch = {0xc000, 0x1000};
    t.swap_status = {0xd000, 0x2000};
    return t;
  }
  Status make(const PartitionTable& t) { return make_layout(&flash, t, &layout, &diag); }
  std::string message() const { return diag.message(); }
};

TEST_F(LayoutTest, AcceptsADirectTableAndPlacesEveryArea) {
  const PartitionTable t = contiguous_partitions(kGeometry, 0x1000, {5000, 3000, 1000, 100});
  ASSERT_EQ(make(t), Status::kOk) << message();
  EXPECT_EQ(layout.mode, UpgradeMode::kDirect);
  EXPECT_EQ(layout.area(0, Part::kFirmware).offset, 0x1000u);
  EXPECT_EQ(layout.area(0, Part::kFirmware).size, 0x2000u);  // 5000 rounded to the erase block
  EXPECT_EQ(layout.area(0, Part::kModel).offset, 0x3000u);
  EXPECT_EQ(layout.area(1, Part::kFirmware).offset, 0x5000u);
  EXPECT_EQ(layout.area(1, Part::kManifest).offset, 0x8000u);
  EXPECT_EQ(layout.counter.offset, 0x9000u);
  EXPECT_EQ(layout.counter.size, 0x1000u);
  EXPECT_EQ(layout.scratch.size, 0u);
}

TEST_F(LayoutTest, AcceptsASwapTableAndSizesItsLog) {
  ASSERT_EQ(make(swap_table()), Status::kOk) << message();
  EXPECT_EQ(layout.mode, UpgradeMode::kSwap);
  EXPECT_EQ(swap_chunk_count(layout), 5u);  // 2 + 2 + 1 chunks of 4K
  // 16-byte header + (2 x 3 x 5 + 2) units of 8 bytes.
  EXPECT_EQ(swap_status_bytes(layout), 16u + 32u * 8u);
  EXPECT_EQ(layout.swap_status.size, 0x2000u);
}

TEST_F(LayoutTest, RejectsAPartitionOutsideTheFlash) {
  PartitionTable t = swap_table();
  t.swap_status = {0xf000, 0x2000};
  EXPECT_EQ(make(t), Status::kOutOfRange);
  EXPECT_NE(message().find("swap status partition 0xf000+0x2000 lies outside"), std::string::npos) << message();
  t = swap_table();
  t.model[1] = {0xfffff000u, 0x2000};  // offset + size wraps around 32 bits
  EXPECT_EQ(make(t), Status::kOutOfRange) << message();
}

TEST_F(LayoutTest, RejectsMisalignedPartitions) {
  PartitionTable t = swap_table();
  t.counter.offset += 512;
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("security counter partition 0xb200+0x1000 is not aligned to the 0x1000-byte erase block"),
            std::string::npos)
      << message();
  t = swap_table();
  t.scratch.size = 0x800;
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("scratch"), std::string::npos) << message();
}

TEST_F(LayoutTest, RejectsOverlappingPartitions) {
  PartitionTable t = swap_table();
  t.scratch = {0x3000, 0x1000};  // inside model A
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("model A (0x3000+0x2000) overlaps scratch (0x3000+0x1000)"), std::string::npos)
      << message();
}

TEST_F(LayoutTest, RejectsPairsOfUnequalSize) {
  PartitionTable t = swap_table();
  t.firmware[1].size = 0x1000;
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("firmware slots differ in size (A 0x2000, B 0x1000)"), std::string::npos) << message();
}

TEST_F(LayoutTest, RejectsEmptyPartitionsAndASwapLogTooSmall) {
  PartitionTable t = swap_table();
  t.model[0].size = 0;
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("model A partition is empty"), std::string::npos) << message();
  t = swap_table();
  t.swap_status.size = 0x1000;  // halves of 2K are not erase-aligned
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("swap status needs two erase-aligned halves"), std::string::npos) << message();
  t = swap_table();
  t.mode = UpgradeMode::kDirect;  // scratch given for a direct layout
  EXPECT_EQ(make(t), Status::kInvalidArgument);
  EXPECT_NE(message().find("direct-xip"), std::string::npos) << message();
}

TEST_F(LayoutTest, RejectsAFlashGeometryThatIsNotAPowerOfTwo) {
  std::vector<uint8_t> small(48 * 1024, 0xff);
  RamFlash odd({48 * 1024, 3000, 8, 0xff}, small.data());
  EXPECT_EQ(make_layout(&odd, contiguous_partitions(odd.geometry(), 0, {3000, 3000, 3000, 3000}), &layout, &diag),
            Status::kInvalidArgument);
  EXPECT_NE(message().find("powers of two"), std::string::npos) << message();
}

}  // namespace
}  // namespace kiln::boot
