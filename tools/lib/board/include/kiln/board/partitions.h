// Flash partitions of a board, MCUboot/Zephyr style: a `fixed-partitions`
// node under the board's flash node (the one kiln,flash points to), with
// labelled partitions. kiln's labels:
//   mcuboot                    the boot loader (read-only)
//   image-0 / image-1          firmware, primary / secondary
//   image-2 / image-3          model, primary / secondary
//   kiln-manifest-0 / -1       the pair manifests with their boot trailers
//   kiln-security-counter      anti-rollback counter
//   image-scratch              swap-scratch only: the scratch area
//   kiln-swap-status           swap-scratch only: the swap log (two halves)
// and properties of the partitions node: kiln,upgrade-mode ("direct-xip" or
// "swap-scratch"), kiln,erase-block-size, kiln,write-block-size.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::board {

struct FlashPartition {
  std::string label;
  std::string node;  // e.g. partition@10000
  uint64_t offset = 0;  // from the start of the flash device
  uint64_t size = 0;
  bool read_only = false;
};

struct FlashPartitions {
  std::string source;      // the .dts/.dtb
  std::string flash_node;  // node that holds the partitions
  uint64_t flash_base = 0;  // CPU address of the flash (memory-mapped)
  uint64_t flash_size = 0;
  uint64_t erase_block = 0;
  uint64_t write_block = 0;
  std::string upgrade_mode;  // direct-xip | swap-scratch
  std::vector<FlashPartition> partitions;  // in device-tree order

  // The partition with `label`; throws BoardError naming the board if absent.
  const FlashPartition& get(const std::string& label) const;
  const FlashPartition* find(const std::string& label) const;
};

// Reads the partitions from a compiled device tree. Throws BoardError when
// the flash node has no fixed-partitions child or a partition is malformed.
FlashPartitions parse_partitions_blob(const std::vector<uint8_t>& dtb, const std::string& source);
// NAME (a folder in the boards directory) or a .dts/.dtb path, like load_board.
FlashPartitions load_partitions(const std::string& name_or_path);

}  // namespace kiln::board
