#!/usr/bin/env bats
# The memory controller's files, from a real mount, against
# Documentation/admin-guide/cgroup-v2.rst (parsers, memory files, events,
# memory.stat, memory.numa_stat).
#
# Exact event counts: the kernel's try_charge_memcg() raises `max` again on
# every reclaim retry, so one failed GFP_KERNEL charge counts `max` up to
# ~18 times, and a model may count it once.  Tests therefore compare `max`
# counters by relation (hierarchical = local, = sum of children...) and
# count `oom` exactly (one per memcg OOM invocation that finds no victim).
load helper

FDREAD=${MEMCGFS_HELPERS:-}/fdread

teardown() {
	exec 5<&- 6<&-
	unmount_memcgfs
}

# a, and a/b with memory enabled in a.
mk_ab() {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
}

# rt FILE INPUT EXPECTED: one write(2) of INPUT succeeds and FILE reads
# back EXPECTED.  (fdread, not printf: bash line-buffers its stdout, so
# printf would split "100\n200" into two writes.)
rt() {
	local file=$1 in=$2 want=$3 got out
	out=$("$FDREAD" -m w "$file" "write=$in") || {
		echo "write of '$in' to ${file#"$MNT"/} failed: $out" >&2
		return 1
	}
	got=$(cat "$file")
	[ "$got" = "$want" ] || {
		echo "${file#"$MNT"/}: wrote '$in', read '$got', want '$want'" >&2
		return 1
	}
}

# rejects ERRNO INPUT FILE: one write(2) of INPUT fails with ERRNO and
# changes nothing.
rejects() {
	local before
	before=$(cat "$3")
	write_fails "$1" "$2" "$3" || return 1
	[ "$(cat "$3")" = "$before" ] || {
		echo "${3#"$MNT"/}: rejected '$2' but changed '$before' -> '$(cat "$3")'" >&2
		return 1
	}
}

# ev FILE KEY: one counter of an events file.
ev() {
	stat_of "$2" "$1"
}

TUNABLES="memory.min memory.low memory.high memory.max memory.swap.high
memory.swap.max memory.zswap.max"

@test "defaults of a new memcg (§3)" {
	mkgroups a
	local g=$MNT/a
	[ "$(cat "$g/memory.min")" = 0 ]
	[ "$(cat "$g/memory.low")" = 0 ]
	[ "$(cat "$g/memory.high")" = max ]
	[ "$(cat "$g/memory.max")" = max ]
	[ "$(cat "$g/memory.oom.group")" = 0 ]
	[ "$(cat "$g/memory.swap.high")" = max ]
	[ "$(cat "$g/memory.swap.max")" = max ]
	[ "$(cat "$g/memory.swap.current")" = 0 ]
	[ "$(cat "$g/memory.swap.peak")" = 0 ]
	[ "$(cat "$g/memory.zswap.max")" = max ]
	[ "$(cat "$g/memory.zswap.writeback")" = 1 ]
	[ "$(cat "$g/memory.current")" = 0 ]
	[ "$(cat "$g/memory.peak")" = 0 ]
	[ "$(cat "$g/memory.events")" = "$(printf '%s\n' 'low 0' 'high 0' \
		'max 0' 'oom 0' 'oom_kill 0' 'oom_group_kill 0')" ]
	[ "$(cat "$g/memory.events.local")" = "$(cat "$g/memory.events")" ]
	[ "$(cat "$g/memory.swap.events")" = "$(printf '%s\n' 'high 0' 'max 0' 'fail 0')" ]
}

@test "page_counter_memparse: max, suffixes, hex, octal, flooring to 4 KiB (§1.1)" {
	mkgroups a
	local f
	for f in $TUNABLES; do
		f=$MNT/a/$f
		rt "$f" max max
		rt "$f" 0 0
		rt "$f" 4096 4096
		rt "$f" 4097 4096
		rt "$f" 4095 0
		rt "$f" 8191 4096
		rt "$f" 1k 0
		rt "$f" 4k 4096
		rt "$f" 4K 4096
		rt "$f" 1m 1048576
		rt "$f" 1M 1048576
		rt "$f" 1g 1073741824
		rt "$f" 1G 1073741824
		rt "$f" 1t 1099511627776
		rt "$f" 1T 1099511627776
		rt "$f" 1P 1125899906842624
		rt "$f" 1e 1152921504606846976
		rt "$f" 0x1000 4096
		rt "$f" 0X1000 4096
		rt "$f" 0x10 0
		rt "$f" 0x10M 16777216
		rt "$f" 010 0
		rt "$f" 010000 4096
		rt "$f" 10000 8192
		rt "$f" $'  2M  \n' 2097152
		rt "$f" $'\t3M\n' 3145728
		rt "$f" $'max\n' max
		rt "$f" k 0
		rt "$f" $'\n' 0
	done
}

