# memcgfs - see README.md.  The two commands that matter:
#   make run    install missing Debian packages (as root), build, mount at $(MNT)
#   make test   the whole suite; last line "N passed, N failed"
# Neither builds nor needs the benchmarks' peers (jemalloc, mimalloc,
# gperftools, lxcfs): only `make bench` does.
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
FS_PURE   := fs/parse.c fs/ctl_parse.c
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
# The interface-file handlers without the FUSE plumbing (tests/fuzz/).
FS_MODEL  := $(filter-out fs/ops.c fs/ino.c fs/notify.c fs/main.c fs/throttle.c fs/worker_pool.c,$(FS_SRC))
FUZZ_REPLAY := $(BUILD)/tests/test_fuzz_corpus
FUZZ_SECONDS ?= 600
# The target sees the model's signals first (fuzz_model.c, __wrap_kill).
FUZZ_WRAP := -Wl,--wrap=kill,--wrap=pidfd_send_signal

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
FS_OBJ    := $(FS_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/tools/bench/refd $(BUILD)/tools/bench/readbench \
	     $(BUILD)/tools/bench/allocbench $(BUILD)/tools/bench/statbench \
	     $(BUILD)/tools/bench/lrubench $(BUILD)/tools/bench/zombiebench \
	     $(BUILD)/tools/bench/runbench $(BUILD)/tools/bench/parbench
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

# make install: PREFIX and DESTDIR as every GNU package has them.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/memcgfs
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
TOOLS_LIBEXEC := tools/zombie-scenarios.sh tools/drift.sh tools/fsop.pl

.PHONY: all run test bench bench-bin zombiebench stress asan tsan deps bench-deps \
	clean umount check-layers install uninstall fuzz clients selftests
# What make test needs: the daemon, unit tests and the bats helpers.
all: $(BIN) $(UNIT_BIN) $(HELPER_BIN) $(FUZZ_REPLAY) $(RUN_BIN) $(PRELOAD) check-layers
bench-bin: $(BENCH_BIN) $(RUN_BIN) $(PRELOAD)

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

# The fuzz target's seed corpus as a plain test (tests/run.sh runs it).
$(FUZZ_REPLAY): tests/fuzz/replay.c tests/fuzz/fuzz_model.c $(CORE_OBJ) \
		$(FS_MODEL:%.c=$(BUILD)/%.o)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUZZ_WRAP) -o $@ $^ -ljansson $(LDLIBS)

# The fuzz target under libFuzzer, ASan and UBSan, for FUZZ_SECONDS; new
# inputs collect in build/fuzz/corpus, crashes in build/fuzz/ (see
# docs/fuzzing.md).  clang 14 rejects liburcu's rcu_dereference() of the
# _Atomic pointers in list_lru.c: that file alone is gcc's, uninstrumented.
# cn_proc.c embeds the kernel's struct cn_msg (flexible array) in a
# netlink message as the kernel's own users do: a GNU extension clang
# warns about and gcc's gnu11 accepts.
FUZZ_GCC_SRC := core/list_lru.c
build/fuzz/gcc/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -c -o $@ $<

