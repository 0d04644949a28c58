#!/usr/bin/env bats
# tools/: a real --help, argument errors that name the argument, progress
# on stderr (quiet with -q), --csv and --plot; memcgfs-top's tree.
load helper
bats_require_minimum_version 1.5.0

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
ZS=$ROOT/tools/zombie-scenarios.sh
DRIFT=$ROOT/tools/drift.sh
TOP=$ROOT/tools/memcgfs-top

# The tools mount under TMPDIR: inside the suite's directory, which
# tests/run.sh cleans up even if a test dies.
export TMPDIR=$MEMCGFS_TMP

# bad_arg TOOL ARGS... -- WORDS: exit 2, WORDS on stderr, no shell accident.
bad_arg() {
	local tool=$1 words=${*: -1}
	set -- "${@:2:$#-2}"
	run "$tool" "$@"
	[ "$status" -eq 2 ] || { echo "$tool $*: status $status: $output" >&2; return 1; }
	[[ $output == *"$words"* ]] || { echo "$tool $*: $output" >&2; return 1; }
	[[ $output == *"--help"* ]]
	[[ $output != *"unbound variable"* && $output != *"command not found"* ]]
	[[ $output != *"# scenario"* ]]
}

is_png() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		[ "$(stat -c %s "$1")" -gt 10000 ]
}

@test "zombie-scenarios.sh --help documents every option" {
	run "$ZS" --help
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -gt 30 ]
	local o
	for o in --scenario --all --runs --policies --csv --plot --quiet; do
		[[ $output == *"$o"* ]] || { echo "no $o" >&2; return 1; }
	done
}

@test "zombie-scenarios.sh: bad arguments are named, exit 2" {
	bad_arg "$ZS" --scenario bogus "--scenario: 'bogus' is not one of"
	bad_arg "$ZS" --runs abc "--runs takes a whole number"
	bad_arg "$ZS" --runs "--runs needs a value"
	bad_arg "$ZS" --runs 0 "--runs takes a whole number"
	bad_arg "$ZS" --plot out.svg "--plot takes a FILE.png"
	bad_arg "$ZS" --frob "unknown argument '--frob'"
}

@test "zombie-scenarios.sh --csv: a header and one row per policy, progress on stderr" {
	run --separate-stderr "$ZS" --runs 6 --policies "pin reparent" --csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "scenario,policy,zombies,pinned_bytes,cache_bytes,to_parent,to_groups,ids,seconds,check" ]
	[ "${#lines[@]}" -eq 3 ]
	# pin keeps all 6 jobs dying (64K log + its dentry/inode each);
	# reparent frees them all; sim.check exact in both.
	[[ ${lines[1]} == tmpfs,pin,6,* && ${lines[1]} == *,1 ]]
	[[ ${lines[2]} == tmpfs,reparent,0,0,* && ${lines[2]} == *,1 ]]
	[[ $stderr == *"tmpfs: pin ..."* && $stderr == *"tmpfs: reparent ..."* ]]
}

@test "zombie-scenarios.sh -q is silent on stderr" {
	run --separate-stderr "$ZS" -q --runs 2 --policies pin
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "# scenario tmpfs, 2 runs" ]
}

@test "zombie-scenarios.sh --plot draws a PNG" {
	command -v gnuplot >/dev/null || skip "no gnuplot"
	run "$ZS" -q --runs 10 --policies "pin deferred" --plot "$MEMCGFS_TMP/z.png"
	[ "$status" -eq 0 ]
	is_png "$MEMCGFS_TMP/z.png"
}

@test "drift.sh: bad arguments are named, exit 2; --help lists --csv and --plot" {
	bad_arg "$DRIFT" --mode bogus "--mode: 'bogus' is not one of"
	bad_arg "$DRIFT" --groups abc "--groups takes a positive integer, not 'abc'"
	bad_arg "$DRIFT" --groups "--groups needs a value"
	bad_arg "$DRIFT" --plot x.jpg "--plot takes a FILE.png"
	bad_arg "$DRIFT" --frob "unknown argument '--frob'"
	run "$DRIFT" --help
	[ "$status" -eq 0 ]
	[[ $output == *--csv* && $output == *--plot* && $output == *--quiet* ]]
}

@test "drift.sh --csv: rstat exact, the double flush over-counts; progress every tenth" {
	run --separate-stderr "$DRIFT" --mode rstat --groups 40 --every 20 --cpus 4 --csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "mode,groups,reported,true,error,error_pages" ]
	[[ ${lines[1]} == rstat,20,*,0,0.00 && ${lines[2]} == rstat,40,*,0,0.00 ]]
	[ "$(grep -c 'drift: stats=rstat: [0-9]*/40 groups' <<<"$stderr")" -eq 10 ]
	run --separate-stderr "$DRIFT" -q --mode spill-doubleflush --groups 40 --every 40 --cpus 4 --csv
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local err
	err=$(cut -d, -f5 <<<"${lines[1]}")
	[ "$err" -gt 0 ]
}