@test "page_counter_memparse: huge values read back as max, overflow wraps (§1.1)" {
	mkgroups a
	local f
	for f in $TUNABLES; do
		f=$MNT/a/$f
		rt "$f" 9223372036854767616 9223372036854767616
		rt "$f" 9223372036854771711 9223372036854767616
		rt "$f" 9223372036854771712 max
		rt "$f" 18446744073709551615 max
		rt "$f" 8E max
		# memparse: 16 << 60 wraps to 0 silently (no ERANGE)
		rt "$f" 16E 0
	done
}

@test "page_counter_memparse: bad input is EINVAL and changes nothing (§1.1)" {
	mkgroups a
	local f v
	for f in $TUNABLES; do
		f=$MNT/a/$f
		rt "$f" 3M 3145728
		for v in 1.5G -1 +5 '1 G' 1GB Max MAX 'max 1' 1M1 1Mk abc 0x \
			$'100\n200' 'M M' '1M max'; do
			rejects EINVAL "$v" "$f"
		done
		[ "$(cat "$f")" = 3145728 ]
	done
}

@test "echo > memory.max writes \"\\n\", which parses as 0 (§1.1)" {
	mkgroups a
	echo 5M >"$MNT/a/memory.max"
	echo >"$MNT/a/memory.max"
	[ "$(cat "$MNT/a/memory.max")" = 0 ]
	echo >"$MNT/a/memory.high"
	[ "$(cat "$MNT/a/memory.high")" = 0 ]
}

@test "anon charge: memory.current and memory.stat, hierarchical up to the root (§3, §4)" {
	mk_ab
	echo "anon 8M" >"$MNT/a/b/sim.ctl"
	local g
	for g in a/b a; do
		[ "$(user_current_of $g)" = 8388608 ]
	done
	# A child's memory.current is its own: a fresh group's structures are
	# charged to its parent.
	[ "$(stat_of kernel "$MNT/a/b/memory.stat")" = 0 ]
	for g in a/b a .; do
		[ "$(stat_of anon "$MNT/$g/memory.stat")" = 8388608 ]
		[ "$(stat_of inactive_anon "$MNT/$g/memory.stat")" = 8388608 ]
		[ "$(stat_of active_anon "$MNT/$g/memory.stat")" = 0 ]
		[ "$(stat_of file "$MNT/$g/memory.stat")" = 0 ]
		[ "$(stat_of pgfault "$MNT/$g/memory.stat")" = 2048 ]
	done
	[ "$(cat "$MNT/a/b/memory.swap.current")" = 0 ]
	[ "$(stat_of max "$MNT/a/b/memory.swap.events")" = 0 ]
}

@test "free anon: usage and stat drop, pgfault stays; freeing more than owned is EINVAL" {
	mk_ab
	echo "anon 8M" >"$MNT/a/b/sim.ctl"
	echo "free anon 4M" >"$MNT/a/b/sim.ctl"
	[ "$(cat "$MNT/a/b/memory.current")" = 4194304 ]
	[ "$(user_current_of a)" = 4194304 ]
	[ "$(stat_of anon "$MNT/a/b/memory.stat")" = 4194304 ]
	[ "$(stat_of inactive_anon "$MNT/a/memory.stat")" = 4194304 ]
	[ "$(stat_of anon "$MNT/memory.stat")" = 4194304 ]
	[ "$(stat_of pgfault "$MNT/a/b/memory.stat")" = 2048 ]

	write_fails EINVAL "free anon 8M" "$MNT/a/b/sim.ctl"
	[ "$(cat "$MNT/a/b/memory.current")" = 4194304 ]
	[ "$(stat_of anon "$MNT/a/b/memory.stat")" = 4194304 ]
	# Another process owns nothing here.
	run sh -c "echo 'free anon 4K' >'$MNT/a/b/sim.ctl'"
	[ "$status" -ne 0 ]
	[ "$(cat "$MNT/a/b/memory.current")" = 4194304 ]

	echo "free anon 4M" >"$MNT/a/b/sim.ctl"
	[ "$(cat "$MNT/a/b/memory.current")" = 0 ]
	[ "$(stat_of anon "$MNT/memory.stat")" = 0 ]
}

