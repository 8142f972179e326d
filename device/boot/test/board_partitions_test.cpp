// Slot layouts from the boards' device trees (fixed-partitions read with
// libfdt, tools/lib/board/partitions) through the device's make_layout, and
// malformed partition nodes with the errors a board author sees.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "kiln/board/board.h"
#include "kiln/board/partitions.h"
#include "kiln/boot/swap.h"
#include "kiln/host/error.h"
#include "kiln/image/board_layout.h"

namespace kiln::boot {
namespace {

// Every board in boards/ describes a layout the device library accepts.
TEST(BoardPartitions, EveryBoardHasAValidLayout) {
  const auto names = board::board_names();
  ASSERT_GE(names.size(), 5u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const image::BoardLayout l = image::load_board_layout(name);
    EXPECT_EQ(l.partitions.get("mcuboot").offset, 0u);
    EXPECT_TRUE(l.partitions.get("mcuboot").read_only);
    EXPECT_EQ(l.table.firmware[0].size, l.table.firmware[1].size);
    EXPECT_EQ(l.geometry.size, l.partitions.flash_size);
  }
}

TEST(BoardPartitions, QemuVirtSwapsThroughAScratchArea) {
  const image::BoardLayout l = image::load_board_layout("qemu-virt-rv32");
  EXPECT_EQ(l.table.mode, UpgradeMode::kSwap);
  EXPECT_EQ(l.geometry.size, 0x400000u);
  EXPECT_EQ(l.geometry.erase_size, 0x1000u);
  EXPECT_EQ(l.table.firmware[0].offset, 0x10000u);
  EXPECT_EQ(l.table.firmware[0].size, 0x100000u);
  EXPECT_EQ(l.table.model[1].size, 0xa0000u);
  EXPECT_EQ(l.table.scratch.size, 0x10000u);
  EXPECT_EQ(l.partitions.flash_base, 0x80000000u);
  const std::string header = image::layout_header(l);
  EXPECT_NE(header.find("#define KILN_PARTITION_IMAGE_0_OFFSET 0x10000u"), std::string::npos) << header;
  EXPECT_NE(header.find("#define KILN_UPGRADE_MODE_SWAP 1"), std::string::npos) << header;
  EXPECT_NE(header.find("::kiln::boot::UpgradeMode::kSwap"), std::string::npos) << header;
  EXPECT_EQ(image::layout_json(l)["swap"]["chunks"], 16 + 10 + 1);
}

TEST(BoardPartitions, ApplicationClassBoardsBootPairsInPlace) {
  for (const char* name : {"hifive-unmatched", "visionfive2", "rzfive"}) {
    const image::BoardLayout l = image::load_board_layout(name);
    EXPECT_EQ(l.table.mode, UpgradeMode::kDirect) << name;
    EXPECT_EQ(l.table.scratch.size, 0u) << name;
  }
}

// A minimal board with the partitions node replaced by `partitions`.
std::string write_board(const std::string& name, const std::string& partitions) {
  const std::string path = ::testing::TempDir() + "kiln_" + name + ".dts";
  std::ofstream out(path);
  out << "/dts-v1/;\n/ {\n #address-cells = <1>;\n #size-cells = <1>;\n"
         " cpus { #address-cells = <1>; #size-cells = <0>; timebase-frequency = <1000000>;\n"
         "  cpu@0 { device_type = \"cpu\"; reg = <0>; riscv,isa = \"rv32imac\"; clock-frequency = <1000000>; }; };\n"
         " flash: flash@20000000 { reg = <0x20000000 0x40000>; kiln,kind = \"flash\";\n"
      << partitions
      << " };\n sram: sram@80000000 { reg = <0x80000000 0x10000>; kiln,kind = \"sram\"; };\n"
         " kiln { compatible = \"kiln,board\"; kiln,flash = <&flash>; kiln,ram = <&sram>;\n"
         "  kiln,stack-size = <0x1000>; kiln,model-slot-size = <0x1000>; };\n};\n";
  return path;
}

std::string part(const char* label, uint32_t off, uint32_t size) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %s@%x { label = \"%s\"; reg = <0x%x 0x%x>; };\n", label, off, label, off, size);
  return buf;
}

// 256 KiB flash, 4 KiB blocks: fw 32K, model 16K, manifest 4K per slot.
std::string partitions(const std::string& mode, uint32_t fw_b_size = 0x8000, uint32_t scratch_off = 0x1d000,
                       const char* model_b_label = "image-3") {
  std::string s = "  partitions { compatible = \"fixed-partitions\"; #address-cells = <1>; #size-cells = <1>;\n"
                  "  kiln,upgrade-mode = \"" + mode + "\"; kiln,erase-block-size = <0x1000>; kiln,write-block-size = <8>;\n";
  s += part("mcuboot", 0x0, 0x4000);
  s += part("image-0", 0x4000, 0x8000) + part("image-2", 0xc000, 0x4000) + part("kiln-manifest-0", 0x10000, 0x1000);
  s += part("image-1", 0x11000, fw_b_size) + part(model_b_label, 0x19000, 0x4000) +
       part("kiln-manifest-1", 0x1d000 + (scratch_off == 0x1d000 ? 0x3000 : 0), 0x1000);
  s += part("kiln-security-counter", 0x21000, 0x1000);
  if (mode == "swap-scratch") s += part("image-scratch", scratch_off, 0x1000) + part("kiln-swap-status", 0x22000, 0x2000);
  return s + "  };\n";
}

std::string load_error(const std::string& name, const std::string& parts) {
  try {
    (void)image::load_board_layout(write_board(name, parts));
  } catch (const host::ToolError& e) {
    return e.what();
  }
  return "";
}

TEST(BoardPartitions, ReadsAWellFormedBoard) {
  const image::BoardLayout l = image::load_board_layout(write_board("good", partitions("swap-scratch")));
  EXPECT_EQ(l.table.mode, UpgradeMode::kSwap);
  EXPECT_EQ(l.table.manifest[1].offset, 0x20000u);
  EXPECT_EQ(l.table.scratch.offset, 0x1d000u);
  EXPECT_EQ(l.partitions.partitions.size(), 10u);
}

TEST(BoardPartitions, MalformedLayoutsFailWithTheReason) {
  EXPECT_NE(load_error("none", "").find("has no `partitions"), std::string::npos);
  EXPECT_NE(load_error("mode", partitions("copy")).find("kiln,upgrade-mode must be"), std::string::npos);
  EXPECT_NE(load_error("missing", partitions("direct-xip", 0x8000, 0x1d000, "image-9"))
                .find("no partition labelled \"image-3\""),
            std::string::npos);
  EXPECT_NE(load_error("unequal", partitions("direct-xip", 0x7000)).find("firmware slots differ in size"),
            std::string::npos);
  // Scratch placed on top of the security counter.
  const std::string overlap = load_error("overlap", partitions("swap-scratch", 0x8000, 0x21000));
  EXPECT_NE(overlap.find("overlaps scratch"), std::string::npos) << overlap;
  std::string outside = partitions("direct-xip");
  outside.replace(outside.find("0x21000 0x1000"), 14, "0x3f000 0x2000");
  EXPECT_NE(load_error("outside", outside).find("lies outside the 0x40000-byte flash"), std::string::npos);
  std::string misaligned = partitions("direct-xip");
  misaligned.replace(misaligned.find("0x21000 0x1000"), 14, "0x21000 0x0800");
  EXPECT_NE(load_error("misaligned", misaligned).find("not aligned to the 0x1000-byte erase block"), std::string::npos);
}

}  // namespace
}  // namespace kiln::boot
