// The shipped boards (boards/*/board.dts, compiled with dtc, read with
// libfdt): every value kiln derives, checked against the datasheets.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kiln/board/board.h"
#include "kiln/board/board_cmake.h"
#include "kiln/board/board_report.h"

namespace kiln::board {
namespace {

TEST(BoardDts, QemuVirtRv32) {
  const Board b = load_board("qemu-virt-rv32");
  EXPECT_EQ(b.target.march, "rv32imac_zicsr_zifencei");
  EXPECT_EQ(b.target.multilib_march, "rv32imac");
  EXPECT_EQ(b.target.mabi, "ilp32");
  EXPECT_EQ(b.flash.base, 0x80000000u);
  EXPECT_EQ(b.flash.size, 4u << 20);
  EXPECT_EQ(b.ram.base, 0x80400000u);
  EXPECT_EQ(b.ram.size, 1u << 20);
  EXPECT_EQ(b.stack_bytes, 16u * 1024);
  EXPECT_EQ(b.model_slot_bytes, 512u * 1024);
  EXPECT_EQ(b.console_base, 0x10000000u);
  EXPECT_TRUE(b.emulated());
  EXPECT_EQ(b.qemu_system, "qemu-system-riscv32");
  EXPECT_EQ(b.qemu_ram_bytes(), 8u << 20);  // 5 MB -> 6 MB + 2 MB for QEMU's own device tree
}

TEST(BoardDts, Esp32c6DatasheetSizes) {
  const Board b = load_board("esp32c6");
  EXPECT_EQ(b.isa.to_string(), "rv32imac_zicsr_zifencei");
  EXPECT_EQ(b.target.mabi, "ilp32");
  EXPECT_EQ(b.clock_hz, 160000000u);
  EXPECT_EQ(b.ram.base, 0x40800000u);
  EXPECT_EQ(b.ram.size, 512u * 1024);
  EXPECT_EQ(b.flash.size, 4u << 20);
  EXPECT_FALSE(b.emulated());
}

TEST(BoardDts, RzFiveUsesOlderIsaStringAndReportsVendorExtension) {
  const Board b = load_board("rzfive");
  EXPECT_EQ(b.isa.xlen, 64);
  EXPECT_EQ(b.target.march, "rv64imafdc_zicsr_zifencei");
  EXPECT_EQ(b.target.mabi, "lp64d");
  EXPECT_EQ(b.target.untargetable, std::vector<std::string>{"xandespmu"});
  EXPECT_EQ(b.clock_hz, 1000000000u);
  EXPECT_EQ(b.ram.base, 0x48000000u);
  EXPECT_EQ(b.ram.size, 0x38000000u);
  EXPECT_EQ(b.memories.size(), 3u);
}

TEST(BoardDts, VisionFive2) {
  const Board b = load_board("visionfive2");
  EXPECT_EQ(b.target.march, "rv64imafdc_zicsr_zifencei_zba_zbb");
  EXPECT_EQ(b.target.untargetable, (std::vector<std::string>{"zicntr", "zihpm"}));
  EXPECT_EQ(b.ram.size, 4ull << 30);
  EXPECT_EQ(b.flash.size, 16u << 20);
  EXPECT_EQ(b.clock_hz, 1500000000u);
}

TEST(BoardDts, HifiveUnmatched) {
  const Board b = load_board("hifive-unmatched");
  EXPECT_EQ(b.target.march, "rv64imafdc");
  EXPECT_EQ(b.target.mabi, "lp64d");
  EXPECT_EQ(b.ram.size, 16ull << 30);
  EXPECT_EQ(b.flash.size, 32u << 20);
}

TEST(BoardDts, ReportsAndCMakeFragment) {
  const Board b = load_board("qemu-virt-rv32");
  const auto j = board_json(b);
  EXPECT_EQ(j["budgets"]["ram_bytes"], 1u << 20);
  EXPECT_EQ(j["qemu"]["ram_bytes"], 8u << 20);
  EXPECT_NE(board_text(b).find("-march       rv32imac_zicsr_zifencei"), std::string::npos);
  const std::string cm = board_cmake(b);
  EXPECT_NE(cm.find("set(KILN_BOARD_RAM_SIZE \"0x100000\")"), std::string::npos);
  EXPECT_NE(cm.find("set(KILN_BOARD_MULTILIB_MARCH \"rv32imac\")"), std::string::npos);
}

TEST(BoardDts, EveryShippedBoardLoads) {
  const auto names = board_names();
  EXPECT_GE(names.size(), 5u);
  for (const std::string& n : names) EXPECT_NO_THROW(load_board(n)) << n;
}

// The derived -march/-mabi must be accepted by the cross compiler (when installed).
TEST(BoardDts, DerivedMarchCompiles) {
  if (std::system("riscv64-unknown-elf-gcc --version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "riscv64-unknown-elf-gcc not installed: -march check skipped";
  }
  const auto dir = std::filesystem::temp_directory_path();
  const std::string src = (dir / "kiln_board_march.c").string();
  std::ofstream(src) << "int f(int a, int b) { return a * b; }\n";
  for (const std::string& n : board_names()) {
    const Board b = load_board(n);
    const std::string cmd = "riscv64-unknown-elf-gcc -march=" + b.target.march + " -mabi=" + b.target.mabi +
                            " -c -o /dev/null " + src + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << n << ": " << cmd;
  }
}

Board from_text(const std::string& dts) {
  const auto path = std::filesystem::temp_directory_path() / "kiln_board_test.dts";
  std::ofstream(path) << dts;
  return load_board(path.string());
}

std::string board_dts(const std::string& cpu_isa) {
  return "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>; model = \"t\"; compatible = \"t\";\n"
         "cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = \"cpu\"; reg = <0>;\n" +
         cpu_isa +
         " clock-frequency = <1000000>; }; };\n"
         "ram: memory@0 { device_type = \"memory\"; reg = <0x0 0x10000>; };\n"
         "fl: flash@100000 { kiln,kind = \"flash\"; reg = <0x100000 0x10000>; };\n"
         "kiln { compatible = \"kiln,board\"; kiln,flash = <&fl>; kiln,ram = <&ram>;\n"
         "kiln,stack-size = <0x1000>; kiln,model-slot-size = <0x1000>; }; };\n";
}

std::string error_of(const std::string& dts) {
  try {
    from_text(dts);
  } catch (const BoardError& e) {
    return e.what();
  }
  return "no error";
}

TEST(BoardDts, BadDescriptionsAreClearErrors) {
  EXPECT_EQ(from_text(board_dts("riscv,isa = \"rv32imc\";")).target.march, "rv32imc");
  EXPECT_NE(error_of(board_dts("riscv,isa = \"rv32imq!\";")).find("/cpus/cpu@0"), std::string::npos);
  EXPECT_NE(error_of(board_dts("riscv,isa-base = \"rv32i\"; riscv,isa-extensions = \"m\", \"zzz\";"))
                .find("unknown ISA extension 'zzz'"),
            std::string::npos);
  EXPECT_NE(error_of(board_dts("")).find("no riscv,isa-base"), std::string::npos);
  EXPECT_NE(error_of("/dts-v1/; / { syntax error").find("dtc failed"), std::string::npos);
  try {
    load_board("no-such-board");
    FAIL();
  } catch (const BoardError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown board 'no-such-board'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("esp32c6"), std::string::npos);
  }
}

}  // namespace
}  // namespace kiln::board
