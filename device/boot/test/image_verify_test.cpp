// The device verifier against every kind of bad image: a flipped byte
// anywhere, truncation, another key, oversized and endless size fields,
// the wrong kind, a downgrade below the security counter.
#include <gtest/gtest.h>

#include "boot_fixture.h"
#include "kiln/boot/bytes.h"
#include "kiln/image/host_verify.h"

namespace kiln::boot::testing {
namespace {

using image::verify_image_bytes;

std::vector<uint8_t> signed_firmware(const image::Ed25519Key& key, uint32_t counter = 5) {
  image::SignOptions o;
  o.version = {1, 2, 3, 4};
  o.header_size = 64;
  o.pad_header = true;
  o.security_counter = counter;
  image::add_kiln_kind(&o, ImageKind::kFirmware);
  std::vector<uint8_t> payload(400);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 31);
  return image::sign_image(payload, o, &key);
}

VerifyPolicy strict(uint32_t min_counter = 0) {
  VerifyPolicy p;
  p.min_security_counter = min_counter;
  return p;
}

TEST(ImageVerify, AcceptsAndDescribesASignedImage) {
  const auto key = test_key(1);
  const auto img = signed_firmware(key);
  const auto r = verify_image_bytes(img, {key}, strict());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.info.header.hdr_size, 64);
  EXPECT_EQ(r.info.header.img_size, 400u);
  EXPECT_EQ(r.info.header.version.revision, 3);
  EXPECT_EQ(r.info.header.version.build, 4u);
  EXPECT_EQ(r.info.security_counter, 5u);
  EXPECT_EQ(r.info.kind, ImageKind::kFirmware);
  EXPECT_EQ(r.info.total_size, img.size());
  EXPECT_TRUE(r.info.signature_checked);
  EXPECT_EQ(r.info.key_index, 0);
}

TEST(ImageVerify, RejectsEverySingleFlippedByte) {
  const auto key = test_key(1);
  const auto img = signed_firmware(key);
  for (size_t i = 0; i < img.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80}) {
      auto bad = img;
      bad[i] ^= mask;
      const auto r = verify_image_bytes(bad, {key}, strict());
      EXPECT_FALSE(r.ok) << "flip 0x" << std::hex << int(mask) << " at " << std::dec << i;
      EXPECT_EQ(r.status, Status::kRejected) << "flip at " << i << ": " << r.error;
    }
  }
}

TEST(ImageVerify, RejectsEveryTruncation) {
  const auto key = test_key(1);
  const auto img = signed_firmware(key);
  for (size_t n = 0; n < img.size(); ++n) {
    const std::vector<uint8_t> cut(img.begin(), img.begin() + static_cast<long>(n));
    const auto r = verify_image_bytes(cut, {key}, strict());
    EXPECT_FALSE(r.ok) << "truncated to " << n;
    EXPECT_EQ(r.status, Status::kRejected) << "truncated to " << n << ": " << r.error;
  }
}

TEST(ImageVerify, RejectsASignatureByAnotherKey) {
  const auto r = verify_image_bytes(signed_firmware(test_key(2)), {test_key(1)}, strict());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, Status::kRejected);
  EXPECT_NE(r.error.find("not trusted"), std::string::npos) << r.error;
}

TEST(ImageVerify, RejectsAMatchingKeyHashWithAForgedSignature) {
  const auto key = test_key(1);
  auto img = signed_firmware(key);
  img[img.size() - 1] ^= 0x55;  // last byte of the Ed25519 signature
  const auto r = verify_image_bytes(img, {key}, strict());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("signature is invalid"), std::string::npos) << r.error;
}

TEST(ImageVerify, RejectsOversizedAndEndlessSizeFields) {
  const auto key = test_key(1);
  const auto img = signed_firmware(key);
  for (uint32_t huge : {0xffffffffu, 0xfffffff0u, 0x80000000u, static_cast<uint32_t>(img.size())}) {
    auto bad = img;
    store_le32(bad.data() + 12, huge);  // img_size
    const auto r = verify_image_bytes(bad, {key}, strict());
    EXPECT_FALSE(r.ok) << huge;
  }
  auto bad = img;
  store_le16(bad.data() + 8, 0xffff);  // hdr_size past the end
  EXPECT_FALSE(verify_image_bytes(bad, {key}, strict()).ok);
  // An unprotected TLV area claiming more bytes than exist.
  const auto r = verify_image_bytes(img, {key}, strict());
  bad = img;
  store_le16(bad.data() + r.info.hashed_size + 2, 0xfff0);
  const auto endless = verify_image_bytes(bad, {key}, strict());
  EXPECT_FALSE(endless.ok);
  EXPECT_NE(endless.error.find("does not fit"), std::string::npos) << endless.error;
}

TEST(ImageVerify, RejectsADowngradeBelowTheSecurityCounter) {
  const auto key = test_key(1);
  EXPECT_TRUE(verify_image_bytes(signed_firmware(key, 5), {key}, strict(5)).ok);
  const auto r = verify_image_bytes(signed_firmware(key, 4), {key}, strict(5));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, Status::kRejected);
  EXPECT_NE(r.error.find("downgrade"), std::string::npos) << r.error;
}

TEST(ImageVerify, RejectsTheWrongKindAndUnsignedImages) {
  const auto key = test_key(1);
  VerifyPolicy model = strict();
  model.expected_kind = ImageKind::kModel;
  EXPECT_FALSE(verify_image_bytes(signed_firmware(key), {key}, model).ok);
  image::SignOptions o;
  o.version = {1, 0, 0, 0};
  o.header_size = 32;
  o.pad_header = true;
  const auto unsigned_img = image::sign_image(std::vector<uint8_t>(100, 7), o, nullptr);
  EXPECT_FALSE(verify_image_bytes(unsigned_img, {key}, strict()).ok);
  VerifyPolicy hash_only{0, ImageKind::kUnknown, false};
  EXPECT_TRUE(verify_image_bytes(unsigned_img, {}, hash_only).ok);
}

TEST(ImageVerify, RejectsExtraUnprotectedTlvs) {
  // Anything outside the hash could be changed at will: only hash, key hash
  // and signature may live there.
  const auto key = test_key(1);
  auto img = signed_firmware(key);
  const auto r = verify_image_bytes(img, {key}, strict());
  const uint8_t extra[] = {0xb0, 0x00, 0x00, 0x00};
  img.insert(img.end(), extra, extra + 4);
  store_le16(img.data() + r.info.hashed_size + 2, static_cast<uint16_t>(img.size() - r.info.hashed_size));
  const auto bad = verify_image_bytes(img, {key}, strict());
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.error.find("unexpected unprotected TLV"), std::string::npos) << bad.error;
}

}  // namespace
}  // namespace kiln::boot::testing
