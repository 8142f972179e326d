#!/usr/bin/env bash
# Enforces the device core's charter on the cross-built libraries: no heap
# (malloc/free/new/delete), no exceptions, no C++ runtime symbols.
set -euo pipefail
nm=riscv64-unknown-elf-nm
forbidden='^(malloc|calloc|realloc|free|_Znw|_Zna|_Zdl|_Zda|__cxa_throw|__cxa_allocate_exception|__gxx_personality|_Unwind_Resume|__cxa_guard_acquire)'
status=0
for dir in "$@"; do
  lib="$dir/device/libkiln_device.a"
  [ -f "$lib" ] || { echo "check-device-core: missing $lib" >&2; exit 1; }
  bad=$($nm -u "$lib" | awk '{print $2}' | grep -E "$forbidden" | sort -u || true)
  if [ -n "$bad" ]; then
    echo "check-device-core: $lib references forbidden symbols:" >&2
    echo "$bad" >&2
    status=1
  else
    size=$(riscv64-unknown-elf-size -t "$lib" | tail -1 | awk '{print $1}')
    echo "check-device-core: $(basename "$dir"): no heap, no exceptions, no C++ runtime; text ${size} B"
  fi
done
exit $status
