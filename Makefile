# memcgfs - see README.md.  The two commands that matter:
#   make run    install missing Debian packages (as root), build, mount at $(MNT)
#   make test   the whole suite; last line "N passed, N failed"
CC      ?= gcc
BUILD   ?= build
MNT     ?= /tmp/cg
SAN     ?=
OPT     ?= -O2
CFLAGS  := -std=gnu11 $(OPT) -g -Wall -Wextra -Werror -D_GNU_SOURCE -MMD -MP \
	   $(SAN) $(EXTRA_CFLAGS)
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS   := $(shell pkg-config --libs fuse3 2>/dev/null) -ljansson
LDLIBS  := -lurcu-bp -lpthread

CORE_SRC  := $(wildcard core/*.c) $(wildcard allocator/*.c)
FS_SRC    := $(wildcard fs/*.c)
# Pure parts of fs/ that unit tests link without FUSE.
FS_PURE   := fs/parse.c
UNIT_SRC  := $(wildcard tests/unit/test_*.c)

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
FS_OBJ    := $(FS_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/tools/bench/refd $(BUILD)/tools/bench/readbench \
	     $(BUILD)/tools/bench/allocbench $(BUILD)/tools/bench/statbench \
	     $(BUILD)/tools/bench/lrubench $(BUILD)/tools/bench/zombiebench \
	     $(BUILD)/tools/bench/runbench
HELPER_BIN := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(wildcard tests/helpers/*.c))
BIN       := $(if $(filter build,$(BUILD)),memcgfs,$(BUILD)/memcgfs)
# memcgfs-run and its LD_PRELOAD library, installed beside the daemon.
# The library is never built with sanitizers: it runs inside other programs.
RUN_DIR   := $(if $(filter build,$(BUILD)),.,$(BUILD))
RUN_BIN   := $(RUN_DIR)/memcgfs-run
PRELOAD   := $(RUN_DIR)/libmemcgfs-preload.so
PRELOAD_SRC := $(wildcard tools/run/preload/*.c)
PRELOAD_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-fPIC -fvisibility=hidden -fno-builtin-malloc -fno-builtin-free

.PHONY: all run test bench selftests zombiebench stress asan tsan deps clean umount check-layers
all: $(BIN) $(UNIT_BIN) $(BENCH_BIN) $(HELPER_BIN) $(RUN_BIN) $(PRELOAD) check-layers

$(BIN): $(FS_OBJ) $(CORE_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(FUSE_LIBS) $(LDLIBS)

$(BUILD)/fs/%.o: fs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUSE_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(CORE_OBJ) $(FS_PURE:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -Ifs -Icore -o $@ $^ $(LDLIBS)

# The peers' mallocs: jemalloc linked (its TLS model forbids dlopen), glibc,
# mimalloc and tcmalloc reached through dlopen, all in one process.
# The accounted column links core/ too (obj_cgroup charging).
$(BUILD)/tools/bench/allocbench: tools/bench/allocbench.c $(CORE_SRC) $(FS_PURE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ tools/bench/allocbench.c $(CORE_SRC) $(FS_PURE) \
		-lurcu-bp -lpthread -ldl -Wl,--no-as-needed -ljemalloc

$(BUILD)/tools/bench/%: tools/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS) $(LDLIBS)

# Small programs the bats tests run (poll waiters and the like).
$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

$(RUN_BIN): tools/run/memcgfs-run.c
	$(CC) $(CFLAGS) -o $@ $<

$(PRELOAD): $(PRELOAD_SRC) $(wildcard tools/run/preload/*.h)
	$(CC) $(PRELOAD_CFLAGS) -shared -o $@ $(PRELOAD_SRC) -ldl -lpthread

# The kernel's cgroup selftests, unmodified, under memcgfs-run (not part
# of make test: minutes, and it needs linux-source-6.12).
selftests: all
	@tools/selftests.sh $(BIN) $(RUN_DIR)

# core/ and allocator/ must stay testable without FUSE.
check-layers:
	@! grep -lE '#include <fuse' core/*.c core/*.h $(wildcard allocator/*.[ch]) \
		|| { echo "core/ or allocator/ includes FUSE headers"; exit 1; }

deps:
	@tools/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(MNT)
	@if mountpoint -q $(MNT); then echo "$(MNT) is already mounted"; \
	else ./memcgfs $(MNT) && echo "memcgfs mounted at $(MNT); 'make umount' to stop"; fi

umount:
	fusermount3 -u $(MNT)

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh ./memcgfs $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench/run.sh ./memcgfs $(BUILD)
	@tools/bench/allocbench.sh $(BUILD)
	@tools/bench/statbench.sh ./memcgfs $(BUILD)
	@tools/bench/lrubench.sh ./memcgfs $(BUILD)
	@tools/bench/zombiebench.sh ./memcgfs $(BUILD)
	@tools/bench/runbench.sh ./memcgfs $(BUILD) $(RUN_DIR)

# Issue #5's bar alone: 100,000 zombies' memory and read costs.
zombiebench: deps
	@$(MAKE) --no-print-directory all
	@tools/bench/zombiebench.sh ./memcgfs $(BUILD)

# Long races against ASan and TSan builds (not part of make test).
stress: deps
	@$(MAKE) -s --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	@$(MAKE) -s --no-print-directory BUILD=build/tsan OPT=-O1 SAN="-fsanitize=thread" all
	@ASAN_OPTIONS=detect_leaks=1 tests/stress/hierarchy.sh build/asan/memcgfs 60
	@TSAN_OPTIONS=halt_on_error=1 tests/stress/hierarchy.sh build/tsan/memcgfs 60

# Sanitizer builds live in their own trees and run the whole suite.
asan: deps
	@$(MAKE) -s --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		tests/run.sh build/asan/memcgfs build/asan

tsan: deps
	@$(MAKE) -s --no-print-directory BUILD=build/tsan OPT=-O1 SAN="-fsanitize=thread" all
	@TSAN_OPTIONS=halt_on_error=1 tests/run.sh build/tsan/memcgfs build/tsan

clean:
	rm -rf build memcgfs memcgfs-run libmemcgfs-preload.so

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
