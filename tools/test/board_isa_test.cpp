// ISA strings from device tree -> canonical ISA, -march, -mabi, and the
// extensions the toolchain cannot target.
#include <gtest/gtest.h>

#include "kiln/board/isa.h"

namespace kiln::board {
namespace {

TEST(BoardIsa, CurrentBindingRv32imac) {
  const Isa isa = parse_isa("rv32i", {"i", "m", "a", "c", "zicsr", "zifencei"});
  EXPECT_EQ(isa.to_string(), "rv32imac_zicsr_zifencei");
  const Target t = derive_target(isa);
  EXPECT_EQ(t.march, "rv32imac_zicsr_zifencei");
  EXPECT_EQ(t.multilib_march, "rv32imac");
  EXPECT_EQ(t.mabi, "ilp32");
  EXPECT_TRUE(t.untargetable.empty());
}

TEST(BoardIsa, ExtensionsAreSortedCanonically) {
  const Isa isa = parse_isa("rv32i", {"zbb", "c", "f", "zicsr", "m", "zba", "a"});
  EXPECT_EQ(isa.to_string(), "rv32imafc_zicsr_zba_zbb");
  EXPECT_EQ(derive_target(isa).mabi, "ilp32f");
}

TEST(BoardIsa, OlderSingleStringWithZExtensions) {
  const Isa isa = parse_isa_string("rv32imafc_zba_zbb_zbs");
  EXPECT_EQ(isa.to_string(), "rv32imafc_zba_zbb_zbs");
  const Target t = derive_target(isa);
  EXPECT_EQ(t.march, "rv32imafc_zba_zbb_zbs");
  EXPECT_EQ(t.mabi, "ilp32f");
}

TEST(BoardIsa, GExpandsAndVersionsAreIgnored) {
  EXPECT_EQ(parse_isa_string("rv64gc").to_string(), "rv64imafdc_zicsr_zifencei");
  EXPECT_EQ(parse_isa_string("RV64IMAFDC").to_string(), "rv64imafdc");
  EXPECT_EQ(parse_isa_string("rv32i2p1m2p0a2p1c2p0_zicsr2p0").to_string(), "rv32imac_zicsr");
  EXPECT_EQ(derive_target(parse_isa_string("rv64gc")).mabi, "lp64d");
  EXPECT_EQ(derive_target(parse_isa_string("rv64imac")).mabi, "lp64");
  EXPECT_EQ(derive_target(parse_isa_string("rv32emc")).mabi, "ilp32e");
}

TEST(BoardIsa, VendorAndUntargetableExtensionsAreReportedNotDropped) {
  const Isa isa = parse_isa("rv64i", {"i", "m", "a", "f", "d", "c", "zicntr", "zicsr", "zihpm", "xandespmu"});
  EXPECT_TRUE(isa.has("xandespmu"));
  EXPECT_EQ(isa.to_string(), "rv64imafdc_zicntr_zicsr_zihpm_xandespmu");
  const Target t = derive_target(isa);
  EXPECT_EQ(t.march, "rv64imafdc_zicsr");
  EXPECT_EQ(t.untargetable, (std::vector<std::string>{"zicntr", "zihpm", "xandespmu"}));
}

TEST(BoardIsa, MalformedOrUnknownIsAClearError) {
  auto message = [](auto fn) {
    try {
      fn();
    } catch (const BoardError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([] { parse_isa_string("arm32imac"); }).find("must start with rv32 or rv64"), std::string::npos);
  EXPECT_NE(message([] { parse_isa_string("rv128i"); }).find("XLEN"), std::string::npos);
  EXPECT_NE(message([] { parse_isa_string("rv32imyc"); }).find("unknown ISA extension 'y'"), std::string::npos);
  EXPECT_NE(message([] { parse_isa_string("rv32imac_zfoo"); }).find("unknown ISA extension 'zfoo'"),
            std::string::npos);
  EXPECT_NE(message([] { parse_isa("rv32i", {"m", ""}); }).find("empty extension"), std::string::npos);
  EXPECT_NE(message([] { parse_isa("rv32i", {"m", "z b"}); }).find("malformed extension"), std::string::npos);
  EXPECT_NE(message([] { parse_isa("rv32imac", {"m"}); }).find("expected rv32i"), std::string::npos);
  EXPECT_NE(message([] { parse_isa_string("rv32imadc"); }).find("'d' requires 'f'"), std::string::npos);
  EXPECT_NE(message([] { parse_isa_string("rv32emfc"); }).find("E base"), std::string::npos);
}

}  // namespace
}  // namespace kiln::board
