#!/usr/bin/env bash
# kiln demo: the shipped models through the `kiln` command-line tool.
#   scripts/demo.sh BUILD_DIR      (`make demo` runs it on build/release)
# Shows each model's size, operators, MACs and arena; person_detect's verdict
# on the two upstream bitmaps; hello_world's sine approximations; the other
# models on a recorded input. Needs only bash and awk.
set -uo pipefail

build=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
kiln="$build/tools/cli/kiln"
models="$root/testdata/models"
if [ ! -x "$kiln" ]; then
  echo "demo: $kiln not found; build first (make build)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

section() { printf '\n== %s ==\n' "$1"; }

# kiln_run ARGS...: runs kiln, keeps stdout in $tmp/out; on failure prints
# kiln's message and returns non-zero.
kiln_run() {
  if ! "$kiln" "$@" >"$tmp/out" 2>"$tmp/err"; then
    sed 's/^/  /' "$tmp/err"
    failures=$((failures + 1))
    return 1
  fi
}

# "7.19 ms" from run's first line "...: N run(s), 7.19 ms per inference ..."
per_inference() { head -1 "$tmp/out" | sed -n 's/.*run(s), \(.*\) per inference.*/\1/p'; }

section "Models ($("$kiln" --version))"
for m in "$models"/tflm/*.tflite "$models"/mlperf-tiny/*.tflite; do
  if "$kiln" inspect "$m" >"$tmp/out" 2>"$tmp/err"; then
    printf '  %s\n' "$(head -1 "$tmp/out")"
  else
    # inspect still describes what it could read before saying why not.
    printf '  %s\n    not runnable: %s\n' "$(head -1 "$tmp/out")" "$(sed 's/^kiln: error: //' "$tmp/err")"
    failures=$((failures + 1))
  fi
done

section "person_detect: is there a person in the picture?"
pd="$models/tflm/person_detect.tflite"
if kiln_run plan "$pd"; then
  printf '  %s\n' "$(head -1 "$tmp/out")"
fi
for img in person no_person; do
  if kiln_run run "$pd" --input "$models/tflm/$img.bmp" --output "$tmp/$img.csv" --repeat 10; then
    IFS=, read -r no_score yes_score <"$tmp/$img.csv"
    if [ "$yes_score" -gt "$no_score" ]; then verdict="PERSON"; else verdict="no person"; fi
    printf '  %-14s scores [no person %4d, person %4d]  ->  %-9s  (%s per inference)\n' \
      "$img.bmp" "$no_score" "$yes_score" "$verdict" "$(per_inference)"
  fi
done

section "hello_world: a tiny network that learned sin(x)"
printf '  %8s  %10s  %12s  %12s\n' "x" "sin(x)" "float model" "int8 model"
for x in 0 0.5 1 1.5708 2 3 3.1416 4 4.7124 5.5 6.2832; do
  echo "$x" >"$tmp/x.csv"
  float_y="-"
  int8_y="-"
  if kiln_run run "$models/tflm/hello_world_float.tflite" -i "$tmp/x.csv" -o "$tmp/yf.csv"; then
    float_y=$(cat "$tmp/yf.csv")
  fi
  if kiln_run run "$models/tflm/hello_world_int8.tflite" --real -i "$tmp/x.csv" -o "$tmp/yq.csv"; then
    int8_y=$(cat "$tmp/yq.csv")
  fi
  awk -v x="$x" -v f="$float_y" -v q="$int8_y" \
    'BEGIN { printf "  %8s  %10.4f  %12.4f  %12.4f\n", x, sin(x), f, q }'
done

section "Other models on a recorded input (testdata/models/golden/*/input_0.bin)"
for name in micro_speech_quantized keyword_scrambled_8bit kws_ref_model_int8 ad01_int8 ad01_fp32; do
  model=$(ls "$models"/tflm/"$name".tflite "$models"/mlperf-tiny/"$name".tflite 2>/dev/null | head -1)
  [ -n "$model" ] || continue
  printf '  %s\n' "$name"
  if kiln_run run "$model" -i "$models/golden/$name/input_0.bin"; then
    printf '    %s per inference\n' "$(per_inference)"
    grep '^output' "$tmp/out" | sed 's/^/    /'
  fi
done

echo
if [ "$failures" -ne 0 ]; then
  echo "demo: $failures step(s) failed (see messages above)"
  exit 1
fi
echo "demo: done"