build/fuzz/fuzz_model: tests/fuzz/fuzz_model.c \
		$(filter-out $(FUZZ_GCC_SRC),$(CORE_SRC)) $(FS_MODEL) \
		$(FUZZ_GCC_SRC:%.c=build/fuzz/gcc/%.o) \
		$(wildcard core/*.h allocator/*.h fs/*.h)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
		-Wno-gnu-variable-sized-type-not-at-end -fno-omit-frame-pointer -fno-sanitize-recover=all \
		-fsanitize=fuzzer,address,undefined $(FUZZ_WRAP) -o $@ \
		$(filter %.c %.o,$^) -ljansson $(LDLIBS)

fuzz: build/fuzz/fuzz_model
	@tests/fuzz/run.sh build/fuzz/fuzz_model $(FUZZ_SECONDS)

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

# Small programs the bats tests run (poll waiters and the like).  Never
# sanitized: some run under memcgfs-run, whose LD_PRELOAD library would
# come before ASan's runtime, and the daemon is what the sanitizers test.
# static_*: linked -static, as Go's programs are (libc6-dev has libc.a).
$(BUILD)/tests/helpers/static_%: HELPER_LDFLAGS := -static
$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out $(SAN),$(CFLAGS)) $(HELPER_LDFLAGS) -o $@ $< $(LDLIBS)

$(RUN_BIN): tools/run/memcgfs-run.c
	$(CC) $(CFLAGS) -o $@ $<

$(PRELOAD): $(PRELOAD_SRC) $(wildcard tools/run/preload/*.h)
	$(CC) $(PRELOAD_CFLAGS) -shared -o $@ $(PRELOAD_SRC) -ldl -lpthread

# The kernel's cgroup selftests, unmodified, under memcgfs-run (not part
# of make test: minutes, and it needs linux-source-6.12).
selftests: all
	@tools/selftests.sh $(BIN) $(RUN_DIR)

# core/ and allocator/ must stay testable without FUSE.
# Outside allocator/ only its public headers: slab.h, kmalloc.h,
# page_alloc.h and, for the accounting hooks, slab_hook.h.  The
# allocator's own white-box test (tests/unit/test_slab.c) may look inside.
ALLOC_PUBLIC := slab|kmalloc|page_alloc|slab_hook
check-layers:
	@! grep -lE '#include <fuse' core/*.c core/*.h $(wildcard allocator/*.[ch]) \
		|| { echo "core/ or allocator/ includes FUSE headers"; exit 1; }
	@! grep -rnE '#include "([^"]*/)?allocator/' core fs tools tests \
		--include='*.[ch]' | grep -vE 'allocator/($(ALLOC_PUBLIC))\.h"' \
		| grep -v '^tests/unit/test_slab\.c:' \
		|| { echo "allocator/ internals (*_impl.h, magazine.h) included from outside allocator/"; exit 1; }

deps:
	@tools/install-deps.sh

bench-deps:
	@tools/install-deps.sh --bench

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	@mkdir -p $(MNT)
	@if mountpoint -q $(MNT); then echo "$(MNT) is already mounted"; \
	else ./memcgfs $(MNT) && echo "memcgfs mounted at $(MNT); 'make umount' to stop"; fi

umount:
	fusermount3 -u $(MNT)

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh ./memcgfs $(BUILD)

# Each benchmark's output is kept in $(BUILD)/bench/ and docs/benchmarks.md
# is written from them: the figures there are always the last run's.
bench: bench-deps
	@$(MAKE) --no-print-directory $(BIN) bench-bin
	@tools/bench/all.sh ./memcgfs $(BUILD) docs/benchmarks.md

# The zombie benchmark alone: 100,000 zombies' memory and read costs.
zombiebench: bench-deps
	@$(MAKE) --no-print-directory $(BIN) bench-bin
	@tools/bench/zombiebench.sh ./memcgfs $(BUILD)

# Long races against ASan and TSan builds (not part of make test): the
# hierarchy churn, then writers killed during their own charges, then
# writers on disjoint subtrees served in parallel (and the two-thread
# charge race of test_parallel under TSan).
stress: deps
	@$(MAKE) -s --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	@$(MAKE) -s --no-print-directory BUILD=build/tsan OPT=-O1 SAN="-fsanitize=thread" all
	@ASAN_OPTIONS=detect_leaks=1 tests/stress/hierarchy.sh build/asan/memcgfs 60
	@TSAN_OPTIONS=halt_on_error=1 tests/stress/hierarchy.sh build/tsan/memcgfs 60
	@ASAN_OPTIONS=detect_leaks=1 tests/stress/writers.sh build/asan/memcgfs 120 4
	@TSAN_OPTIONS=halt_on_error=1 tests/stress/writers.sh build/tsan/memcgfs 120 4
	@ASAN_OPTIONS=detect_leaks=1 tests/stress/disjoint.sh build/asan/memcgfs 60 2
	@TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/test_parallel
	@TSAN_OPTIONS=halt_on_error=1 tests/stress/disjoint.sh build/tsan/memcgfs 60 2

