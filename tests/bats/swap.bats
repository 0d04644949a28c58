#!/usr/bin/env bats
# Swap (issue #4): anon pages on the anon LRU lists go to swap under
# pressure, up to memory.swap.max and the machine's swap (-o swap=).
load helper

setup() {
	mount_memcgfs -o swap=200M,cpus=2
}

# A member process of group $1 that runs the sim.ctl commands $2... in
# $1 (in order), then sleeps; its pid in LAST_PID.  "wait:NAME" waits for
# the file $MNT.NAME, "flag:NAME" creates it; with a wait: in the list
# the caller synchronises through flags, otherwise this returns once the
# commands ran.
member_runs() {
	local g=$1 flag="$MNT.m$RANDOM" script="echo 0 > '$MNT/$1/cgroup.procs'"
	local c sync=1
	shift
	for c in "$@"; do
		if [[ $c == wait:* ]]; then
			sync=
			script+=" && while [ ! -e '$MNT.${c#wait:}' ]; do sleep 0.05; done"
		elif [[ $c == flag:* ]]; then
			script+=" && touch '$MNT.${c#flag:}'"
		else
			script+=" && echo '$c' > '$MNT/$g/sim.ctl'"
		fi
	done
	spawn bash -c "$script && touch '$flag' && exec sleep 600"
	[ -z "$sync" ] || wait_until "[ -e '$flag' ]"
	MEMBER_FLAG=$flag	# touched once the member forks no more
}

swapped() {	# memory.swap.current of group $1
	cat "$MNT/$1/memory.swap.current"
}

cached() {	# memory.stat swapcached of group $1 ("" for the root)
	stat_of swapcached "$MNT/${1:+$1/}memory.stat"
}

# Entries not backing a resident page: every page of group $1's anon is
# resident or behind one of them.
swapped_out() {
	echo $(($(swapped "$1") - $(cached "$1")))
}

# Group $1 (memory.max 30M) makes 40M of anon, 10M of which goes to
# swap; then, with no limit, its process touches $2 of it (swapped pages
# first) and stays; its pid in LAST_PID.
swap_in() {
	local g=$1
	echo 30M >"$MNT/$g/memory.max"
	rm -f "$MNT.one" "$MNT.go" "$MNT.done"
	member_runs "$g" "anon 40M" flag:one wait:go "touch anon $2" flag:done
	wait_until "[ -e '$MNT.one' ]"
	[ "$(swapped "$g")" = $((10 << 20)) ]
	[ "$(cached "$g")" = 0 ]
	echo max >"$MNT/$g/memory.max"
	touch "$MNT.go"
	wait_until "[ -e '$MNT.done' ]"
	# The member's last fork (touch of its flag) is over only then.
	wait_until "[ -e '$MEMBER_FLAG' ]"
}

@test "swap: 100M of anon under memory.max=30M with swap=200M fits, the rest in swap" {
	mkgroups a
	echo 30M >"$MNT/a/memory.max"
	member_runs a "anon 100M"
	local cur anon swap
	cur=$(current_of a)
	anon=$(stat_of anon "$MNT/a/memory.stat")
	swap=$(swapped a)
	[ "$cur" -le $((30 << 20)) ]
	[ "$swap" -ge $((70 << 20)) ]
	# Every page is either resident or in swap, and each swap-out counted.
	[ $((anon + swap)) = $((100 << 20)) ]
	[ "$(stat_of pswpout "$MNT/a/memory.stat")" = $((swap / 4096)) ]
	[ "$(stat_of inactive_anon "$MNT/a/memory.stat")" -gt 0 ]
	[ "$(stat_of pgsteal "$MNT/a/memory.stat")" -ge $((swap / 4096)) ]
	[ "$(stat_of max "$MNT/a/memory.events")" -gt 0 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 0 ]
	[ "$(cat "$MNT/a/memory.swap.peak")" = "$swap" ]
	[ "$(stat_of fail "$MNT/a/memory.swap.events")" = 0 ]
}

