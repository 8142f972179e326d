// The protocol's frame codec on the host: round trips, every corruption is
// an error (never a crash or an overread), and the decoder resynchronises.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kiln/protocol/protocol.h"

namespace kiln::protocol {
namespace {

std::vector<uint8_t> encode(uint8_t type, uint16_t seq, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> out(kMaxFrame);
  out.resize(encode_frame(type, seq, payload.data(), payload.size(), out.data(), out.size()));
  return out;
}

TEST(Protocol, Crc32MatchesZlib) {
  const uint8_t text[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(crc32_update(0, text, 9), 0xCBF43926u);  // the standard check value
  EXPECT_EQ(crc32_update(crc32_update(0, text, 4), text + 4, 5), 0xCBF43926u);
}

TEST(Protocol, FrameRoundTrip) {
  const std::vector<uint8_t> payload = {1, 2, 3, 0xA5, 0x5A, 9};
  const auto bytes = encode(0x05, 0x1234, payload);
  ASSERT_EQ(bytes.size(), kHeaderBytes + payload.size() + kCrcBytes);
  Decoder d;
  for (size_t i = 0; i + 1 < bytes.size(); ++i) EXPECT_EQ(d.feed(bytes[i]), Decoder::Event::kNone);
  ASSERT_EQ(d.feed(bytes.back()), Decoder::Event::kFrame);
  EXPECT_EQ(d.frame().type, 0x05);
  EXPECT_EQ(d.frame().seq, 0x1234);
  EXPECT_EQ(std::vector<uint8_t>(d.frame().payload, d.frame().payload + d.frame().length), payload);
}

TEST(Protocol, EncodeRefusesOversizedPayloads) {
  std::vector<uint8_t> big(kMaxPayload + 1), out(kMaxFrame + 16);
  EXPECT_EQ(encode_frame(1, 1, big.data(), big.size(), out.data(), out.size()), 0u);
  EXPECT_EQ(encode_frame(1, 1, big.data(), 10, out.data(), 10), 0u);
}

TEST(Protocol, EveryBitFlipIsDetected) {
  const auto good = encode(0x03, 7, {10, 20, 30, 40, 50});
  for (size_t i = 2; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto bad = good;
      bad[i] ^= static_cast<uint8_t>(1 << bit);
      Decoder d;
      int frames = 0, errors = 0;
      for (uint8_t b : bad) {
        const auto ev = d.feed(b);
        frames += ev == Decoder::Event::kFrame;
        errors += ev == Decoder::Event::kError;
      }
      // Zeros finish a frame whose length grew; then a good frame decodes.
      for (size_t k = 0; k < kMaxFrame && errors == 0; ++k) errors += d.feed(0) == Decoder::Event::kError;
      EXPECT_EQ(frames, 0) << "byte " << i << " bit " << bit;
      EXPECT_EQ(errors, 1) << "byte " << i << " bit " << bit;
      int ok = 0;
      for (uint8_t b : good) ok += d.feed(b) == Decoder::Event::kFrame;
      EXPECT_EQ(ok, 1);
    }
  }
}

TEST(Protocol, TooLongIsReportedAtTheHeader) {
  Decoder d;
  const uint8_t hdr[] = {kSync0, kSync1, kVersion, 1, 3, 0, 0x01, 0x04};  // 1025 bytes
  Decoder::Event last = Decoder::Event::kNone;
  for (uint8_t b : hdr) last = d.feed(b);
  EXPECT_EQ(last, Decoder::Event::kError);
  EXPECT_EQ(d.error(), ErrorCode::kTooLong);
  EXPECT_EQ(d.error_seq(), 3);
}

TEST(Protocol, WrongVersionWithValidCrcIsReported) {
  auto bytes = encode(1, 1, {});
  bytes[2] = 9;
  const uint32_t crc = crc32_update(0, bytes.data() + 2, kHeaderBytes - 2);
  put_u32(bytes.data() + kHeaderBytes, crc);
  Decoder d;
  Decoder::Event last = Decoder::Event::kNone;
  for (uint8_t b : bytes) last = d.feed(b);
  EXPECT_EQ(last, Decoder::Event::kError);
  EXPECT_EQ(d.error(), ErrorCode::kBadVersion);
}

TEST(Protocol, RandomNoiseThenAValidFrame) {
  std::mt19937 rng(1);
  const auto good = encode(0x01, 99, {});
  for (int round = 0; round < 2000; ++round) {
    Decoder d;
    const size_t n = rng() % 3000;
    for (size_t i = 0; i < n; ++i) d.feed(static_cast<uint8_t>(rng()));
    for (size_t k = 0; k < kMaxFrame; ++k) d.feed(0);  // host's resync
    int frames = 0;
    for (uint8_t b : good) frames += d.feed(b) == Decoder::Event::kFrame;
    ASSERT_EQ(frames, 1) << "round " << round;
    EXPECT_EQ(d.frame().seq, 99);
  }
}

TEST(Protocol, ReaderChecksBounds) {
  const uint8_t data[] = {1, 2, 3, 4, 5};
  Reader r{data, sizeof data};
  uint32_t v = 0;
  uint16_t h = 0;
  uint64_t w = 0;
  EXPECT_TRUE(r.u32(&v));
  EXPECT_EQ(v, 0x04030201u);
  EXPECT_FALSE(r.u16(&h));
  EXPECT_FALSE(r.u64(&w));
  uint8_t b = 0;
  EXPECT_TRUE(r.u8(&b));
  EXPECT_EQ(b, 5);
  EXPECT_FALSE(r.u8(&b));
}

}  // namespace
}  // namespace kiln::protocol
