#!/usr/bin/env bats
# memory.high throttling (core/memcg_high.c, fs/throttle.c) and pressure
# stall information (core/psi.c, fs/pressure_files.c): the kernel's
# test_memcg_high shape, the penalty sleep against calculate_high_delay(),
# readers never waiting behind a throttled writer, PSI totals and
# triggers, cgroup.pressure.
load helper

PSITRIGGER=${MEMCGFS_HELPERS:-}/psitrigger
PSI_LINE='avg10=[0-9]+\.[0-9]{2} avg60=[0-9]+\.[0-9]{2} avg300=[0-9]+\.[0-9]{2} total=[0-9]+'

# total= of the some (or full) line of a pressure file
psi_total() {
	awk -v k="$1" '$1 == k { sub("total=", "", $5); print $5 }' "$2"
}

# Group h with memory.high=$1 and no swap, a disk fs "data", a tmpfs "t".
mk_high() {
	mkgroups h other
	echo 0 >"$MNT/h/memory.swap.max"
	echo "$1" >"$MNT/h/memory.high"
	echo "mount data disk" >"$MNT/sim.ctl"
	echo "mount t tmpfs" >"$MNT/sim.ctl"
}

# test_memcg_high (selftests 6.12): 50M of page cache under high=30M ends
# within 5% of 30M (values_close(current, 30M, 5)).
close_to_30M() {
	local cur=$1 want=$((30 << 20))
	local diff=$((cur > want ? cur - want : want - cur))
	[ "$diff" -le $(((cur + want) / 100 * 5)) ] || {
		echo "memory.current $cur is not within 5% of 30M" >&2
		return 1
	}
}

@test "test_memcg_high: 50 x 1M of page cache under high=30M ends within 5% of 30M" {
	mk_high 30M
	for i in $(seq 50); do
		echo "write data/h 1M" >"$MNT/h/sim.ctl"
	done
	close_to_30M "$(cat "$MNT/h/memory.current")"
	[ "$(stat_of high "$MNT/h/memory.events")" -gt 0 ]
	# Reclaim was a stall, hierarchically; never in the sibling.
	[ "$(psi_total some "$MNT/h/memory.pressure")" -gt 0 ]
	[ "$(psi_total some "$MNT/memory.pressure")" -gt 0 ]
	[ "$(psi_total some "$MNT/other/memory.pressure")" -eq 0 ]
}

@test "test_memcg_high: one write of 50M under high=30M ends within 5% of 30M" {
	mk_high 30M
	echo "write data/h 50M" >"$MNT/h/sim.ctl"
	close_to_30M "$(cat "$MNT/h/memory.current")"
	[ "$(stat_of high "$MNT/h/memory.events")" -gt 0 ]
}

# Usage of h in pages, stocks drained.
pages_of_h() {
	echo $(($(current_of h) / 4096))
}

# calculate_high_delay() in shell arithmetic, then the 2 s cap and the
# "not worth a sleep" floor of mem_cgroup_handle_over_high().
expected_jiffies() {
	local usage=$1 high=$2 nr=$3 over pen
	over=$((((usage - high) << 20) / high))
	pen=$(((over * over * 250) >> 34))
	pen=$((pen * nr / 64))
	[ "$pen" -gt 500 ] && pen=500
	[ "$pen" -le 2 ] && pen=0
	echo "$pen"
}

# h holds 10M of tmpfs (unreclaimable without swap); memory.high is set
# so that one more batch of 64 pages leaves it $1 percent over.
setup_over() {
	local pct=$1 u1
	mk_high max
	echo "write t/f 10M" >"$MNT/h/sim.ctl"
	u1=$(($(pages_of_h) + 64))
	HIGH_PAGES=$((u1 * 100 / (100 + pct)))
	echo $((HIGH_PAGES * 4096)) >"$MNT/h/memory.high"
}

# ms a shell command took
elapsed_ms() {
	local t0=$EPOCHREALTIME
	"$@"
	local t1=$EPOCHREALTIME
	echo $(((${t1/./} - ${t0/./}) / 1000))
}

write_h() {
	echo "$1" >"$MNT/h/sim.ctl"
}