# Sanitizer builds live in their own trees and run the whole suite.  They
# run slower (tests scale their time bounds by MEMCGFS_TIME_SCALE, bats
# gets BATS_TIMEOUT seconds).  ASan keeps freed memory in a 256 MiB
# quarantine (quarantine_size_mb), with its shadow (1/8: +40 MiB over the
# quarantine and 64 MiB of renderings; hardening.bats measured +333 and
# +342 MiB), and TSan's shadow of the heap adds to RSS too (+109 MiB over
# 64 MiB of renderings): RSS bounds allow for them.
ASAN_TEST_ENV := MEMCGFS_TIME_SCALE=3 MEMCGFS_RSS_SLACK_MB=320 BATS_TIMEOUT=1800
TSAN_TEST_ENV := MEMCGFS_TIME_SCALE=5 MEMCGFS_RSS_SLACK_MB=256 BATS_TIMEOUT=2400
asan: deps
	@$(MAKE) -s --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 $(ASAN_TEST_ENV) \
		tests/run.sh build/asan/memcgfs build/asan

tsan: deps
	@$(MAKE) -s --no-print-directory BUILD=build/tsan OPT=-O1 SAN="-fsanitize=thread" all
	@TSAN_OPTIONS=halt_on_error=1 $(TSAN_TEST_ENV) \
		tests/run.sh build/tsan/memcgfs build/tsan

# The unit gets this PREFIX's path of the daemon.
install: $(BIN)
	install -Dm755 $(BIN) $(DESTDIR)$(BINDIR)/memcgfs
	install -Dm755 tools/memcgfs-top $(DESTDIR)$(BINDIR)/memcgfs-top
	install -Dm755 -t $(DESTDIR)$(LIBEXECDIR) $(TOOLS_LIBEXEC)
	install -Dm644 dist/memcgfs.1 $(DESTDIR)$(MANDIR)/man1/memcgfs.1
	install -Dm644 dist/memcgfs-sim.7 $(DESTDIR)$(MANDIR)/man7/memcgfs-sim.7
	@mkdir -p $(DESTDIR)$(UNITDIR)
	sed 's|@BINDIR@|$(BINDIR)|g' dist/memcgfs@.service \
		>$(DESTDIR)$(UNITDIR)/memcgfs@.service
	install -Dm644 dist/memcgfs.bash-completion $(DESTDIR)$(BASHCOMPDIR)/memcgfs
	ln -sf memcgfs $(DESTDIR)$(BASHCOMPDIR)/memcgfs-top

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/memcgfs $(DESTDIR)$(BINDIR)/memcgfs-top \
		$(addprefix $(DESTDIR)$(LIBEXECDIR)/,$(notdir $(TOOLS_LIBEXEC))) \
		$(DESTDIR)$(MANDIR)/man1/memcgfs.1 $(DESTDIR)$(MANDIR)/man7/memcgfs-sim.7 \
		$(DESTDIR)$(UNITDIR)/memcgfs@.service \
		$(DESTDIR)$(BASHCOMPDIR)/memcgfs $(DESTDIR)$(BASHCOMPDIR)/memcgfs-top
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

# Real clients against memcgfs at /sys/fs/cgroup in a private mount
# namespace (tests/clients/run.sh): containerd's cgroups v2 Manager, runc's
# fs2 manager, and the kernel's test_core/test_kill/test_freezer.  Needs
# root, golang-go and Debian's Go sources; not part of `make test`.
CLIENTS_GO := GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= \
	      GOCACHE=$(abspath $(BUILD))/gocache go build
clients: all
	@mkdir -p $(BUILD)/clients
	$(CLIENTS_GO) -o $(BUILD)/clients/containerd-client ./tests/clients/containerd/
	$(CLIENTS_GO) -o $(BUILD)/clients/runc-client ./tests/clients/runc/
	@tests/clients/selftests.sh build $(BUILD)
	@tests/clients/run.sh $(BIN) $(BUILD) selftests

clean:
	rm -rf build memcgfs memcgfs-run libmemcgfs-preload.so

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
