# The two commands a newcomer needs: `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).
BUILD      ?= build
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: all deps build test test-host host-tool cross check-device demo bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD)/release $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD)/release -j $(JOBS)

# Unit, golden and fuzz-style tests under ASan+UBSan, then the freestanding
# cross builds of the device core for rv32imac and rv32imafc.
test: deps cross check-device test-host

PROBE_ELF := $(abspath $(BUILD))/rv32imac/target/firmware/kiln_probe.elf

SANITIZE_CONFIG = cmake -S . -B $(BUILD)/sanitize $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_SANITIZE=ON \
	  -DKILN_PROBE_ELF=$(PROBE_ELF) >/dev/null
# The host kiln, built first: firmware with an embedded model (kiln_add_model)
# asks it for the exact arena at build time.
HOST_KILN := $(abspath $(BUILD))/sanitize/tools/cli/kiln

host-tool: deps
	@$(SANITIZE_CONFIG)
	@cmake --build $(BUILD)/sanitize -j $(JOBS) --target kiln

test-host: deps cross
	@$(SANITIZE_CONFIG)
	@cmake --build $(BUILD)/sanitize -j $(JOBS)
	@ctest --test-dir $(BUILD)/sanitize --output-on-failure -j $(JOBS)

cross: deps host-tool
	@for arch in rv32imac:ilp32 rv32imafc:ilp32f; do \
	  march=$${arch%%:*}; mabi=$${arch##*:}; \
	  cmake -S . -B $(BUILD)/$$march $(CMAKE_GEN) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-riscv.cmake \
	    -DKILN_MARCH=$$march -DKILN_MABI=$$mabi -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_HOST_TOOL=$(HOST_KILN) >/dev/null && \
	  cmake --build $(BUILD)/$$march -j $(JOBS) || exit 1; \
	done

check-device: cross
	@scripts/check-device-core.sh $(BUILD)/rv32imac $(BUILD)/rv32imafc

# The demo needs the release host tools and the rv32imac firmware agent only
# (not the sanitizer build nor the rv32imafc one).
demo: build
	@cmake -S . -B $(BUILD)/rv32imac $(CMAKE_GEN) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-riscv.cmake \
	  -DKILN_MARCH=rv32imac -DKILN_MABI=ilp32 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD)/rv32imac -j $(JOBS) --target kiln_agent
	@scripts/demo.sh $(BUILD)/release

bench: build cross
	@$(BUILD)/release/bench/kiln_bench --probe $(PROBE_ELF) --json $(BUILD)/bench.json

clean:
	rm -rf $(BUILD)
