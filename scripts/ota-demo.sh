#!/usr/bin/env bash
# Secure boot + atomic OTA of firmware and model, end to end on the host:
# `kiln` signs and bundles, kiln-ota-sim runs the device library (boot
# decision, update agent, health check) over a file-backed flash whose slot
# layout and upgrade mode come from the board's device tree.
# Usage: scripts/ota-demo.sh [BUILD_DIR] [BOARD]   (default: build, qemu-virt-rv32 = swap-scratch;
#        hifive-unmatched, visionfive2, rzfive boot pairs in place)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
board="${2:-qemu-virt-rv32}"
kiln="$build/tools/cli/kiln"
sim_bin="$build/tools/lib/image/kiln-ota-sim"
for t in "$kiln" "$sim_bin"; do
  [ -x "$t" ] || { echo "ota-demo: $t not built (cmake --build $build --target kiln kiln-ota-sim)" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
step() { printf '\n== %s\n' "$*"; }

step "the board's flash partitions (device tree), checked by the device library"
"$kiln" partitions "$board"
"$kiln" partitions "$board" --header slots.h >/dev/null
grep -c '^#define KILN_PARTITION_' slots.h | sed 's/^/slots.h: /; s/$/ partition macros for the firmware/'
sim() { "$sim_bin" flash.bin pub.pem "$@" --board "$board"; }

step "keys (PEM, like imgtool keygen)"
"$kiln" keygen -k key.pem --public pub.pem

step "sign firmware and model images v1 and v2 (MCUboot format, Ed25519)"
head -c 20000 /dev/urandom > fw.bin
head -c 8000 /dev/urandom > model.bin
golden="$root/testdata/models/golden/hello_world_int8"
for v in 1 2; do
  "$kiln" sign -k key.pem -v $v.0.0 -H 0x200 --pad-header -S 0x100000 -s $v --kind firmware --runtime-abi 1 \
    --op 3 --op 4 --op 9 fw.bin fw$v.img
  # The model carries its own health check: a stored input and the output it must give.
  "$kiln" sign -k key.pem -v $v.0.0 -H 0x20 --pad-header -S 0xa0000 -s $v --kind model --runtime-abi 1 \
    --op 9 --requires-firmware $v.0.0 --health-input "$golden/input_$v.bin" --health-output "$golden/output_$v.bin" \
    "$root/testdata/models/tflm/hello_world_int8.tflite" model$v.img
  "$kiln" bundle -k key.pem --firmware fw$v.img --model model$v.img -s $v \
    --firmware-requires-model $v.0.0 --board "$board" -o pair$v.kbnd
done
"$kiln" inspect-image model2.img -k pub.pem
"$kiln" verify -k pub.pem pair2.kbnd

step "attacks the device refuses"
cp pair2.kbnd tampered.kbnd
printf '\x42' | dd of=tampered.kbnd bs=1 seek=3000 conv=notrunc status=none
"$kiln" verify -k pub.pem tampered.kbnd || true
"$kiln" bundle -k key.pem --firmware fw2.img --model model1.img --firmware-requires-model 2.0.0 -o mix.kbnd || true

step "factory: pair v1 in slot A"
sim provision pair1.kbnd
sim boot

step "OTA of pair v2, power lost half-way, then resumed"
sim download pair2.kbnd --cut-at 15000
sim boot
sim download pair2.kbnd

step "trial boot of v2, health check (real inference) passes: confirmed, counter raised"
sim health model
sim boot

step "downgrade to v1 is refused (security counter)"
sim download pair1.kbnd || true

step "a v3 whose health check keeps failing is reverted after 3 boots"
"$kiln" sign -k key.pem -v 3.0.0 -H 0x200 --pad-header -S 0x100000 -s 3 --kind firmware fw.bin fw3.img
"$kiln" sign -k key.pem -v 3.0.0 -H 0x20 --pad-header -S 0xa0000 -s 3 --kind model model.bin model3.img
"$kiln" bundle -k key.pem --firmware fw3.img --model model3.img -s 3 --board "$board" -o pair3.kbnd
sim download pair3.kbnd
for i in 1 2 3; do sim health fail; done
sim boot
echo
echo "ota-demo: done"