@test "gfp=nowait at a full limit: ENOMEM, no max event, nothing charged" {
	mkgroups a
	echo 4M >"$MNT/a/memory.max"
	echo "anon 4M" >"$MNT/a/sim.ctl"
	write_fails ENOMEM "anon 4K gfp=nowait" "$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 4194304 ]
	[ "$(ev "$MNT/a/memory.events" max)" = 0 ]
	[ "$(ev "$MNT/a/memory.events" oom)" = 0 ]
	[ "$(ev "$MNT/a/memory.events.local" max)" = 0 ]
}

@test "gfp=atomic at a full limit: force-charged past memory.max, one max event" {
	# try_charge_memcg(): !blocking -> nomem; __GFP_HIGH -> force:, which
	# raises MEMCG_MAX when no earlier pass did (§3.1, memcontrol.c:2420).
	mkgroups a
	echo 4M >"$MNT/a/memory.max"
	echo "anon 4M" >"$MNT/a/sim.ctl"
	echo "anon 4K gfp=atomic" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 4198400 ]
	[ "$(ev "$MNT/a/memory.events" oom)" = 0 ]
	[ "$(ev "$MNT/a/memory.events" max)" = 1 ]
	[ "$(ev "$MNT/a/memory.events.local" max)" = 1 ]
}

@test "gfp=nofail at a full limit: charged past memory.max after reclaim and OOM fail" {
	mkgroups a
	echo 4M >"$MNT/a/memory.max"
	echo "anon 4M" >"$MNT/a/sim.ctl"
	echo "anon 4K gfp=nofail" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 4198400 ]
	[ "$(ev "$MNT/a/memory.events" max)" -ge 1 ]
	[ "$(ev "$MNT/a/memory.events" oom)" = 1 ]
	[ "$(ev "$MNT/a/memory.events.local" oom)" = 1 ]
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 4198400 ]
}

@test "memory.stat: every §4.1 key in kernel order, hugetlb absent" {
	mk_ab
	local want got g
	want="anon file kernel kernel_stack pagetables sec_pagetables percpu sock
	vmalloc shmem zswap zswapped file_mapped file_dirty file_writeback
	swapcached anon_thp file_thp shmem_thp inactive_anon active_anon
	inactive_file active_file unevictable slab_reclaimable slab_unreclaimable
	slab workingset_refault_anon workingset_refault_file
	workingset_activate_anon workingset_activate_file workingset_restore_anon
	workingset_restore_file workingset_nodereclaim pgdemote_kswapd
	pgdemote_direct pgdemote_khugepaged pgdemote_proactive pgpromote_success
	pgscan pgsteal pswpin pswpout pgscan_kswapd pgscan_direct
	pgscan_khugepaged pgscan_proactive pgsteal_kswapd pgsteal_direct
	pgsteal_khugepaged pgsteal_proactive pgfault pgmajfault pgrefill
	pgactivate pgdeactivate pglazyfree pglazyfreed swpin_zero swpout_zero
	zswpin zswpout zswpwb thp_fault_alloc thp_collapse_alloc thp_swpout
	thp_swpout_fallback numa_pages_migrated numa_pte_updates
	numa_hint_faults"
	want=$(printf '%s\n' $want)
	[ "$(printf '%s\n' "$want" | wc -l)" = 70 ]
	echo "anon 8M" >"$MNT/a/b/sim.ctl"
	for g in a/b a .; do
		got=$(awk '{ print $1 }' "$MNT/$g/memory.stat")
		[ "$got" = "$want" ] || {
			diff <(echo "$want") <(echo "$got") >&2
			false
		}
		# "%s %llu\n", nothing else
		run grep -cvE '^[a-z_]+ [0-9]+$' "$MNT/$g/memory.stat"
		[ "$output" = 0 ]
	done
	! grep -q '^hugetlb ' "$MNT/a/memory.stat" || false
}