@test "high_delay=0.1: a writer 10% over high sleeps what calculate_high_delay() gives" {
	remount -o high_delay=0.1
	setup_over 10
	ms=$(elapsed_ms write_h "write t/f 256K")
	usage=$(($(cat "$MNT/h/memory.current") / 4096))
	j=$(expected_jiffies "$usage" "$HIGH_PAGES" 64)
	want=$((j * 4 / 10))	# 4 ms a jiffy, scaled by 0.1
	echo "usage $usage high $HIGH_PAGES: $j jiffies, want ${want} ms, took ${ms} ms" >&3
	[ "$j" -ge 150 ] && [ "$j" -le 170 ]	# 10% over: ~159
	[ "$ms" -ge $((want - 2)) ]
	[ "$ms" -le $((want + 250)) ]
	grep -q "/h: writer .* throttled over memory.high: penalty $j jiffies, sleeps" \
		"$MNT/sim.log"
	# The sleep was a full memory stall of h and of the system.
	[ "$(psi_total full "$MNT/h/memory.pressure")" -ge $((want * 1000 - 2000)) ]
	[ "$(psi_total some "$MNT/memory.pressure")" -ge $((want * 1000 - 2000)) ]
}

@test "high_delay=0: throttling is logged but never sleeps" {
	remount -o high_delay=0
	setup_over 20
	ms=$(elapsed_ms write_h "write t/f 256K")
	[ "$ms" -lt 300 ]
	grep -q "throttled over memory.high: penalty 500 jiffies, sleeps 0.000 ms" \
		"$MNT/sim.log"
}

write_other() {
	echo "$1" >"$MNT/other/sim.ctl"
}

read_other() {
	cat "$MNT/other/memory.current" >/dev/null
}

@test "a throttled writer holds no lock and no worker: others stay fast (max_threads=1)" {
	remount -o high_delay=1,max_threads=1
	setup_over 20		# over the cap: a 2 s sleep
	elapsed_ms write_h "write t/f 256K" >"$MNT.wms" &
	sleep 0.3
	rms=$(elapsed_ms read_other)
	oms=$(elapsed_ms write_other "write data/x 4K")
	wait $!
	wms=$(cat "$MNT.wms")
	echo "throttled write ${wms} ms; meanwhile a read ${rms} ms, a write ${oms} ms" >&3
	[ "$wms" -ge 1990 ]
	[ "$rms" -lt 500 ]
	[ "$oms" -lt 500 ]
}

@test "a workload that never reclaims has no memory pressure" {
	mkgroups a
	echo "mount data disk" >"$MNT/sim.ctl"
	for i in 1 2 3 4 5; do
		echo "write data/f$i 1M" >"$MNT/a/sim.ctl"
	done
	for f in a/memory.pressure memory.pressure; do
		[ "$(psi_total some "$MNT/$f")" -eq 0 ]
		[ "$(psi_total full "$MNT/$f")" -eq 0 ]
	done
}

@test "memory.swap.high throttles the same way" {
	remount -o swap=64M,high_delay=0.01
	mkgroups s
	echo 8M >"$MNT/s/memory.max"
	echo 2M >"$MNT/s/memory.swap.high"
	echo "anon 16M" >"$MNT/s/sim.ctl"
	[ "$(cat "$MNT/s/memory.swap.current")" -gt $((2 << 20)) ]
	grep -q "/s: writer .* throttled over memory.swap.high: penalty" "$MNT/sim.log"
	[ "$(psi_total some "$MNT/s/memory.pressure")" -gt 0 ]
	echo "free anon 16M" >"$MNT/s/sim.ctl"
}

@test "pressure files: formats, root and child, irq has only full" {
	mkgroups a
	for d in "" a/; do
		for r in memory cpu io; do
			run cat "$MNT/${d}$r.pressure"
			[ "${#lines[@]}" -eq 2 ]
			[[ "${lines[0]}" =~ ^some\ $PSI_LINE$ ]]
			[[ "${lines[1]}" =~ ^full\ $PSI_LINE$ ]]
		done
		run cat "$MNT/${d}irq.pressure"
		[ "${#lines[@]}" -eq 1 ]
		[[ "${lines[0]}" =~ ^full\ $PSI_LINE$ ]]
		[ "$(cat "$MNT/${d}cgroup.pressure")" = 1 ]
		for r in cgroup cpu io irq memory; do
			[ "$(stat -c %a "$MNT/${d}$r.pressure")" = 644 ]
		done
	done
}

