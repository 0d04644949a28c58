#!/usr/bin/env bash
# tools/bench/allocbench.sh: the allocator benchmark (allocbench.c).
#
#   tools/bench/allocbench.sh [BUILD_DIR [PAIRS_PER_RUN]]
#
# Runs BUILD_DIR/tools/bench/allocbench, which make builds (the allocator
# sources, -ldl, and jemalloc linked in as the process malloc; see the
# header of allocbench.c for why).  Prints ns per alloc+free pair for
# memcgfs, glibc, jemalloc, mimalloc and tcmalloc, ratios to the fastest
# peer, and MISS lines against the targets; exit 1 on a MISS only with
# BENCH_STRICT=1.
#
# Then checks the "no atomic instruction on the hit path" target on the
# binary just measured: the four functions the benchmark calls must hold
# no lock-prefixed instruction, no cmpxchg/xadd and no xchg with memory
# (their misses go to separate out-of-line functions).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
PAIRS=${2:-10000000}
BIN="$BUILD/tools/bench/allocbench"
echo "loadavg before: $(cat /proc/loadavg)"
rc=0
"$BIN" "$PAIRS" || rc=$?
echo "loadavg after:  $(cat /proc/loadavg)"

atomic_miss=0
if command -v objdump >/dev/null; then
	echo
	echo "hit paths (objdump of $BIN):"
	for f in kmem_cache_alloc kmem_cache_free kmem_cache_alloc_account \
		 kmem_cache_free_account; do
		dis=$(objdump -d --no-show-raw-insn --disassemble="$f" "$BIN")
		n=$(grep -cE '^\s+[0-9a-f]+:' <<<"$dis" || true)
		a=$(grep -cE '\block\b|cmpxchg|xadd|xchg[a-z]*\s.*\(' <<<"$dis" || true)
		[ "$n" -gt 0 ] || a=1	# not found: cannot vouch for it
		printf '  %-24s %3d instructions, %d atomic: %s\n' "$f" "$n" "$a" \
			"$([ "$a" -eq 0 ] && echo ok || echo MISS)"
		[ "$a" -eq 0 ] || atomic_miss=1
	done
else
	echo "objdump not found: the no-atomic check did not run"
fi
if [ -n "${BENCH_STRICT:-}" ] && [ "$atomic_miss" -ne 0 ]; then
	rc=1
fi
exit "$rc"