@test "memory.events keys and order; memory.swap.events keys" {
	mkgroups a
	[ "$(awk '{ print $1 }' "$MNT/a/memory.events" | paste -sd' ')" = \
		"low high max oom oom_kill oom_group_kill" ]
	[ "$(awk '{ print $1 }' "$MNT/a/memory.events.local" | paste -sd' ')" = \
		"low high max oom oom_kill oom_group_kill" ]
	[ "$(awk '{ print $1 }' "$MNT/a/memory.swap.events" | paste -sd' ')" = \
		"high max fail" ]
	[ ! -e "$MNT/memory.events" ]
	[ ! -e "$MNT/memory.events.local" ]
}

@test "events: hierarchical on the group and its non-root ancestors, .local only on itself (§3.1)" {
	mk_ab
	local g=$MNT/a
	echo 4M >"$g/memory.max"
	write_fails ENOMEM "anon 8M" "$g/b/sim.ctl"
	# a's limit was hit: the event is a's (mem_over_limit), not b's.
	[ "$(ev "$g/memory.events.local" oom)" = 1 ]
	[ "$(ev "$g/memory.events" oom)" = 1 ]
	[ "$(ev "$g/memory.events.local" max)" -ge 1 ]
	[ "$(ev "$g/memory.events" max)" = "$(ev "$g/memory.events.local" max)" ]
	[ "$(ev "$g/b/memory.events" max)" = 0 ]
	[ "$(ev "$g/b/memory.events" oom)" = 0 ]
	[ "$(ev "$g/b/memory.events.local" max)" = 0 ]
	[ "$(ev "$g/b/memory.events.local" oom)" = 0 ]

	# Now b's own limit: counted on b and propagated to a's memory.events
	# but not to a's memory.events.local.
	local a_local_max
	a_local_max=$(ev "$g/memory.events.local" max)
	echo 1M >"$g/b/memory.max"
	write_fails ENOMEM "anon 2M" "$g/b/sim.ctl"
	[ "$(ev "$g/b/memory.events.local" oom)" = 1 ]
	[ "$(ev "$g/b/memory.events" oom)" = 1 ]
	[ "$(ev "$g/b/memory.events.local" max)" -ge 1 ]
	[ "$(ev "$g/b/memory.events" max)" = "$(ev "$g/b/memory.events.local" max)" ]
	[ "$(ev "$g/memory.events.local" oom)" = 1 ]
	[ "$(ev "$g/memory.events.local" max)" = "$a_local_max" ]
	[ "$(ev "$g/memory.events" oom)" = 2 ]
	[ "$(ev "$g/memory.events" max)" = \
		$((a_local_max + $(ev "$g/b/memory.events" max))) ]
	[ "$(user_current_of a)" = 0 ]
}

@test "memory.max below usage: the write succeeds, usage stays, one oom event, no max event" {
	mk_ab
	echo "anon 8M" >"$MNT/a/b/sim.ctl"
	echo 4M >"$MNT/a/b/memory.max"
	[ "$(cat "$MNT/a/b/memory.max")" = 4194304 ]
	[ "$(cat "$MNT/a/b/memory.current")" = 8388608 ]
	[ "$(ev "$MNT/a/b/memory.events" oom)" = 1 ]
	[ "$(ev "$MNT/a/b/memory.events.local" oom)" = 1 ]
	[ "$(ev "$MNT/a/b/memory.events" max)" = 0 ]
	# Hierarchical: the parent's memory.events counts it, its .local not.
	[ "$(ev "$MNT/a/memory.events" oom)" = 1 ]
	[ "$(ev "$MNT/a/memory.events.local" oom)" = 0 ]
}

@test "memory.max with O_NONBLOCK below usage: no reclaim, no oom event (~6.16)" {
	mkgroups a
	echo "anon 8M" >"$MNT/a/sim.ctl"
	run "$FDREAD" -m w -n "$MNT/a/memory.max" write=4M
	[ "$status" = 0 ]
	[ "$(cat "$MNT/a/memory.max")" = 4194304 ]
	[ "$(cat "$MNT/a/memory.current")" = 8388608 ]
	[ "$(ev "$MNT/a/memory.events" oom)" = 0 ]
}