@test "drift.sh --plot draws a PNG" {
	command -v gnuplot >/dev/null || skip "no gnuplot"
	run "$DRIFT" -q --all --groups 20 --every 10 --cpus 2 --plot "$MEMCGFS_TMP/d.png"
	[ "$status" -eq 0 ]
	is_png "$MEMCGFS_TMP/d.png"
}

@test "memcgfs-top --once: the tree with current, limits, members, events and dying" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b" "$MNT/a/c" "$MNT/z"
	echo 100M >"$MNT/a/memory.max"
	echo 50M >"$MNT/a/b/memory.high"
	spawn sleep 600
	echo "$LAST_PID" >"$MNT/a/b/cgroup.procs"
	echo "anon 8M" >"$MNT/a/b/sim.ctl"
	echo 1M >"$MNT/a/c/memory.max"
	# No member to kill in c: 18 max events, one oom, the charge fails.
	write_fails ENOMEM "anon 2M" "$MNT/a/c/sim.ctl"
	echo "sock 4K" >"$MNT/z/sim.ctl"
	rmdir "$MNT/z"
	run "$TOP" --once "$MNT"
	[ "$status" -eq 0 ]
	echo "$output" >&2
	[[ ${lines[0]} == "memcgfs-top $MNT "*"groups 4"* ]]
	[[ ${lines[1]} =~ ^GROUP\ +CURRENT\ +MAX\ +HIGH\ +PROCS\ +MAXEV\ +OOM\ +KILLED\ +DYING$ ]]
	# root: 1 dying descendant (z)
	[[ ${lines[2]} =~ ^/\ .*\ 1$ ]]
	# events are hierarchical: a counts c's
	[[ ${lines[3]} =~ ^\`-\ a\ +[0-9.]+M\ +100\.0M\ +max\ +0\ +18\ +1\ +0\ +0$ ]]
	[[ ${lines[4]} =~ ^\ +\|-\ b\ +8\.0M\ +max\ +50\.0M\ +1\ +0\ +0\ +0\ +0$ ]]
	[[ ${lines[5]} =~ ^\ +\`-\ c\ +0\ +1\.0M\ +max\ +0\ +18\ +1\ +0\ +0$ ]]
	[ "${#lines[@]}" -eq 6 ]
	echo "free sock 4K" >"$MNT/sim.ctl"
	echo drain >"$MNT/sim.ctl"
}

@test "memcgfs-top: -n COUNT screens, -d DEPTH, bad arguments named" {
	mkgroups a
	mkdir "$MNT/a/b"
	run "$TOP" -n 2 -i 0.1 -d 1 "$MNT"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^memcgfs-top ' <<<"$output")" -eq 2 ]
	[ "$(grep -c -- '- a ' <<<"$output")" -eq 2 ]
	[[ $output != *"- b "* ]]
	run "$TOP" -i 0 --once "$MNT"
	[ "$status" -eq 2 ]
	[[ $output == *"--interval takes a positive number of seconds, not '0'"* ]]
	run "$TOP" -n x "$MNT"
	[ "$status" -eq 2 ]
	[[ $output == *"--count takes a whole number, not 'x'"* ]]
	run "$TOP" --once "$MEMCGFS_TMP"
	[ "$status" -eq 2 ]
	[[ $output == *"not a cgroup v2 hierarchy"* ]]
	run "$TOP" --help
	[ "$status" -eq 0 ]
	[[ $output == *"--once"* && $output == *"--interval"* ]]
}

@test "bench report: docs/benchmarks.md is written from the kept outputs, verbatim" {
	local d=$MEMCGFS_TMP/bench
	mkdir -p "$d"
	run "$ROOT/tools/bench/report.sh" "$d"
	[ "$status" -eq 0 ]
	[[ $output == *"Not measured yet"* ]]
	printf 'rstat 10 groups: 75.1 us\nMISS: nothing\n' >"$d/statbench.out"
	echo 0 >"$d/statbench.rc"
	printf 'zombies: 1491 B each\n' >"$d/zombiebench.out"
	echo 1 >"$d/zombiebench.rc"
	run "$ROOT/tools/bench/report.sh" "$d"
	[ "$status" -eq 0 ]
	[[ $output == *"commit: $(git -C "$ROOT" rev-parse --short HEAD)"* ]]
	[[ $output == *$'## statbench\n'*'exit status 0.'*$'```\nrstat 10 groups: 75.1 us\nMISS: nothing\n```'* ]]
	[[ $output == *$'## zombiebench\n'*'exit status 1.'*'zombies: 1491 B each'* ]]
	[[ $output != *"## allocbench"* ]]
}
