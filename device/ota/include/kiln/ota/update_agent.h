// The device's update agent: receives a bundle in chunks with bounded RAM
// (one write unit and one image header), stages it into the pair slot that
// is not running, validates each image as soon as it is complete, and
// finally writes the trailer magic so that the next boot tries the new pair.
// After a reset, `resume` finds how far the staging got from the flash itself.
#pragma once
#include <stdint.h>

#include "kiln/boot/boot.h"
#include "kiln/ota/bundle_format.h"

namespace kiln::ota {

class UpdateAgent {
 public:
  UpdateAgent(const boot::BootConfig& cfg, const boot::BootDecision& running) : cfg_(cfg), running_(running) {}

  // Starts a new download: checks the header, erases the target slot
  // (manifest area first, so a half-staged slot never looks complete).
  Status start(const uint8_t header[kBundleHeaderSize], Diag* diag);
  // Continues an interrupted download; `next_offset` is where the sender
  // must resume. Fails (and the sender must start over) if what is staged
  // does not verify.
  Status resume(const uint8_t header[kBundleHeaderSize], uint32_t* next_offset, Diag* diag);
  // Accepts bundle bytes at `offset`, which must be next_offset().
  Status write(uint32_t offset, const uint8_t* data, uint32_t len, Diag* diag);
  // All bytes in: verifies the staged pair and marks the slot for a trial boot.
  Status finish(Diag* diag);

  uint32_t next_offset() const { return pos_; }
  uint32_t target_slot() const { return 1 - running_.slot; }

 private:
  Status check_target(const uint8_t header[kBundleHeaderSize], Diag* diag);
  Status flush_unit(uint32_t region, Diag* diag);
  Status region_complete(uint32_t r, Diag* diag);
  const boot::FlashArea& area(uint32_t r) const;
  uint32_t region_start(uint32_t r) const;

  const boot::BootConfig& cfg_;
  const boot::BootDecision& running_;
  BundleHeader header_{};
  bool active_ = false;
  uint32_t pos_ = 0;         // bundle bytes accepted
  uint8_t unit_[32] = {};    // bytes of the current write unit not yet programmed
  uint32_t unit_fill_ = 0;
  uint8_t image_header_[boot::kImageHeaderSize] = {};  // first bytes of the current image
  boot::Manifest manifest_{};
  bool manifest_ok_ = false;
  uint32_t verified_ = 0;    // regions verified so far
};

// After a trial boot: runs the health check and confirms the pair if it
// passes. A failing check leaves the pair unconfirmed; boot reverts it after
// cfg.max_attempts boots.
typedef bool (*HealthCheck)(const boot::BootDecision& booted, void* ctx);
Status confirm_if_healthy(const boot::BootConfig& cfg, const boot::BootDecision& booted, HealthCheck check,
                          void* ctx, bool* confirmed, Diag* diag);

}  // namespace kiln::ota