@test "memory.high below usage succeeds without events; a charge above high counts high" {
	mk_ab
	local b=$MNT/a/b
	echo "anon 8M" >"$b/sim.ctl"
	echo 4M >"$b/memory.high"
	[ "$(cat "$b/memory.high")" = 4194304 ]
	[ "$(cat "$b/memory.current")" = 8388608 ]
	[ "$(cat "$b/memory.events")" = "$(printf '%s\n' 'low 0' 'high 0' \
		'max 0' 'oom 0' 'oom_kill 0' 'oom_group_kill 0')" ]
	# 64 pages (the charge batch) over 2048: reclaim_high() counts a high
	# event, finds nothing to reclaim (anon, no swap), and as the penalty
	# (15 jiffies) is above HZ/100, mem_cgroup_handle_over_high() retries
	# MAX_RECLAIM_RETRIES times before sleeping it: 17 high events.
	echo 8M >"$b/memory.high"
	echo "anon 4K" >"$b/sim.ctl"
	[ "$(current_of a/b)" = 8392704 ]
	[ "$(ev "$b/memory.events" high)" = 17 ]
	[ "$(ev "$b/memory.events.local" high)" = 17 ]
	[ "$(ev "$MNT/a/memory.events" high)" = 17 ]
	[ "$(ev "$MNT/a/memory.events.local" high)" = 0 ]
	[ "$(ev "$b/memory.events" max)" = 0 ]
}

@test "memory.reclaim: 0 succeeds; anon without swap is EAGAIN; bad input EINVAL" {
	mkgroups a
	local f=$MNT/a/memory.reclaim
	echo "anon 4M" >"$MNT/a/sim.ctl"
	echo 0 >"$f"
	printf 4095 >"$f"	# floors to 0 pages: nothing to do
	echo "0 swappiness=60" >"$f"
	echo 0 >"$MNT/memory.reclaim"
	write_fails EAGAIN 1M "$f"
	write_fails EAGAIN $'1M\n' "$f"
	write_fails EAGAIN "1M swappiness=60" "$f"
	write_fails EAGAIN "1M swappiness=0" "$f"
	write_fails EAGAIN "1M swappiness=200" "$f"
	write_fails EAGAIN "1M swappiness=max" "$f"
	write_fails EAGAIN "1M  swappiness=60 " "$f"
	local v
	for v in junk max $'\n' ' ' "1M swappiness=300" "1M swappiness=201" \
		"1M swappiness=-1" "1M swappiness=abc" "1M swappiness=" \
		"0 swappiness=300" "1M foo" "1M foo=1" 1.5M -1M "1M 2M"; do
		write_fails EINVAL "$v" "$f"
	done
	[ "$(cat "$MNT/a/memory.current")" = 4194304 ]
}

@test "memory.reclaim is write-only: reading it is EINVAL (§1)" {
	mkgroups a
	[ "$(stat -c %a "$MNT/a/memory.reclaim")" = 200 ]
	run cat "$MNT/a/memory.reclaim"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Invalid argument"* ]]
}

@test "memory.oom.group: 0 and 1 only (kstrtoint)" {
	mkgroups a
	local f=$MNT/a/memory.oom.group
	rt "$f" 1 1
	rt "$f" 0 0
	rt "$f" $' 1\n' 1
	rt "$f" +0 0
	rt "$f" 0x1 1
	rt "$f" 00 0
	local v
	for v in 2 -1 3 0x2 abc 1.0 '1 1' $'\n' 1k; do
		rejects EINVAL "$v" "$f"
	done
	rejects ERANGE 99999999999 "$f"
	[ "$(cat "$f")" = 0 ]
}

@test "memory.peak: the global watermark" {
	mkgroups a
	[ "$(cat "$MNT/a/memory.peak")" = 0 ]
	echo "anon 8M" >"$MNT/a/sim.ctl"
	echo "free anon 4M" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.current")" = 4194304 ]
	[ "$(cat "$MNT/a/memory.peak")" = 8388608 ]
	echo "anon 2M" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.peak")" = 8388608 ]
	# Writing through another fd resets only that fd (6.12).
	echo reset >"$MNT/a/memory.peak"
	[ "$(cat "$MNT/a/memory.peak")" = 8388608 ]
}

