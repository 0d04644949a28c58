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
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
PAIRS=${2:-10000000}
exec "$BUILD/tools/bench/allocbench" "$PAIRS"