@test "swap: with memory.swap.max=10M the same charge fails with one oom and one oom_kill" {
	mkgroups a
	echo 30M >"$MNT/a/memory.max"
	echo 10M >"$MNT/a/memory.swap.max"
	member_runs a "anon 4M"
	local small=$LAST_PID
	member_runs a "anon 12M"
	local big=$LAST_PID
	write_fails ENOMEM "anon 100M" "$MNT/a/sim.ctl"
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
	# Reclaim stops swapping at the limit (can_reclaim_anon_pages());
	# a swap-out that still meets it counts max and fail.
	[ "$(cat "$MNT/a/memory.swap.peak")" = $((10 << 20)) ]
	[ "$(stat_of fail "$MNT/a/memory.swap.events")" -ge "$(stat_of max "$MNT/a/memory.swap.events")" ]
	[ "$(swapped a)" -le $((10 << 20)) ]
	wait_until "! kill -0 $big 2>/dev/null"
	kill -0 "$small"
	# The victim's pages and entries are gone; the survivor's 4M stays,
	# resident or swapped.
	[ $(($(stat_of anon "$MNT/a/memory.stat") + $(swapped a))) = $((4 << 20)) ]
}

@test "swap: a full machine swap fails the swap-out (fail, no max) and OOMs" {
	remount -o swap=8M,cpus=2
	mkgroups a
	echo 20M >"$MNT/a/memory.max"
	member_runs a "anon 6M"
	write_fails ENOMEM "anon 40M" "$MNT/a/sim.ctl"
	[ "$(cat "$MNT/a/memory.swap.peak")" = $((8 << 20)) ]
	# The machine's swap is no group's limit: never a max event.
	[ "$(stat_of max "$MNT/a/memory.swap.events")" = 0 ]
	[ "$(stat_of oom "$MNT/a/memory.events")" = 1 ]
	[ "$(stat_of oom_kill "$MNT/a/memory.events")" = 1 ]
}

@test "swap: touch anon swaps pages back in (pswpin, pgmajfault) and a second touch activates" {
	mkgroups a
	echo 30M >"$MNT/a/memory.max"
	member_runs a "anon 40M" flag:one wait:go "touch anon 40M" \
		"touch anon 40M" flag:done
	wait_until "[ -e '$MNT.one' ]"
	[ "$(swapped a)" = $((10 << 20)) ]
	echo 50M >"$MNT/a/memory.max"
	touch "$MNT.go"
	wait_until "[ -e '$MNT.done' ]"
	# Swap is far from half full: the pages read in stay in the swap
	# cache, their entries still charged to swap, nothing written.
	[ "$(swapped a)" = $((10 << 20)) ]
	[ "$(cached a)" = $((10 << 20)) ]
	[ "$(stat_of pswpout "$MNT/a/memory.stat")" = 2560 ]
	[ "$(stat_of active_anon "$MNT/a/memory.stat")" = $((40 << 20)) ]
	[ "$(stat_of pswpin "$MNT/a/memory.stat")" = 2560 ]
	[ "$(stat_of pgmajfault "$MNT/a/memory.stat")" = 2560 ]
	[ "$(stat_of anon "$MNT/a/memory.stat")" = $((40 << 20)) ]
	[ "$(stat_of inactive_anon "$MNT/a/memory.stat")" = 0 ]
	[ "$(stat_of pgactivate "$MNT/a/memory.stat")" = 10240 ]
}

@test "swap: touch at the limit swaps others out; free anon drops entries without reading them" {
	mkgroups a
	echo 30M >"$MNT/a/memory.max"
	member_runs a "anon 40M" "touch anon 20M" flag:one wait:go \
		"free anon 40M" flag:done
	wait_until "[ -e '$MNT.one' ]"
	[ "$(stat_of pswpin "$MNT/a/memory.stat")" = 5120 ]
	[ "$(swapped_out a)" = $((10 << 20)) ]
	[ "$(cached a)" -gt 0 ]
	[ "$(current_of a)" -le $((30 << 20)) ]
	touch "$MNT.go"
	wait_until "[ -e '$MNT.done' ]"
	# Freeing a swap-cache page frees its entry too.
	[ "$(swapped a)" = 0 ]
	[ "$(cached a)" = 0 ]
	[ "$(stat_of anon "$MNT/a/memory.stat")" = 0 ]
	[ "$(stat_of pswpin "$MNT/a/memory.stat")" = 5120 ]
}