@test "cgroup.pressure=0 hides the group's pressure files, 1 shows them" {
	mkgroups a
	exec 5<"$MNT/a/memory.pressure"
	echo 0 >"$MNT/a/cgroup.pressure"
	[ "$(cat "$MNT/a/cgroup.pressure")" = 0 ]
	for r in memory cpu io irq; do
		[ ! -e "$MNT/a/$r.pressure" ]
		! ls "$MNT/a" | grep -qx "$r.pressure"
	done
	[ -e "$MNT/memory.pressure" ]		# the parent's stay
	[ "$("$MEMCGFS_HELPERS/fdread" -F 5 seek=0 read)" = "read: ENODEV" ]
	write_fails ERANGE 2 "$MNT/a/cgroup.pressure"
	write_fails EINVAL x "$MNT/a/cgroup.pressure"
	echo 1 >"$MNT/a/cgroup.pressure"
	[ -e "$MNT/a/memory.pressure" ]
	"$MEMCGFS_HELPERS/fdread" -F 5 seek=0 read | grep -q '^some '
	exec 5<&-
}

@test "triggers: the kernel's checks, one per fd" {
	mkgroups a
	f=$MNT/a/memory.pressure
	out=$("$MEMCGFS_HELPERS/fdread" -m w "$f" "write=some 150000 1000000" \
		"write=some 150000 1000000") && false
	[ "$out" = "write: EBUSY" ]
	write_fails EINVAL "some 150000" "$f"
	write_fails EINVAL "half 1 1000000" "$f"
	write_fails EINVAL "some 0 1000000" "$f"
	write_fails EINVAL "some 2000000 1000000" "$f"
	write_fails EINVAL "some 1 10000001" "$f"
	write_fails EINVAL "some 1 0" "$f"
	write_fails EINVAL "some 1 1000000" "$MNT/a/irq.pressure"
	"$MEMCGFS_HELPERS/fdread" -m w "$MNT/a/irq.pressure" "write=full 1 1000000"
}

@test "a 500 ms trigger wakes poll() within one window of the stall, and not before" {
	remount -o high_delay=0.1
	setup_over 10		# a ~64 ms stall
	run "$PSITRIGGER" "$MNT/h/memory.pressure" "some 20000 500000" 700
	[ "$output" = timeout ]
	run "$PSITRIGGER" "$MNT/h/memory.pressure" "some 20000 500000" 3000 \
		bash -c "sleep 0.2; echo 'write t/f 256K' >'$MNT/h/sim.ctl'"
	echo "$output" >&3
	[[ "$output" =~ ^POLLPRI\ after\ ([0-9]+)\ ms$ ]]
	ms=${BASH_REMATCH[1]}
	[ "$ms" -ge 200 ] && [ "$ms" -le $((200 + 64 + 500 + 300)) ]
}

@test "a 10 s trigger wakes poll() within one window; a sibling's does not" {
	remount -o high_delay=0.1
	setup_over 10
	"$PSITRIGGER" "$MNT/other/memory.pressure" "some 20000 10000000" 3000 \
		>"$MNT.other" &
	sib=$!
	run "$PSITRIGGER" "$MNT/h/memory.pressure" "some 20000 10000000" 12000 \
		bash -c "sleep 0.2; echo 'write t/f 256K' >'$MNT/h/sim.ctl'"
	echo "$output" >&3
	[[ "$output" =~ ^POLLPRI\ after\ ([0-9]+)\ ms$ ]]
	[ "${BASH_REMATCH[1]}" -le 10000 ]
	wait "$sib" || true
	[ "$(cat "$MNT.other")" = timeout ]
}

