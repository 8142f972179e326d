#!/usr/bin/env bash
# Installs the Debian packages kiln needs, only those that are missing.
# Used by `make demo`, `make test` and CI; safe to run again.
set -euo pipefail
packages=(
  cmake ninja-build g++ make
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libflatbuffers-dev flatbuffers-compiler
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf binutils-riscv64-unknown-elf
  qemu-system-misc
  device-tree-compiler libfdt-dev
  libsodium-dev
  libyaml-cpp-dev
  zlib1g-dev
  libonnx-dev libprotobuf-dev dataset-fashion-mnist
  mosquitto libmosquitto-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "kiln: installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
