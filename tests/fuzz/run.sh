#!/bin/bash
# make fuzz: run the libFuzzer target for a while, niced, on one core.
#   tests/fuzz/run.sh FUZZ_BINARY SECONDS
# New inputs go to build/fuzz/corpus (the committed seeds in
# tests/fuzz/corpus are read, never written); a crash, invariant failure
# or leak is saved as build/fuzz/crash-* (or leak-*, timeout-*) and fails
# the run.  Ends with the run's execs/s and total execs.
set -u
BIN=$1
SECONDS_TO_RUN=$2
cd "$(dirname "$0")/../.." || exit 2
OUT=build/fuzz
mkdir -p "$OUT/corpus"
LOG="$OUT/fuzz.log"

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
nice -n 10 "$BIN" -max_total_time="$SECONDS_TO_RUN" -timeout=30 \
	-dict=tests/fuzz/model.dict -max_len=2048 -print_final_stats=1 \
	-artifact_prefix="$OUT/" "$OUT/corpus" tests/fuzz/corpus 2>&1 | tee "$LOG" |
	grep -E '^#[0-9]+.*(pulse|DONE)|^==|ERROR|fuzz_model:|^stat::'
rc=${PIPESTATUS[0]}

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG")
echo "fuzz: ${SECONDS_TO_RUN}s, ${execs:-?} execs, ${rate:-?} execs/s, exit $rc (log: $LOG)"
exit "$rc"