@test "workingset: evicted page cache read back refaults, and comes back active when recent" {
	mk_high 30M
	echo "write data/a 10M" >"$MNT/h/sim.ctl"
	echo "read data/a" >"$MNT/h/sim.ctl"
	echo "read data/a" >"$MNT/h/sim.ctl"	# a: 10M active
	echo "write data/f 5M" >"$MNT/h/sim.ctl"
	echo "write data/g 17M" >"$MNT/h/sim.ctl"	# evicts f, not a
	[ "$(stat_of workingset_refault_file "$MNT/h/memory.stat")" -eq 0 ]
	echo "read data/f" >"$MNT/h/sim.ctl"
	# Its 5M (1280 pages, counted as events) evicted fewer pages ago than
	# the 10M active list holds.
	[ "$(stat_of workingset_refault_file "$MNT/h/memory.stat")" -eq 1280 ]
	[ "$(stat_of workingset_activate_file "$MNT/h/memory.stat")" -eq 1280 ]
	# A file truncated away leaves no shadows to refault.
	echo "truncate data/g 0" >"$MNT/sim.ctl"
	echo "write data/g 1M" >"$MNT/h/sim.ctl"
	[ "$(stat_of workingset_refault_file "$MNT/h/memory.stat")" -eq 1280 ]
}

@test "io_latency: each page swapped back in is waited for, as a memory stall" {
	remount -o swap=64M,io_latency=200
	mkgroups s
	echo 4M >"$MNT/s/memory.max"
	echo "anon 8M" >"$MNT/s/sim.ctl"
	before=$(psi_total some "$MNT/s/memory.pressure")
	in0=$(stat_of pswpin "$MNT/s/memory.stat")
	# In this shell, not a $(...) subshell: the anon is this shell's.
	t0=$EPOCHREALTIME
	echo "touch anon 8M" >"$MNT/s/sim.ctl"
	t1=$EPOCHREALTIME
	ms=$(((${t1/./} - ${t0/./}) / 1000))
	in=$(($(stat_of pswpin "$MNT/s/memory.stat") - in0))
	stall=$(($(psi_total some "$MNT/s/memory.pressure") - before))
	echo "$in pages in: ${stall} us stalled, the write took ${ms} ms" >&3
	[ "$in" -gt 0 ]
	[ "$stall" -ge $((in * 200)) ]
	[ "$ms" -ge $((in * 200 / 1000)) ]
	echo "free anon 8M" >"$MNT/s/sim.ctl"
}

@test "a firing trigger raises IN_MODIFY on its file (kernfs_notify), a silent one does not" {
	command -v inotifywait >/dev/null || skip "inotify-tools not installed"
	[ "$(id -u)" = 0 ] || skip "IN_MODIFY needs a root daemon (docs/clients.md)"
	remount -o high_delay=0.1
	setup_over 10		# a ~64 ms stall
	local out=$MEMCGFS_TMP/psi-inotify p
	# Writing the trigger is itself a write(2), with its own IN_MODIFY as
	# on a kernel: each watcher starts after the trigger is armed.
	# Silent: armed, nothing stalls, no event.
	"$PSITRIGGER" "$MNT/h/memory.pressure" "some 20000 500000" 1500 >/dev/null &
	p=$!
	sleep 0.4
	run timeout 2 inotifywait -q -t 1 -e modify "$MNT/h/memory.pressure"
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	wait "$p" || true
	# Firing: the stall comes 0.8 s after arming; the watcher sees it.
	"$PSITRIGGER" "$MNT/h/memory.pressure" "some 20000 500000" 3000 \
		bash -c "sleep 0.8; echo 'write t/f 256K' >'$MNT/h/sim.ctl'" >"$out" &
	p=$!
	sleep 0.4
	run timeout 5 inotifywait -q -t 3 -e modify "$MNT/h/memory.pressure"
	echo "$output" >&3
	[ "$status" -eq 0 ]
	[[ "$output" == *"memory.pressure MODIFY"* ]]
	wait "$p"
	grep -q '^POLLPRI' "$out"
}

@test "high_delay=1: a throttled writer the OOM killer chose dies at once, not after its penalty" {
	remount -o high_delay=1
	mk_high 10M
	echo 20M >"$MNT/h/memory.max"
	# 40M of anon from a member: past high every batch is throttled (2 s
	# each at 100% over), then past max the OOM killer picks the writer
	# during its own write.  schedule_timeout_killable() does not sleep
	# for a task with SIGKILL pending.
	local t0=$EPOCHREALTIME
	run bash -c 'echo $BASHPID >"$1/h/cgroup.procs" && echo "anon 40M in=self" >"$1/sim.ctl"' - "$MNT"
	local ms=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
	[ "$status" -eq 137 ]
	[ "$(stat_of oom_kill "$MNT/h/memory.events")" -eq 1 ]
	echo "the killed writer took $ms ms" >&3
	[ "$ms" -lt 1500 ]
}