@test "swap: touch and free of more than the writer owns are EINVAL" {
	mkgroups a
	write_fails EINVAL "touch anon 4K" "$MNT/a/sim.ctl"
	write_fails EINVAL "touch anon" "$MNT/a/sim.ctl"
	write_fails EINVAL "touch anon 1M gfp=bogus" "$MNT/a/sim.ctl"
}

@test "swap: root totals stay exact across groups" {
	mkgroups a b
	echo 20M >"$MNT/a/memory.max"
	echo 10M >"$MNT/b/memory.max"
	member_runs a "anon 30M" "touch anon 5M"
	member_runs b "anon 25M"
	local k
	for k in anon pswpout pswpin pgmajfault inactive_anon active_anon \
		swapcached; do
		[ "$(stat_of $k "$MNT/memory.stat")" = \
		  $(($(stat_of $k "$MNT/a/memory.stat") + $(stat_of $k "$MNT/b/memory.stat"))) ]
	done
	[ $(($(swapped_out a) + $(swapped_out b))) = $(((10 + 15) << 20)) ]
	[ "$(stat_of pswpout "$MNT/memory.stat")" -ge $(((10 + 15) << 8)) ]
}

@test "swap: memory.swap.high counts high events" {
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	echo 2M >"$MNT/a/memory.swap.high"
	member_runs a "anon 14M"
	[ "$(stat_of high "$MNT/a/memory.swap.events")" -gt 0 ]
	[ "$(swapped a)" = $((4 << 20)) ]
}

@test "swap: without swap (the default swap=0) anon is never swapped out" {
	remount -o cpus=2
	mkgroups a
	echo 10M >"$MNT/a/memory.max"
	write_fails ENOMEM "anon 14M" "$MNT/a/sim.ctl"
	[ "$(stat_of pswpout "$MNT/a/memory.stat")" = 0 ]
}

@test "swap: a removed group whose only charge is swap stays dying, holds its ID, and says so" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	echo 30M >"$MNT/a/b/memory.max"
	member_runs a/b "anon 40M"
	local pid=$LAST_PID
	echo "$pid" >"$MNT/cgroup.procs"
	rmdir "$MNT/a/b"
	# Reclaim from a walks the zombie: its resident pages go to swap too,
	# charged to it, as its ID is still held by its entries.
	echo 40M >"$MNT/a/memory.reclaim" || true
	local z=$MNT/sim.zombies
	[ "$(awk '$1 == "swap" { print $2; exit }' "$z")" = $((40 << 20)) ]
	[ "$(awk '$1 == "anon" { print $2; exit }' "$z")" = 0 ]
	[ "$(awk '$1 == "memory" { print $2; exit }' "$z")" = 0 ]
	[ "$(stat_of dying_holding_ids "$MNT/sim.ids")" = 1 ]
	[ "$(swapped a)" = $((40 << 20)) ]
	# The owner's exit frees the entries, which releases the zombie.
	kill -9 "$pid"
	wait_until "[ \"\$(stat_of nr_dying_descendants $MNT/cgroup.stat)\" = 0 ]"
	[ "$(swapped a)" = 0 ]
	[ "$(stat_of dying_holding_ids "$MNT/sim.ids")" = 0 ]
}

@test "swap cache: a swap-in under half-full swap keeps its entry, counted hierarchically" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	swap_in a/b 10M
	local pid=$LAST_PID
	# Resident (anon, memory.current) and in swap at once.
	[ "$(stat_of pswpin "$MNT/a/b/memory.stat")" = 2560 ]
	[ "$(cached a/b)" = $((10 << 20)) ]
	[ "$(swapped a/b)" = $((10 << 20)) ]
	[ "$(stat_of anon "$MNT/a/b/memory.stat")" = $((40 << 20)) ]
	[ "$(cached a)" = $((10 << 20)) ]
	[ "$(cached "")" = $((10 << 20)) ]
	# The owner's exit frees pages and entries alike.
	kill -9 "$pid"
	wait_until "[ \"\$(swapped a/b)\" = 0 ]"
	[ "$(cached a/b)" = 0 ]
	[ "$(cached "")" = 0 ]
}