@test "memory.peak: a write resets that fd only; other fds that wrote are raised (6.12)" {
	mkgroups a
	local g=$MNT/a
	echo "anon 8M" >"$g/sim.ctl"
	echo "free anon 4M" >"$g/sim.ctl"		# usage 4M, peak 8M
	exec 5<>"$g/memory.peak"
	echo x >&5
	[ "$("$FDREAD" -F 5 seek=0 read)" = 4194304 ]	# baseline 4M
	[ "$(cat "$g/memory.peak")" = 8388608 ]		# global
	echo "anon 2M" >"$g/sim.ctl"			# usage 6M
	[ "$("$FDREAD" -F 5 seek=0 read)" = 6291456 ]	# local watermark
	[ "$(cat "$g/memory.peak")" = 8388608 ]
	# A second fd resets at 6M: fd 5's baseline is raised to 6M.
	exec 6<>"$g/memory.peak"
	echo x >&6
	echo "free anon 2M" >"$g/sim.ctl"		# usage 4M
	[ "$("$FDREAD" -F 6 seek=0 read)" = 6291456 ]
	[ "$("$FDREAD" -F 5 seek=0 read)" = 6291456 ]
	echo "anon 1M" >"$g/sim.ctl"			# usage 5M
	[ "$("$FDREAD" -F 5 seek=0 read)" = 6291456 ]
	# fd 5 resets again at 5M; fd 6's baseline (6M) is not lowered.
	echo x >&5
	[ "$("$FDREAD" -F 5 seek=0 read)" = 5242880 ]
	[ "$("$FDREAD" -F 6 seek=0 read)" = 6291456 ]
	[ "$(cat "$g/memory.peak")" = 8388608 ]
	exec 5<&- 6<&-
	# A zero-length write is no reset (the handler is not called).
	run "$FDREAD" -m rw "$g/memory.peak" write= seek=0 read
	[ "$status" = 0 ]
	[ "$output" = 8388608 ]
}

@test "memory.swap.current 0 and swap.peak 0 with no swap; swap.events all 0" {
	mkgroups a
	echo "anon 8M" >"$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.swap.current")" = 0 ]
	[ "$(cat "$MNT/a/memory.swap.peak")" = 0 ]
	[ "$(cat "$MNT/a/memory.swap.events")" = "$(printf '%s\n' 'high 0' 'max 0' 'fail 0')" ]
}

@test "memory.numa_stat: node keys of memory_stats[] in order, hugetlb included (§4.3)" {
	mkgroups a
	local want got
	want="anon file kernel_stack pagetables sec_pagetables shmem file_mapped
	file_dirty file_writeback swapcached anon_thp file_thp shmem_thp
	inactive_anon active_anon inactive_file active_file unevictable
	slab_reclaimable slab_unreclaimable hugetlb workingset_refault_anon
	workingset_refault_file workingset_activate_anon workingset_activate_file
	workingset_restore_anon workingset_restore_file workingset_nodereclaim
	pgdemote_kswapd pgdemote_direct pgdemote_khugepaged pgdemote_proactive
	pgpromote_success"
	want=$(printf '%s\n' $want)
	got=$(awk '{ print $1 }' "$MNT/a/memory.numa_stat")
	[ "$got" = "$want" ] || {
		diff <(echo "$want") <(echo "$got") >&2
		false
	}
}

@test "memory.numa_stat: 'key N0=value' lines that agree with memory.stat" {
	mk_ab
	echo "anon 8M" >"$MNT/a/b/sim.ctl"
	local g key val
	for g in a/b a .; do
		run grep -cvE '^[a-z_]+( N[0-9]+=[0-9]+)+$' "$MNT/$g/memory.numa_stat"
		[ "$output" = 0 ]
		[ "$(awk '$1 == "anon" { print $2 }' "$MNT/$g/memory.numa_stat")" = N0=8388608 ]
		[ "$(awk '$1 == "inactive_anon" { print $2 }' "$MNT/$g/memory.numa_stat")" = N0=8388608 ]
		# npn keys are absent
		! grep -qE '^(kernel|percpu|sock|vmalloc|zswap|zswapped|slab|pgfault) ' \
			"$MNT/$g/memory.numa_stat" || false
		while read -r key val; do
			[ "N0=$(stat_of "$key" "$MNT/$g/memory.stat")" = "$val" ] ||
				[ "$key" = hugetlb ] || {
				echo "$g: numa_stat $key $val vs memory.stat" >&2
				false
			}
		done <"$MNT/$g/memory.numa_stat"
	done
}
