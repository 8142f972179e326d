// Host signer and keys: PEM round trips, imgtool option semantics, and a
// fixed vector produced by MCUboot's imgtool (Ed25519) that kiln must both
// accept and reproduce byte for byte.
#include <gtest/gtest.h>

#include "kiln/boot/bytes.h"
#include "kiln/host/error.h"
#include "kiln/image/host_verify.h"
#include "kiln/image/image_dump.h"
#include "kiln/image/keys.h"
#include "kiln/image/signer.h"

namespace kiln::image {
namespace {

// A throwaway test key made by `imgtool keygen -t ed25519` and the image made by
// `imgtool sign -k key -v 1.2.3+7 -H 0x20 --pad-header -S 0x1000 -s 5
//  --custom-tlv 0xa5 0xc0ffee` from the 16 bytes "kiln-imgtool-vec".
const char* kImgtoolKey =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIMSdAhIcBtjYkPxAiGul3Dy1M1/4RxZ/6Ada4NufPtxO\n"
    "-----END PRIVATE KEY-----\n";
const char* kImgtoolPub =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAK2B+JYnV81VouWTyz0QKi6A6NBYGLZUrU95QIoQtyeY=\n"
    "-----END PUBLIC KEY-----\n";
const char* kImgtoolImageHex =
    "3db8f396000000002000130010000000000000000102030007000000000000006b696c6e2d696d67746f6f6c2d766563086913005000040005000000a5000300c0ffee0769900010002000b35913d784f6a2711996b7d5e5dc070c062c42c32e149b248042b9e653b793f201002000cd01ba458baadc4fb28ce90b5d65566503076b21779e4b9caac3745ea04494b8240040006602552ebec19047708a3f89c182f585de6d45c469dc7cbf14f5cfc9eedcfa9019e60a3673ad3762e95179d8070f5e9a7b93c174768d644f78884fb2fda1f302";

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return out;
}

SignOptions vector_options() {
  SignOptions o;
  o.version = parse_version("1.2.3+7");
  o.header_size = 0x20;
  o.pad_header = true;
  o.slot_size = 0x1000;
  o.security_counter = 5;
  o.custom_tlvs.emplace_back(0xa5, parse_tlv_value("0xc0ffee"));
  return o;
}

TEST(ImageSign, AcceptsAnImageSignedByImgtool) {
  const Ed25519Key pub = parse_key_pem(kImgtoolPub, "pub");
  const HostVerifyResult r = verify_image_bytes(from_hex(kImgtoolImageHex), {pub}, {});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.info.security_counter, 5u);
  EXPECT_EQ(r.info.header.version.build, 7u);
}

TEST(ImageSign, ReproducesImgtoolByteForByte) {
  const Ed25519Key key = parse_key_pem(kImgtoolKey, "key");
  const std::string payload = "kiln-imgtool-vec";
  const auto img = sign_image(std::vector<uint8_t>(payload.begin(), payload.end()), vector_options(), &key);
  EXPECT_EQ(to_hex(img.data(), img.size()), kImgtoolImageHex);
}

TEST(ImageSign, PemRoundTripAndPublicKeyOfPrivateKey) {
  const Ed25519Key key = parse_key_pem(kImgtoolKey, "key");
  EXPECT_TRUE(key.has_private);
  EXPECT_EQ(private_key_pem(key), kImgtoolKey);
  EXPECT_EQ(public_key_pem(key), kImgtoolPub);
  const Ed25519Key fresh = generate_key();
  const Ed25519Key back = parse_key_pem(private_key_pem(fresh), "fresh");
  EXPECT_EQ(back.public_key, fresh.public_key);
  EXPECT_FALSE(parse_key_pem(public_key_pem(fresh), "pub").has_private);
  EXPECT_THROW(parse_key_pem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "rsa"),
               host::ToolError);
  EXPECT_THROW(parse_key_pem("-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n-----END PRIVATE KEY-----\n", "short"),
               host::ToolError);
}

TEST(ImageSign, ErrorMessagesNeverContainKeyMaterial) {
  const Ed25519Key key = parse_key_pem(kImgtoolKey, "key");
  const std::string seed_hex = to_hex(key.seed.data(), key.seed.size());
  try {
    sign_image(std::vector<uint8_t>(10, 1), vector_options(), &key);  // no --pad-header room: error
  } catch (const host::ToolError& e) {
    EXPECT_EQ(std::string(e.what()).find(seed_hex), std::string::npos);
  }
  SignOptions o = vector_options();
  o.pad_header = false;
  EXPECT_THROW(sign_image(std::vector<uint8_t>(100, 1), o, &key), host::ToolError);
}

TEST(ImageSign, ParsesVersionsCountersAndTlvsLikeImgtool) {
  const boot::ImageVersion v = parse_version("1.2.3+4");
  EXPECT_EQ(v.major, 1);
  EXPECT_EQ(v.minor, 2);
  EXPECT_EQ(v.revision, 3);
  EXPECT_EQ(v.build, 4u);
  EXPECT_EQ(parse_version("7").major, 7);
  EXPECT_THROW(parse_version("1.2.3.4"), host::ToolError);
  EXPECT_THROW(parse_version("256.0.0"), host::ToolError);
  EXPECT_THROW(parse_version("1.x"), host::ToolError);
  EXPECT_EQ(auto_security_counter(v), (1u << 24) + (2u << 16) + 3u);
  EXPECT_EQ(parse_tlv_value("0x0a0B"), (std::vector<uint8_t>{0x0a, 0x0b}));
  EXPECT_EQ(parse_tlv_value("ab"), (std::vector<uint8_t>{'a', 'b'}));
  EXPECT_THROW(parse_tlv_value("0x123"), host::ToolError);
  EXPECT_EQ(parse_custom_tlv_tag("0xa0"), 0xa0);
  EXPECT_THROW(parse_custom_tlv_tag("0x50"), host::ToolError);
  EXPECT_THROW(parse_custom_tlv_tag("0xffff"), host::ToolError);
}

TEST(ImageSign, PadsToTheSlotWithTheTrailerAndChecksTheSlotSize) {
  const Ed25519Key key = parse_key_pem(kImgtoolKey, "key");
  SignOptions o = vector_options();
  o.confirm = true;
  o.align = 8;
  const auto img = sign_image(std::vector<uint8_t>(100, 1), o, &key);
  ASSERT_EQ(img.size(), 0x1000u);
  EXPECT_EQ(img[img.size() - 16], 0x77);  // boot magic
  EXPECT_EQ(img[img.size() - 24], 0x01);  // image_ok
  EXPECT_EQ(dump_image(img).trailer, "confirmed (magic, image_ok)");
  EXPECT_EQ(trailer_size(o), 128u * 3 * 8 + 8 * 4 + 16);
  o.slot_size = 0x400;  // 100 bytes + trailer of 3120 bytes do not fit
  EXPECT_THROW(sign_image(std::vector<uint8_t>(100, 1), o, &key), host::ToolError);
}

}  // namespace
}  // namespace kiln::image