@test "swap cache: with swap over half full a swap-in frees its entry at once" {
	remount -o swap=16M,cpus=2
	mkgroups a
	swap_in a 2M
	# 10M down to 8M of 16M: more than half full at every fault.
	[ "$(stat_of pswpin "$MNT/a/memory.stat")" = 512 ]
	[ "$(cached a)" = 0 ]
	[ "$(swapped a)" = $((8 << 20)) ]
}

@test "swap cache: a group at half its memory.swap.high frees entries at swap-in" {
	mkgroups a
	# Only counts high events at swap-out; then mem_cgroup_swap_full():
	# 10M..2M used, each at least half of 2M.
	echo 2M >"$MNT/a/memory.swap.high"
	swap_in a 8M
	[ "$(cached a)" = 0 ]
	[ "$(swapped a)" = $((2 << 20)) ]
}

@test "swap cache: reclaiming swap-cache pages writes nothing (no pswpout, no new entry)" {
	mkgroups a
	swap_in a 10M
	[ "$(cached a)" = $((10 << 20)) ]
	local steal=$(stat_of pgsteal "$MNT/a/memory.stat")
	echo 40M >"$MNT/a/memory.reclaim" || true
	# The cached pages went back to their entries: swap holds each page
	# written once, not the cached ones twice.
	[ "$(cached a)" = 0 ]
	[ "$(stat_of pswpout "$MNT/a/memory.stat")" = $(($(swapped a) / 4096)) ]
	[ $(($(stat_of pgsteal "$MNT/a/memory.stat") - steal)) -gt \
	  $(($(stat_of pswpout "$MNT/a/memory.stat") - 2560)) ]
	[ $(($(stat_of anon "$MNT/a/memory.stat") + $(swapped_out a))) = $((40 << 20)) ]
}

@test "swap cache: a removed group's swap-cache entries pin it, sim.zombies says swap" {
	mkgroups a
	echo +memory >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	swap_in a/b 10M
	local pid=$LAST_PID
	echo "$pid" >"$MNT/cgroup.procs"
	rmdir "$MNT/a/b"
	local z=$MNT/sim.zombies
	[ "$(awk '$1 == "swap" { print $2; exit }' "$z")" = $((10 << 20)) ]
	[ "$(awk '$1 == "anon" { print $2; exit }' "$z")" = $((40 << 20)) ]
	[ "$(stat_of dying_holding_ids "$MNT/sim.ids")" = 1 ]
	kill -9 "$pid"
	wait_until "[ \"\$(stat_of nr_dying_descendants $MNT/cgroup.stat)\" = 0 ]"
	[ "$(swapped a)" = 0 ]
	[ "$(stat_of dying_holding_ids "$MNT/sim.ids")" = 0 ]
}

@test "swap cache: every pages= policy moves swapcached with the pages it moves" {
	local p pid
	for p in pin reparent-walk reparent recharge deferred evict; do
		remount -o "swap=200M,cpus=2,policy=pages=$p"
		mkgroups a
		echo +memory >"$MNT/a/cgroup.subtree_control"
		mkdir "$MNT/a/b"
		swap_in a/b 10M
		pid=$LAST_PID
		echo "$pid" >"$MNT/cgroup.procs"
		rmdir "$MNT/a/b"
		# Wherever the pages went, a's subtree still counts them.
		[ "$(cached a)" = $((10 << 20)) ] || { echo "pages=$p" >&2; false; }
		check_accounting || { echo "pages=$p" >&2; false; }
		kill -9 "$pid"
		wait "$pid" 2>/dev/null || true
		SPAWNED=()	# reaped: the remount has no one left to kill
		wait_until "[ \"\$(swapped a)\" = 0 ]"
		[ "$(cached a)" = 0 ]
		check_accounting
	done
}
