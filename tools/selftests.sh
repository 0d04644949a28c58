#!/bin/bash
# The Linux 6.12 cgroup selftests, built unmodified with their own Makefile,
# each binary run as `memcgfs-run --root MNT -- ./test_X` on a fresh mount,
# inside a private mount namespace whose host cgroup mounts are detached.
#   tools/selftests.sh MEMCGFS_BINARY RUN_DIR [test_X...]
# SELFTESTS_MOUNT_OPTS: the daemon's -o (default allow_other,swap=1G).
# SELFTESTS_TIMEOUT: seconds per binary (default 300).
# RUN_DIR holds memcgfs-run and libmemcgfs-preload.so.  Sources come from
# $SELFTESTS_SRC (a tools/testing/selftests; default the one under
# build/selftests-6.12, which the first run extracts from
# /usr/src/linux-source-6.12.tar.xz); they are copied to a private
# directory first.  Prints each test's result, sim.check after each binary,
# and a last line "selftests: P/N passed".
set -u
BIN=$(realpath "$1")
RUN=$(realpath "$2")
shift 2
TESTS=("${@:-test_core test_kill test_freezer test_memcontrol test_kmem}")
read -r -a TESTS <<<"${TESTS[*]}"
SRC=${SELFTESTS_SRC:-$(cd "$(dirname "$0")/.." && pwd)/build/selftests-6.12/tools/testing/selftests}
TARBALL=/usr/src/linux-source-6.12.tar.xz
# Per binary; the slowest (test_memcontrol) takes ~20 s on a loaded
# 2-core machine, so a hang costs minutes, not a quarter of an hour.
TIMEOUT=${SELFTESTS_TIMEOUT:-300}
# allow_other: test_cgcore_lesser_euid_open opens files as another uid.
# swap=1G: the model has swap, which /proc/swaps then shows, as on a
# machine with swap (test_memcg_swap_max_peak runs instead of skipping).
MOUNT_OPTS=${SELFTESTS_MOUNT_OPTS:-allow_other,swap=1G}
# SELFTESTS_LOGDIR: keep each binary's output and sim.log there.
LOGDIR=${SELFTESTS_LOGDIR:+$(realpath -m "$SELFTESTS_LOGDIR")}
[ -z "$LOGDIR" ] || mkdir -p "$LOGDIR" || exit 1

WORK=$(mktemp -d /tmp/memcgfs-selftests.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ST=$WORK/tools/testing/selftests

# The cgroup tests need clone3/ and pidfd/ headers, lib.mk and the
# kselftest headers beside them, and tools/include two levels up.
fetch_sources() {
	local tools=$SRC/../..
	if [ ! -e "$SRC/cgroup" ] || [ ! -e "$tools/include" ]; then
		[ -r "$TARBALL" ] || { echo "no selftest sources (install linux-source-6.12)" >&2; return 1; }
		mkdir -p "$tools" || return 1
		local p=linux-source-6.12/tools/testing/selftests
		tar -xJf "$TARBALL" -C "$tools/.." --strip-components=1 \
			linux-source-6.12/tools/include "$p/cgroup" "$p/clone3" \
			"$p/pidfd" "$p/kselftest" "$p/lib.mk" "$p/kselftest.h" \
			"$p/kselftest_harness.h" || return 1
	fi
	mkdir -p "$WORK/tools/testing" &&
		cp -r "$tools/include" "$WORK/tools/" &&
		cp -r "$SRC" "$WORK/tools/testing/"
}

# Private copies: a rebuild during the run changes nothing under it.
mkdir -p "$WORK/bin"
cp "$BIN" "$RUN/memcgfs-run" "$RUN/libmemcgfs-preload.so" "$WORK/bin/" || exit 1
BIN=$WORK/bin/$(basename "$BIN")
RUN=$WORK/bin

fetch_sources || exit 1
# As a top-level make: under `make selftests` MAKELEVEL is 1, and lib.mk
# then leaves OUTPUT empty (its targets become /test_core).
env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS \
	make -s -C "$ST/cgroup" "${TESTS[@]/#/$ST/cgroup/}" >"$WORK/build.log" 2>&1 || {
	cat "$WORK/build.log" >&2
	exit 1
}

# One binary on a fresh mount, in a private mount namespace, and in its own
# PID namespace so that no process a failed test leaves behind (a frozen or
# stopped child) outlives it.
run_one() {
	unshare -m -p -f --mount-proc --propagation private bash -s "$BIN" "$RUN" "$ST/cgroup" "$1" "$TIMEOUT" "$MOUNT_OPTS" "$LOGDIR" <<'INNER'
BIN=$1 RUN=$2 DIR=$3 T=$4 TIMEOUT=$5 OPTS=$6 LOGDIR=$7
for m in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts | sort -r); do
	umount -l "$m" || exit 1
done
MNT=$(mktemp -d /tmp/memcgfs-st-mnt.XXXXXX)
"$BIN" -f -o "$OPTS" "$MNT" 2>"$MNT.log" &
DAEMON=$!
for _ in $(seq 100); do mountpoint -q "$MNT" && break; sleep 0.05; done
cd "$DIR" || exit 1
timeout -k 5 "$TIMEOUT" "$RUN/memcgfs-run" --root "$MNT" -- "./$T"
echo "# exit status $?"
echo "# sim.check after $T: $(tail -n 1 "$MNT/sim.check")"
[ -n "$LOGDIR" ] && cp "$MNT/sim.log" "$LOGDIR/$T.sim.log"
# What a failed test left behind (a vfork child, a stopped or frozen
# process) holds the mount busy: this is PID 1 of the test's namespace.
for p in /proc/[0-9]*; do
	p=${p#/proc/}
	[ "$p" = $$ ] || [ "$p" = "$DAEMON" ] || kill -KILL "$p" 2>/dev/null
done
fusermount3 -u "$MNT" || fusermount3 -u -z "$MNT"
wait "$DAEMON"
rm -rf "$MNT" "$MNT.log"
INNER
}

passed=0
skipped=0
total=0
for t in "${TESTS[@]}"; do
	echo "## $t"
	run_one "$t" >"$WORK/$t.out" 2>&1
	# A forked child that exits flushes a copy of the parent's stdout
	# buffer when it is a pipe: each result line counts once.
	grep -E '^(not )?ok [0-9]+ ' "$WORK/$t.out" | awk '!seen[$0]++' >"$WORK/$t.res"
	cat "$WORK/$t.res"
	[ -n "$LOGDIR" ] && cp "$WORK/$t.out" "$LOGDIR/$t.out"
	grep -E '^# (sim.check|exit status)' "$WORK/$t.out"
	p=$(grep '^ok ' "$WORK/$t.res" | grep -vc '# SKIP')
	s=$(grep '^ok ' "$WORK/$t.res" | grep -c '# SKIP')
	f=$(grep -c '^not ok ' "$WORK/$t.res")
	passed=$((passed + p))
	skipped=$((skipped + s))
	total=$((total + p + s + f))
done
echo "selftests: $passed/$total passed ($skipped skipped)"
