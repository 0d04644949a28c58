#!/bin/bash
# The whole memcgfs suite: C unit tests, then bats against real mounts.
#   tests/run.sh MEMCGFS_BINARY BUILD_DIR
# Ends with one line "N passed, N failed" and exits non-zero on any failure.
# Every daemon a test starts is recorded, and killed and unmounted here even
# when a test (or bats itself) dies, so no mount outlives the run.
set -u
BIN=$(realpath "$1")
BUILD=$2
cd "$(dirname "$0")/.." || exit 2

MEMCGFS_TMP=$(mktemp -d /tmp/memcgfs-test.XXXXXX)
MEMCGFS_HELPERS=$(realpath "$BUILD")/tests/helpers
export MEMCGFS_BIN=$BIN MEMCGFS_TMP MEMCGFS_HELPERS
passed=0
failed=0

cleanup() {
	local pid mnt
	if [ -f "$MEMCGFS_TMP/pids" ]; then
		while read -r pid; do
			kill -9 "$pid" 2>/dev/null
		done <"$MEMCGFS_TMP/pids"
	fi
	for mnt in $(awk -v t="$MEMCGFS_TMP" 'index($2, t) == 1 {print $2}' /proc/mounts); do
		fusermount3 -u -z "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
	done
	rm -rf "$MEMCGFS_TMP"
}
trap cleanup EXIT INT TERM

# Count TAP lines from one producer; a crash with no "not ok" still fails.
count_tap() {
	local out=$1 rc=$2 name=$3 p f
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	out="$MEMCGFS_TMP/$(basename "$t").tap"
	"$t" >"$out" 2>&1
	rc=$?
	sed "s/^/[$(basename "$t")] /" "$out" | grep -v '^\[[^]]*\] ok '
	count_tap "$out" "$rc" "$(basename "$t")"
done

if [ -w /dev/fuse ] && command -v fusermount3 >/dev/null && command -v bats >/dev/null; then
	out="$MEMCGFS_TMP/bats.tap"
	# Bounded: a hung daemon must fail the run, not stall CI.
	timeout -k 10 "${BATS_TIMEOUT:-480}" bats --tap ${BATS_FILTER:+--filter "$BATS_FILTER"} tests/bats >"$out" 2>&1
	rc=$?
	grep -v '^ok ' "$out"
	count_tap "$out" "$rc" bats
else
	echo "not ok - no /dev/fuse, fusermount3 or bats: the mount tests cannot run"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
