#!/usr/bin/env bash
# kiln demo: the shipped models at a glance, then kiln's main job on a model
# trained in PyTorch:
#   kiln import (ONNX -> float .tflite) -> kiln quantize (int8, calibrated on
#   1,000 training images) -> kiln validate on the 10,000 Fashion-MNIST test
#   images: FP32 on host, INT8 on host, INT8 on the emulated RISC-V board.
#   scripts/demo.sh BUILD_DIR      (`make demo` runs it on build/release)
# Needs the rv32imac agent for stage 3 (`make cross`; `make demo` builds it).
set -uo pipefail

build=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
kiln="$build/tools/cli/kiln"
models="$root/testdata/models"
if [ ! -x "$kiln" ]; then
  echo "demo: $kiln not found; build first (make build)" >&2
  exit 1
fi
out="$build/demo"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

section() { printf '\n== %s ==\n' "$1"; }

section "Models ($("$kiln" --version))"
for m in "$models"/tflm/*.tflite "$models"/mlperf-tiny/*.tflite; do
  if "$kiln" inspect "$m" >"$tmp/out" 2>"$tmp/err"; then
    printf '  %s\n' "$(head -1 "$tmp/out")"
  else
    printf '  %s\n    not runnable: %s\n' "$(head -1 "$tmp/out")" "$(sed 's/^kiln: error: //' "$tmp/err")"
    failures=$((failures + 1))
  fi
done

section "person_detect: is there a person in the picture?"
pd="$models/tflm/person_detect.tflite"
for img in person no_person; do
  if "$kiln" run "$pd" --input "$models/tflm/$img.bmp" --output "$tmp/$img.csv" >/dev/null 2>"$tmp/err"; then
    IFS=, read -r no_score yes_score <"$tmp/$img.csv"
    if [ "$yes_score" -gt "$no_score" ]; then verdict="PERSON"; else verdict="no person"; fi
    printf '  %-14s scores [no person %4d, person %4d]  ->  %s\n' "$img.bmp" "$no_score" "$yes_score" "$verdict"
  else
    sed 's/^/  /' "$tmp/err"
    failures=$((failures + 1))
  fi
done

# step TITLE ARGS...: runs kiln with its output shown, timed; counts failures.
step() {
  local title=$1 start=$SECONDS
  shift
  printf '\n-- %s\n$ kiln %s\n' "$title" "$*"
  if "$kiln" "$@"; then
    printf '   (%d s)\n' $((SECONDS - start))
    return 0
  fi
  failures=$((failures + 1))
  printf '   FAILED after %d s\n' $((SECONDS - start))
  return 1
}

section "Fashion-MNIST: PyTorch model -> INT8 on the emulated RISC-V board, validated"
onnx="$root/examples/fashion_mnist/fashion_mnist.onnx"
data=/usr/share/datasets/fashion-mnist
pipeline_start=$SECONDS
if [ ! -f "$onnx" ] || [ ! -f "$data/t10k-images-idx3-ubyte.gz" ]; then
  echo "  missing $onnx or $data (Debian package dataset-fashion-mnist)"
  failures=$((failures + 1))
else
  # Stage 3 runs on QEMU with the firmware agent from the rv32imac cross build.
  agent=${KILN_AGENT_ELF:-$(cd "$build/.." && pwd)/rv32imac/target/firmware/kiln_agent.elf}
  board_args=(--board qemu-virt-rv32 --firmware "$agent")
  if [ ! -f "$agent" ]; then
    echo "  NOTE: $agent not found (make cross builds it): stage 3 on the board is SKIPPED, not passed"
    board_args=(--host-only)
    failures=$((failures + 1))
  fi
  pre=(--scale 0.00392156863)  # pixels / 255, as train.py fed the network
  step "import the ONNX model (NCHW -> NHWC, batch norm folded)" \
      import "$onnx" -o "$out/fashion_mnist.tflite" &&
  step "quantize to int8, calibrated on 1,000 training images" \
      quantize "$out/fashion_mnist.tflite" --calibration "$data/train-images-idx3-ubyte.gz" "${pre[@]}" \
      --limit 1000 -o "$out/fashion_mnist_int8.tflite" &&
  step "validate on the 10,000 test images: FP32 host, INT8 host, INT8 on the board" \
      validate --float "$out/fashion_mnist.tflite" --int8 "$out/fashion_mnist_int8.tflite" \
      --data "$data/t10k-images-idx3-ubyte.gz" --labels "$data/t10k-labels-idx1-ubyte.gz" "${pre[@]}" \
      "${board_args[@]}" --json "$out/report.json" --html "$out/report.html"
  printf '\n  pipeline: %d s; report: %s\n' $((SECONDS - pipeline_start)) "$(cd "$out" && pwd)/report.html"
fi

echo
if [ "$failures" -ne 0 ]; then
  echo "demo: $failures step(s) failed (see messages above)"
  exit 1
fi
echo "demo: done"
