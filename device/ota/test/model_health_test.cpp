// The post-update health check on a real model: hello_world_int8 with a
// TFLite Micro reference input/output pair stored in its signed image.
#include <gtest/gtest.h>

#include "../../boot/test/boot_fixture.h"
#include "kiln/host/file_io.h"
#include "kiln/ota/model_health.h"
#include "kiln/runtime/op_resolver.h"

namespace kiln::boot::testing {
namespace {

std::string data(const std::string& rel) { return std::string(KILN_TESTDATA_DIR) + "/" + rel; }

Status health_of(const std::vector<uint8_t>& expected_output, Diag* diag) {
  const auto key = test_key(9);
  image::SignOptions o;
  o.version = {1, 0, 0, 0};
  o.header_size = 32;
  o.pad_header = true;
  image::add_kiln_kind(&o, ImageKind::kModel);
  o.custom_tlvs.emplace_back(kTlvKilnHealthInput,
                             host::read_file_bytes(data("models/golden/hello_world_int8/input_0.bin")));
  o.custom_tlvs.emplace_back(kTlvKilnHealthOutput, expected_output);
  const auto img = image::sign_image(host::read_file_bytes(data("models/tflm/hello_world_int8.tflite")), o, &key);
  alignas(16) static uint8_t flash_mem[8192];
  memset(flash_mem, 0xff, sizeof(flash_mem));
  memcpy(flash_mem, img.data(), img.size());
  RamFlash flash({sizeof(flash_mem), 512, 8, 0xff}, flash_mem);
  const FlashArea area{&flash, 0, sizeof(flash_mem)};
  ImageInfo info;
  const uint8_t (*keys)[32] = reinterpret_cast<const uint8_t(*)[32]>(key.public_key.data());
  KILN_TRY(verify_image(area, image::sodium_crypto_port(), {keys, 1}, {}, &info, diag));
  EXPECT_EQ(info.health_input_size, 1u);
  alignas(16) static uint8_t arena[16 * 1024];
  return ota::check_model_health(flash_mem, info, runtime::all_ops(), arena, sizeof(arena), diag);
}

TEST(ModelHealth, PassesWithTheReferenceOutput) {
  Diag d;
  EXPECT_EQ(health_of(host::read_file_bytes(data("models/golden/hello_world_int8/output_0.bin")), &d), Status::kOk)
      << d.message();
}

TEST(ModelHealth, FailsWhenTheOutputDiffers) {
  auto wrong = host::read_file_bytes(data("models/golden/hello_world_int8/output_0.bin"));
  wrong[0] ^= 1;
  Diag d;
  EXPECT_NE(health_of(wrong, &d), Status::kOk);
  EXPECT_NE(std::string(d.message()).find("differs"), std::string::npos) << d.message();
}

}  // namespace
}  // namespace kiln::boot::testing
