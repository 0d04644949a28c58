#!/usr/bin/env bats
# The README a newcomer reads: its session runs exactly as printed, its
# promised results hold, it stays short and points only at files that
# exist in the repository.
load helper

# docs/ pages other branches add: tolerated while missing (reported as
# "pending").  Empty this list once they are all merged.
PENDING_DOCS=""

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# These tests mount nothing through the helper; the session mounts its own.
setup() {
	WORK=$(mktemp -d "$MEMCGFS_TMP/readme.XXXXXX")
}

teardown() {
	local m
	for m in $(awk -v t="$WORK" 'index($2, t) == 1 {print $2}' /proc/mounts); do
		fusermount3 -u -z "$m" 2>/dev/null
	done
	[ -z "${SESSION_PID:-}" ] || pkill -9 -P "$SESSION_PID" 2>/dev/null || true
}

# The session as a script: every ```sh block between the markers, each
# line verbatim; a line ending "# -> TEXT" must print TEXT, one ending
# "# fails: MESSAGE" must fail with MESSAGE on stderr.
session_script() {
	awk '
	/^<!-- session:/ { on = 1; next }
	/^<!-- session end -->/ { on = 0 }
	on && /^```sh$/ { inblk = 1; next }
	inblk && /^```$/ { inblk = 0; next }
	inblk { print }
	' "$ROOT/README.md" | perl -ne '
		chomp;
		my $n = $.;
		if (/^(.*?)\s+# -> (.*)$/) {
			my ($cmd, $want) = ($1, $2);
			$want =~ s/\x27/\x27\\\x27\x27/g;
			print "__out=\$($cmd)\n";
			print "[ \"\$__out\" = \x27$want\x27 ] || { echo \"README session line $n: got \x27\$__out\x27, expected \x27$want\x27\" >&2; exit 1; }\n";
		} elsif (/^(.*?)\s+# fails: (.*)$/) {
			my ($cmd, $msg) = ($1, $2);
			print "if __err=\$( { $cmd ; } 2>&1 ); then echo \"README session line $n: succeeded\" >&2; exit 1; fi\n";
			print "[[ \$__err == *\x27$msg\x27* ]] || { echo \"README session line $n: \$__err\" >&2; exit 1; }\n";
		} else {
			print "$_\n";
		}'
}

@test "README: the session runs exactly as printed on a fresh mount" {
	local script=$WORK/session.sh
	{
		echo 'set -eo pipefail'
		session_script
	} >"$script"
	# Three blocks; each "# ->" and "# fails:" became a check.
	[ "$(grep -c '^__out=' "$script")" -ge 6 ]
	[ "$(grep -c '^if __err=' "$script")" -ge 1 ]
	# ./memcgfs is the binary under test; mktemp -d makes the mount point here.
	mkdir "$WORK/src"
	ln -s "$MEMCGFS_BIN" "$WORK/src/memcgfs"
	cd "$WORK/src"
	TMPDIR=$WORK bash "$script" &
	SESSION_PID=$!
	wait "$SESSION_PID"
	# The session unmounted and removed its mount point.
	[ -z "$(awk -v t="$WORK" 'index($2, t) == 1' /proc/mounts)" ]
	[ -z "$(find "$WORK" -maxdepth 1 -name 'tmp.*')" ]
}

@test "README: the session never moves the reader's shell into a group" {
	run session_script
	[ "$status" -eq 0 ]
	if grep -E 'echo (0|\$\$|\$BASHPID) *> *[^ ]*cgroup\.procs' <<<"$output"; then return 1; fi
	grep -q 'sleep [0-9]* &' <<<"$output"
	# It mounts a directory of its own, not make run's /tmp/cg.
	if grep -q '/tmp/cg' <<<"$output"; then return 1; fi
	grep -q 'mktemp -d' <<<"$output"
}

@test "README: under 15 KB" {
	[ "$(stat -c %s "$ROOT/README.md")" -lt 15360 ]
}

@test "README and docs: every file they name exists, nothing outside the repository" {
	cd "$ROOT"
	PENDING_DOCS=$PENDING_DOCS run perl tests/helpers/doc-refs.pl README.md docs/*.md
	echo "$output" >&2
	[ "$status" -eq 0 ]
}

@test "docs/README.md indexes every page in docs/" {
	local f
	for f in "$ROOT"/docs/*.md; do
		[ "$(basename "$f")" = README.md ] && continue
		grep -q "](${f##*/})" "$ROOT/docs/README.md" || {
			echo "docs/README.md does not list ${f##*/}" >&2
			return 1
		}
	done
}

@test "doc-refs.pl catches a dangling file and an outside reference" {
	local d=$WORK/doc
	mkdir -p "$d"
	printf 'see [x](nope.md), `tools/none.sh` and seed 003\n' >"$d/bad.md"
	cd "$ROOT"
	run perl tests/helpers/doc-refs.pl "$d/bad.md"
	[ "$status" -eq 1 ]
	[[ $output == *"no such file: nope.md"* ]]
	[[ $output == *"no such file: tools/none.sh"* ]]
	[[ $output == *"outside the repository: seed 003"* ]]
}
