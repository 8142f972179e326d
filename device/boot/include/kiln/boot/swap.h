// Swap-scratch upgrades for parts that execute only from slot A (primary).
//
// The pair areas (firmware, model, manifest; trailers included) are cut into
// chunks of at most the scratch size. Each chunk is swapped in three steps,
// each of which erases its destination before copying, so any step can be
// redone from its start after a power cut:
//   A  scratch <- B[k]      B  B[k] <- A[k]      C  A[k] <- scratch
// Progress lives in a swap log, not in the slots: one write unit programmed
// (once, from erased) after each step. A torn unit counts as done, which is
// safe because a unit is only written once its step is complete.
//
// The log area has two halves; each upgrade starts a new log with a higher
// epoch in the half the previous log is not in, so erasing a log never
// touches the one in force. A header is {magic, epoch, ~epoch, chunks}:
// programming and erasing only move bits one way, so a torn header reads
// either exactly as written or invalid.
//   header | upgrade steps [3N] | revert begun | revert steps [3N] | revert done
#pragma once
#include <stdint.h>

#include "kiln/boot/slots.h"

namespace kiln::boot {

constexpr uint32_t kSwapSteps = 3;  // per chunk

uint32_t swap_chunk_count(const SlotLayout& layout);
// Bytes one log needs (each half of swap_status must hold one).
uint32_t swap_status_bytes(const SlotLayout& layout);

struct SwapLog {
  bool valid;          // a log exists (else nothing was ever swapped)
  uint32_t half;       // which half of swap_status holds it
  uint32_t epoch;
  uint32_t upgrade_steps;  // 0..3N done
  bool revert_begun;
  uint32_t revert_steps;   // 0..3N done
  bool revert_done;
  bool upgrade_complete(uint32_t chunks) const { return valid && upgrade_steps == kSwapSteps * chunks; }
};

Status read_swap_log(const SlotLayout& layout, SwapLog* log, Diag* diag);
// Starts a new log (erasing the other half) and swaps B into A.
Status swap_upgrade(const SlotLayout& layout, SwapLog* log, Diag* diag);
// Finishes whatever the log shows interrupted (upgrade or revert).
Status swap_resume(const SlotLayout& layout, SwapLog* log, Diag* diag);
// Swaps A and B back after an unconfirmed upgrade and rejects B (the pair
// that failed). Needs a log whose upgrade is complete.
Status swap_revert(const SlotLayout& layout, SwapLog* log, Diag* diag);

}  // namespace kiln::boot
