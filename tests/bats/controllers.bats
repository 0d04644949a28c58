#!/usr/bin/env bats
# The controllers beside memory (cpuset cpu io pids rdma misc), the core
# statistics files (cpu.stat, cpu.stat.local, cgroup.stat.local) and the
# mount options that choose the file set (-o controllers=, -o pure).
# Accepted and refused inputs follow the kernel's parsers (Linux 6.12
# kernel/sched/core.c, kernel/cgroup/{cgroup,pids,cpuset}.c,
# block/blk-{throttle,iocost,cgroup}.c); docs/controllers.md.
load helper

setup() {
	mount_memcgfs -o cpus=4
}

# One write(2) that must succeed.
wr() {
	"$MEMCGFS_HELPERS/fdread" -m w "$2" "write=$1" >/dev/null || {
		echo "write of '$1' to $2 failed: $("$MEMCGFS_HELPERS/fdread" -m w "$2" "write=$1")" >&2
		return 1
	}
}

# wr_reads VALUE FILE EXPECTED: the write succeeds and the file reads back.
wr_reads() {
	wr "$1" "$2"
	[ "$(cat "$2")" = "$3" ] || {
		echo "after writing '$1', $2 reads '$(cat "$2")', expected '$3'" >&2
		return 1
	}
}

all_on() {
	echo "+cpuset +cpu +io +memory +hugetlb +pids +rdma +misc" >"$MNT/cgroup.subtree_control"
}

files_of() {
	ls "$1" | grep -v '\.pressure$' | tr '\n' ' '
}

# ------------------------------------------------------------ file sets

@test "cgroup.controllers lists the controllers in ssid order; each brings its files to children only" {
	[ "$(cat "$MNT/cgroup.controllers")" = "cpuset cpu io memory hugetlb pids rdma misc" ]
	mkdir "$MNT/a"
	[ "$(files_of "$MNT/a")" = "cgroup.controllers cgroup.events cgroup.freeze cgroup.kill cgroup.max.depth cgroup.max.descendants cgroup.procs cgroup.stat cgroup.stat.local cgroup.subtree_control cgroup.threads cgroup.type cpu.stat cpu.stat.local sim.ctl sim.zombies sim.zombies.json " ]
	all_on
	[ "$(cat "$MNT/cgroup.subtree_control")" = "cpuset cpu io memory hugetlb pids rdma misc" ]
	[ "$(cat "$MNT/a/cgroup.controllers")" = "cpuset cpu io memory hugetlb pids rdma misc" ]
	for f in cpu.weight cpu.weight.nice cpu.idle cpu.max cpu.max.burst \
		cpu.uclamp.min cpu.uclamp.max cpuset.cpus cpuset.mems \
		cpuset.cpus.effective cpuset.mems.effective cpuset.cpus.partition \
		cpuset.cpus.exclusive cpuset.cpus.exclusive.effective io.max \
		io.weight io.bfq.weight io.stat pids.max pids.current pids.peak pids.events \
		pids.events.local rdma.max rdma.current misc.max misc.current \
		misc.peak misc.events misc.events.local; do
		[ -e "$MNT/a/$f" ] || { echo "missing a/$f" >&2; false; }
	done
	# Modes as the kernel's cgroup_file_mode(): rw 0644, ro 0444.
	[ "$(stat -c %a "$MNT/a/cpu.max")" = 644 ]
	[ "$(stat -c %a "$MNT/a/pids.current")" = 444 ]
	# Root: only the files without CFTYPE_NOT_ON_ROOT (the *.pressure
	# files are core files, cgroup_psi_files[], not the controllers').
	[ "$(ls "$MNT" | grep -E '^(cpu|cpuset|io|pids|rdma|misc)\.' | grep -v '\.pressure$' | tr '\n' ' ')" = "cpu.stat cpu.stat.local cpuset.cpus.effective cpuset.cpus.isolated cpuset.mems.effective io.stat misc.capacity misc.current misc.peak " ]
	# -cpu takes the files away again; a new +cpu starts from defaults.
	echo 20 >"$MNT/a/cpu.weight"
	echo -cpu >"$MNT/cgroup.subtree_control"
	[ ! -e "$MNT/a/cpu.weight" ]
	run cat "$MNT/a/cpu.weight"
	[ "$status" -ne 0 ]
	echo +cpu >"$MNT/cgroup.subtree_control"
	[ "$(cat "$MNT/a/cpu.weight")" = 100 ]
	# An fd opened before -cpu belongs to the old css: ENODEV, even once
	# +cpu made new files.
	exec 5<>"$MNT/a/cpu.weight"
	echo -cpu >"$MNT/cgroup.subtree_control"
	[ "$("$MEMCGFS_HELPERS/fdread" -F 5 seek=0 read)" = "read: ENODEV" ]
	echo +cpu >"$MNT/cgroup.subtree_control"
	[ "$("$MEMCGFS_HELPERS/fdread" -F 5 write=50)" = "write: ENODEV" ]
	exec 5>&-
	[ "$(cat "$MNT/a/cpu.weight")" = 100 ]
}

@test "-o controllers=memory gives the memory-only tree; +cpu is EINVAL as with cgroup_disable=" {
	remount -o controllers=memory
	[ "$(cat "$MNT/cgroup.controllers")" = memory ]
	write_fails EINVAL +cpu "$MNT/cgroup.subtree_control"
	write_fails EINVAL "+memory +pids" "$MNT/cgroup.subtree_control"
	[ -z "$(cat "$MNT/cgroup.subtree_control")" ]
	echo +memory >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	[ -z "$(ls "$MNT/a" | grep -E '^(cpuset|io|hugetlb|pids|rdma|misc)\.|^cpu\.(weight|max|idle|uclamp)' | grep -v '\.pressure$')" ]
	# The core statistics stay: they do not belong to a controller.
	[ -e "$MNT/a/cpu.stat" ] && [ -e "$MNT/a/cgroup.stat.local" ]
	[ "$(cat "$MNT/a/cpu.stat.local")" = "" ]
	remount -o controllers=cpu:memory:pids
	[ "$(cat "$MNT/cgroup.controllers")" = "cpu memory pids" ]
	write_fails EINVAL +io "$MNT/cgroup.subtree_control"
}

@test "-o controllers= refuses a list without memory or with an unknown name" {
	unmount_memcgfs
	local d
	d=$(mktemp -d "$MEMCGFS_TMP/bad.XXXXXX")
	run "$MEMCGFS_BIN" -f -o controllers=cpu:pids "$d"
	[ "$status" -ne 0 ] && [[ "$output" == *"must include memory"* ]]
	run "$MEMCGFS_BIN" -f -o controllers=memory:net_cls "$d"
	[ "$status" -ne 0 ] && [[ "$output" == *"controllers= takes"* ]]
	mount_memcgfs
}

@test "-o pure: no sim.* and no v1 memory.kmem.* files anywhere" {
	remount -o pure
	all_on
	mkdir "$MNT/a"
	[ -z "$(ls "$MNT" "$MNT/a" | grep -E '^sim\.|^memory\.kmem\.')" ]
	# The whole 6.18 non-root set (pressure files aside: issue 14's).
	[ "$(files_of "$MNT/a")" = "cgroup.controllers cgroup.events cgroup.freeze cgroup.kill cgroup.max.depth cgroup.max.descendants cgroup.procs cgroup.stat cgroup.stat.local cgroup.subtree_control cgroup.threads cgroup.type cpu.idle cpu.max cpu.max.burst cpu.stat cpu.stat.local cpu.uclamp.max cpu.uclamp.min cpu.weight cpu.weight.nice cpuset.cpus cpuset.cpus.effective cpuset.cpus.exclusive cpuset.cpus.exclusive.effective cpuset.cpus.partition cpuset.mems cpuset.mems.effective hugetlb.2MB.current hugetlb.2MB.events hugetlb.2MB.events.local hugetlb.2MB.max hugetlb.2MB.numa_stat hugetlb.2MB.rsvd.current hugetlb.2MB.rsvd.max io.bfq.weight io.max io.stat io.weight memory.current memory.events memory.events.local memory.high memory.low memory.max memory.min memory.numa_stat memory.oom.group memory.peak memory.reclaim memory.stat memory.swap.current memory.swap.events memory.swap.high memory.swap.max memory.swap.peak memory.zswap.current memory.zswap.max memory.zswap.writeback misc.current misc.events misc.events.local misc.max misc.peak pids.current pids.events pids.events.local pids.max pids.peak rdma.current rdma.max " ]
	run cat "$MNT/a/memory.kmem.usage_in_bytes"
	[ "$status" -ne 0 ]
	# Without -o pure the v1 files are there.
	remount
	echo +memory >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	[ -e "$MNT/a/memory.kmem.usage_in_bytes" ] && [ -e "$MNT/sim.check" ]
}

@test "cgroup.stat: nr_subsys_ and nr_dying_subsys_ of every bound controller, perf_event in every cgroup" {
	mkdir -p "$MNT/a/b"
	echo "+cpu +pids" >"$MNT/cgroup.subtree_control"
	echo +pids >"$MNT/a/cgroup.subtree_control"
	[ "$(cat "$MNT/cgroup.stat")" = "nr_descendants 2
nr_subsys_cpuset 1
nr_subsys_cpu 2
nr_subsys_io 1
nr_subsys_memory 1
nr_subsys_perf_event 3
nr_subsys_hugetlb 1
nr_subsys_pids 3
nr_subsys_rdma 1
nr_subsys_misc 1
nr_dying_descendants 0
nr_dying_subsys_cpuset 0
nr_dying_subsys_cpu 0
nr_dying_subsys_io 0
nr_dying_subsys_memory 0
nr_dying_subsys_perf_event 0
nr_dying_subsys_hugetlb 0
nr_dying_subsys_pids 0
nr_dying_subsys_rdma 0
nr_dying_subsys_misc 0" ]
	[ "$(stat_of nr_subsys_pids "$MNT/a/b/cgroup.stat")" = 1 ]
	[ "$(stat_of nr_subsys_cpu "$MNT/a/b/cgroup.stat")" = 0 ]
	[ "$(stat_of nr_subsys_perf_event "$MNT/a/b/cgroup.stat")" = 1 ]
	# The memory-only tree has the memory-only cgroup.stat.
	remount -o controllers=memory
	[ "$(cat "$MNT/cgroup.stat")" = $'nr_descendants 0\nnr_subsys_memory 1\nnr_dying_descendants 0\nnr_dying_subsys_memory 0' ]
	write_fails EINVAL +perf_event "$MNT/cgroup.subtree_control"
}

# ------------------------------------------------- subtree_control rules

@test "a controller's files belong to whoever enabled it; re-enabling forgets a chown" {
	remount -o allow_other,cpus=4
	mkdir "$MNT/a"
	chown $NOBODY "$MNT/cgroup.subtree_control"
	as_nobody sh -c 'echo +pids > cgroup.subtree_control'
	[ "$(stat -c %u "$MNT/a/pids.max")" = $NOBODY ]
	[ "$(stat -c %u "$MNT/a/cgroup.procs")" = 0 ]
	echo +cpu >"$MNT/cgroup.subtree_control"
	[ "$(stat -c %u "$MNT/a/cpu.max")" = 0 ]
	chown 123 "$MNT/a/cpu.max"
	[ "$(stat -c %u "$MNT/a/cpu.max")" = 123 ]
	echo -cpu >"$MNT/cgroup.subtree_control"
	echo +cpu >"$MNT/cgroup.subtree_control"
	[ "$(stat -c %u "$MNT/a/cpu.max")" = 0 ]
}

@test "a removed group's controller and pressure files: open fds keep their owner for fstat and answer ENODEV" {
	local dev
	# rmdir frees the other controllers' csses and the psi group (only
	# a dying memcg outlives its cgroup); the kernfs nodes of open fds
	# live on, with their owners.
	remount -o allow_other,cpus=4
	mkdir "$MNT/a"
	chown $NOBODY "$MNT/cgroup.subtree_control"
	as_nobody sh -c 'echo +pids > cgroup.subtree_control'
	echo "+cpu +io +cpuset" >"$MNT/cgroup.subtree_control"
	echo 20 >"$MNT/a/cpu.weight"
	echo "default 50" >"$MNT/a/io.weight"
	# An io.max line is a heap array of the css, freed with it.
	dev=$(whole_disk) && echo "$dev rbps=1048576" >"$MNT/a/io.max"
	exec 5<"$MNT/a/pids.max" 6<>"$MNT/a/cpu.weight" 7<>"$MNT/a/memory.pressure"
	rmdir "$MNT/a"
	[ "$(stat -L -c %u /dev/fd/5)" = $NOBODY ]
	[ "$(stat -L -c %u /dev/fd/6)" = 0 ]
	[ "$("$MEMCGFS_HELPERS/fdread" -F 5 seek=0 read)" = "read: ENODEV" ]
	[ "$("$MEMCGFS_HELPERS/fdread" -F 6 seek=0 read)" = "read: ENODEV" ]
	[ "$("$MEMCGFS_HELPERS/fdread" -F 6 write=50)" = "write: ENODEV" ]
	[ "$("$MEMCGFS_HELPERS/fdread" -F 7 seek=0 read)" = "read: ENODEV" ]
	[ "$("$MEMCGFS_HELPERS/fdread" -F 7 "write=some 150000 1000000")" = "write: ENODEV" ]
	exec 5<&- 6>&- 7>&-
	# The name is free again, with fresh csses.
	mkdir "$MNT/a"
	[ "$(cat "$MNT/a/cpu.weight")" = 100 ]
	[ -z "$(cat "$MNT/a/io.max")" ]
	[ "$(cat "$MNT/a/io.weight")" = "default 100" ]
}

@test "subtree_control: unknown, v1-only and + without a name are EINVAL; perf_event is implicit (ENOENT)" {
	local sc=$MNT/cgroup.subtree_control
	write_fails EINVAL +cpuacct "$sc"
	write_fails EINVAL +devices "$sc"
	write_fails EINVAL +net_cls "$sc"
	write_fails EINVAL "cpu" "$sc"
	write_fails EINVAL "+cpu +nope" "$sc"
	[ -z "$(cat "$sc")" ]
	write_fails ENOENT +perf_event "$sc"
	# -perf_event: not in subtree_control, a no-op.
	wr -perf_event "$sc"
	# Last token for a name wins; all or nothing.
	wr "+cpu -cpu +pids" "$sc"
	[ "$(cat "$sc")" = pids ]
}

@test "subtree_control: top-down (ENOENT), no disabling under a child that uses it (EBUSY)" {
	mkdir -p "$MNT/a/b"
	write_fails ENOENT +cpu "$MNT/a/cgroup.subtree_control"
	echo +cpu >"$MNT/cgroup.subtree_control"
	echo +cpu >"$MNT/a/cgroup.subtree_control"
	write_fails ENOENT +pids "$MNT/a/cgroup.subtree_control"
	write_fails EBUSY -cpu "$MNT/cgroup.subtree_control"
	write_fails EBUSY "-pids -cpu" "$MNT/cgroup.subtree_control"
	[ "$(cat "$MNT/a/b/cgroup.controllers")" = cpu ]
	echo -cpu >"$MNT/a/cgroup.subtree_control"
	echo -cpu >"$MNT/cgroup.subtree_control"
	[ -z "$(cat "$MNT/a/cgroup.controllers")" ]
}

@test "no internal processes: domain controllers EBUSY with members, threaded ones (cpu cpuset pids) allowed" {
	all_on
	mkdir -p "$MNT/a/b"
	spawn sleep 100
	echo "$LAST_PID" >"$MNT/a/cgroup.procs"
	write_fails EBUSY +io "$MNT/a/cgroup.subtree_control"
	write_fails EBUSY +memory "$MNT/a/cgroup.subtree_control"
	write_fails EBUSY "+pids +memory" "$MNT/a/cgroup.subtree_control"
	[ -z "$(cat "$MNT/a/cgroup.subtree_control")" ]
	wr "+cpu +cpuset +pids" "$MNT/a/cgroup.subtree_control"
	[ "$(cat "$MNT/a/cgroup.subtree_control")" = "cpuset cpu pids" ]
	# cgroup_migrate_vet_dst(): only threaded controllers, no populated
	# child: a process may still join.
	spawn sleep 100
	wr "$LAST_PID" "$MNT/a/cgroup.procs"
	# Processes and threaded controllers: a thread root, whose domain
	# children are invalid (cgroup_is_valid_domain()).
	[ "$(cat "$MNT/a/cgroup.type")" = "domain threaded" ]
	[ "$(cat "$MNT/a/b/cgroup.type")" = "domain invalid" ]
	write_fails EOPNOTSUPP "$LAST_PID" "$MNT/a/b/cgroup.procs"
	# With a populated child it may not (it could not become a thread root).
	mkdir -p "$MNT/c/d"
	echo "$LAST_PID" >"$MNT/c/d/cgroup.procs"
	wr +cpu "$MNT/c/cgroup.subtree_control"
	spawn sleep 100
	write_fails EBUSY "$LAST_PID" "$MNT/c/cgroup.procs"
	# The root is mixable: processes and domain controllers together.
	wr "$LAST_PID" "$MNT/cgroup.procs"
}

@test "a domain controller enabled refuses migration into that cgroup (EBUSY)" {
	all_on
	mkdir -p "$MNT/a/b"
	echo +io >"$MNT/a/cgroup.subtree_control"
	spawn sleep 100
	write_fails EBUSY "$LAST_PID" "$MNT/a/cgroup.procs"
	wr "$LAST_PID" "$MNT/a/b/cgroup.procs"
}

# ------------------------------------------------------------ cpu

@test "cpu.weight and cpu.weight.nice: ranges (ERANGE), parser (EINVAL), kernel rounding" {
	echo +cpu >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local w=$MNT/a/cpu.weight n=$MNT/a/cpu.weight.nice
	[ "$(cat "$w")" = 100 ] && [ "$(cat "$n")" = 0 ]
	wr_reads 1 "$w" 1
	wr_reads 10000 "$w" 10000
	wr_reads 0x32 "$w" 50
	wr_reads "+7" "$w" 7
	write_fails ERANGE 0 "$w"
	write_fails ERANGE 10001 "$w"
	write_fails EINVAL -1 "$w"
	write_fails EINVAL abc "$w"
	write_fails EINVAL " 5" "$w"
	write_fails EINVAL "5 " "$w"
	[ "$(cat "$w")" = 7 ]
	# nice 5 is weight 335: cpu.weight reads round(335*100/1024) = 33.
	wr_reads 5 "$n" 5
	[ "$(cat "$w")" = 33 ]
	wr_reads -20 "$n" -20
	[ "$(cat "$w")" = 8668 ]
	wr_reads 19 "$n" 19
	write_fails ERANGE 20 "$n"
	write_fails ERANGE -21 "$n"
	write_fails EINVAL x "$n"
	# weight 100 is nice 0's 1024.
	echo 100 >"$w"
	[ "$(cat "$n")" = 0 ]
}

@test "cpu.idle: 0 or 1, anything else EINVAL" {
	echo +cpu >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	wr_reads 1 "$MNT/a/cpu.idle" 1
	wr_reads 0 "$MNT/a/cpu.idle" 0
	write_fails EINVAL 2 "$MNT/a/cpu.idle"
	write_fails EINVAL -1 "$MNT/a/cpu.idle"
	write_fails EINVAL y "$MNT/a/cpu.idle"
}

@test "cpu.max and cpu.max.burst: tg_set_cfs_bandwidth()'s bounds" {
	echo +cpu >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local m=$MNT/a/cpu.max b=$MNT/a/cpu.max.burst
	[ "$(cat "$m")" = "max 100000" ] && [ "$(cat "$b")" = 0 ]
	wr_reads "50000 200000" "$m" "50000 200000"
	wr_reads 30000 "$m" "30000 200000"	# the period stays
	wr_reads max "$m" "max 200000"
	wr_reads "1000 1000" "$m" "1000 1000"
	wr_reads "max 1000000" "$m" "max 1000000"
	write_fails EINVAL "999 100000" "$m"	# quota < 1 ms
	write_fails EINVAL "max 999" "$m"	# period < 1 ms
	write_fails EINVAL "max 1000001" "$m"	# period > 1 s
	write_fails EINVAL "-1 100000" "$m"
	write_fails EINVAL "maximum 100000" "$m"
	write_fails EINVAL $'\n' "$m"
	write_fails EINVAL "17592186044416 100000" "$m"	# > MAX_BW us
	[ "$(cat "$m")" = "max 1000000" ]
	# A burst needs quota >= burst once a quota is set.
	wr_reads 5000000 "$b" 5000000
	write_fails EINVAL "4000000 1000000" "$m"
	wr "6000000 1000000" "$m"
	write_fails EINVAL 7000000 "$b"
	write_fails EINVAL abc "$b"
	wr_reads 0 "$b" 0
}

@test "cpu.uclamp.min/max: percentages with two decimals, max, ERANGE beyond 100" {
	echo +cpu >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local u=$MNT/a/cpu.uclamp.min
	[ "$(cat "$u")" = 0.00 ] && [ "$(cat "$MNT/a/cpu.uclamp.max")" = max ]
	wr_reads 50 "$u" 50.00
	wr_reads 12.345 "$u" 12.35
	wr_reads 0.5 "$u" 0.50
	wr_reads 100 "$u" max
	wr_reads max "$u" max
	write_fails ERANGE 100.01 "$u"
	write_fails ERANGE -1 "$u"
	write_fails EINVAL abc "$u"
	write_fails EINVAL $'\n' "$u"
	wr_reads 20 "$MNT/a/cpu.uclamp.max" 20.00
}

# ------------------------------------------------------------ pids

@test "pids.max: max or 0..4194304; others EINVAL" {
	echo +pids >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local p=$MNT/a/pids.max
	[ "$(cat "$p")" = max ]
	wr_reads 0 "$p" 0
	wr_reads 4194304 "$p" 4194304
	wr_reads 0x10 "$p" 16
	wr_reads " max " "$p" max
	write_fails EINVAL 4194305 "$p"
	write_fails EINVAL -1 "$p"
	write_fails EINVAL Max "$p"
	write_fails EINVAL "1 2" "$p"
	write_fails ERANGE 99999999999999999999 "$p"
	[ "$(cat "$p")" = max ]
	[ "$(cat "$MNT/a/pids.events")" = "max 0" ]
	[ "$(cat "$MNT/a/pids.events.local")" = "max 0" ]
}

@test "pids.current counts the real threads of the subtree's members; pids.peak keeps the high mark" {
	echo +pids >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	echo +pids >"$MNT/a/cgroup.subtree_control"
	mkdir "$MNT/a/b"
	[ "$(cat "$MNT/a/pids.current")" = 0 ]
	spawn sleep 100
	local s1=$LAST_PID
	spawn sleep 100
	echo "$s1" >"$MNT/a/b/cgroup.procs"
	echo "$LAST_PID" >"$MNT/a/b/cgroup.procs"
	[ "$(cat "$MNT/a/b/pids.current")" = 2 ]
	[ "$(cat "$MNT/a/pids.current")" = 2 ]
	# pids.max is not enforced on migration (nor, here, on fork).
	echo 1 >"$MNT/a/pids.max"
	spawn sleep 100
	wr "$LAST_PID" "$MNT/a/b/cgroup.procs"
	[ "$(cat "$MNT/a/pids.current")" = 3 ]
	# A process with threads counts each (python3 with 3 extra threads).
	spawn python3 -c 'import threading,time
for _ in range(3): threading.Thread(target=time.sleep, args=(100,), daemon=True).start()
time.sleep(100)'
	local py=$LAST_PID
	wait_until "[ \$(awk '{print \$20}' /proc/$py/stat) = 4 ]"
	echo "$py" >"$MNT/a/b/cgroup.procs"
	[ "$(cat "$MNT/a/pids.current")" = 7 ]
	kill "$s1" "$py"
	wait_until "[ \$(cat '$MNT/a/pids.current') = 2 ]"
	[ "$(cat "$MNT/a/pids.peak")" = 7 ]
	[ "$(cat "$MNT/a/b/pids.peak")" = 7 ]
}

# ------------------------------------------------------------ cpuset

@test "cpuset.cpus/mems: lists checked against -o cpus=4 and node 0 (ERANGE, EINVAL, ENOSPC)" {
	echo +cpuset >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local c=$MNT/a/cpuset.cpus m=$MNT/a/cpuset.mems
	[ "$(cat "$c")" = "" ] && [ "$(cat "$MNT/a/cpuset.cpus.effective")" = 0-3 ]
	[ "$(cat "$MNT/cpuset.cpus.effective")" = 0-3 ]
	[ "$(cat "$MNT/cpuset.mems.effective")" = 0 ]
	wr_reads 1-2 "$c" 1-2
	[ "$(cat "$MNT/a/cpuset.cpus.effective")" = 1-2 ]
	wr_reads "0,2-3" "$c" "0,2-3"
	wr_reads "0-3:1/2" "$c" "0,2"
	wr_reads "all" "$c" "0-3"
	wr_reads "N" "$c" "3"
	wr_reads "1 2" "$c" "1-2"
	write_fails ERANGE 4 "$c"
	write_fails ERANGE 0-4 "$c"
	write_fails EINVAL 3-1 "$c"
	write_fails EINVAL 1- "$c"
	write_fails EINVAL x "$c"
	write_fails EINVAL "1;2" "$c"
	write_fails EOVERFLOW 99999999999 "$c"
	[ "$(cat "$c")" = 1-2 ]
	wr_reads 0 "$m" 0
	write_fails EINVAL 1 "$m"
	write_fails ERANGE 1024 "$m"
	wr_reads $'\n' "$m" ""
	# A populated cpuset cannot lose all its CPUs.
	spawn sleep 100
	echo "$LAST_PID" >"$MNT/a/cgroup.procs"
	write_fails ENOSPC $'\n' "$c"
	wr_reads 3 "$c" 3
}

@test "cpuset.cpus.partition: member/root/isolated, validity shown as the kernel words it" {
	echo +cpuset >"$MNT/cgroup.subtree_control"
	mkdir -p "$MNT/a/x" "$MNT/b"
	local p=$MNT/a/cpuset.cpus.partition
	[ "$(cat "$p")" = member ]
	write_fails EINVAL foo "$p"
	write_fails EINVAL Root "$p"
	wr_reads root "$p" "root invalid (cpuset.cpus and cpuset.cpus.exclusive are empty)"
	echo 0-1 >"$MNT/a/cpuset.cpus"
	[ "$(cat "$p")" = root ]
	[ "$(cat "$MNT/cpuset.cpus.effective")" = 2-3 ]
	[ "$(cat "$MNT/a/cpuset.cpus.effective")" = 0-1 ]
	[ "$(cat "$MNT/b/cpuset.cpus.effective")" = 2-3 ]
	[ "$(cat "$MNT/a/cpuset.cpus.exclusive.effective")" = 0-1 ]
	# An overlapping sibling partition is invalid; the first one stays.
	echo 1-2 >"$MNT/b/cpuset.cpus"
	wr_reads isolated "$MNT/b/cpuset.cpus.partition" "isolated invalid (Cpu list in cpuset.cpus not exclusive)"
	echo 2 >"$MNT/b/cpuset.cpus"
	[ "$(cat "$MNT/b/cpuset.cpus.partition")" = isolated ]
	[ "$(cat "$MNT/cpuset.cpus.isolated")" = 2 ]
	# Taking the root's last CPU is refused.
	echo 2-3 >"$MNT/b/cpuset.cpus"
	[ "$(cat "$MNT/b/cpuset.cpus.partition")" = "isolated invalid (Parent unable to distribute cpu downstream)" ]
	# Below a member, a partition is invalid.
	echo +cpuset >"$MNT/b/cgroup.subtree_control"
	mkdir "$MNT/b/y"
	echo 3 >"$MNT/b/y/cpuset.cpus"
	wr_reads root "$MNT/b/y/cpuset.cpus.partition" "root invalid (Parent is an invalid partition root)"
	echo member >"$MNT/b/cpuset.cpus.partition"
	[ "$(cat "$MNT/b/y/cpuset.cpus.partition")" = "root invalid (Parent is not a partition root)" ]
	wr_reads member "$p" member
	[ "$(cat "$MNT/cpuset.cpus.effective")" = 0-3 ]
}

@test "cpuset.cpus.exclusive: no overlap with siblings' exclusive CPUs; a sibling's cpus cannot all be taken (EINVAL)" {
	echo +cpuset >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a" "$MNT/b" "$MNT/c"
	wr_reads 0-1 "$MNT/a/cpuset.cpus.exclusive" 0-1
	[ "$(cat "$MNT/a/cpuset.cpus.exclusive.effective")" = 0-1 ]
	write_fails EINVAL 1 "$MNT/b/cpuset.cpus.exclusive"
	write_fails ERANGE 4 "$MNT/b/cpuset.cpus.exclusive"
	wr_reads 2 "$MNT/b/cpuset.cpus.exclusive" 2
	# validate_change(): c's cpus inside a's exclusive set.
	write_fails EINVAL 0-1 "$MNT/c/cpuset.cpus"
	wr_reads 1-3 "$MNT/c/cpuset.cpus" 1-3
	# b taking 2-3 leaves c's 1 free; 1-3 would overlap a's 0-1.
	wr_reads 2-3 "$MNT/b/cpuset.cpus.exclusive" 2-3
	write_fails EINVAL 1-3 "$MNT/b/cpuset.cpus.exclusive"
	wr_reads $'\n' "$MNT/a/cpuset.cpus.exclusive" ""
}

# ------------------------------------------------------------ io

# A whole disk of this host (io.max and io.weight name real devices).
whole_disk() {
	local d
	for d in /sys/block/*; do
		[ -e "$d/dev" ] && { cat "$d/dev"; return 0; }
	done
	return 1
}

@test "io.max: MAJ:MIN of a real whole disk; rbps/wbps/riops/wiops > 1 or max (ERANGE for 0)" {
	local dev
	dev=$(whole_disk) || skip "no block device on this host"
	echo +io >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local f=$MNT/a/io.max
	[ "$(cat "$f")" = "" ] && [ "$(cat "$MNT/a/io.stat")" = "" ]
	wr_reads "$dev rbps=1048576" "$f" "$dev rbps=1048576 wbps=max riops=max wiops=max"
	# iops are unsigned int: 5e9 is clamped to UINT_MAX, which is max.
	wr_reads "$dev wiops=100 riops=5000000000" "$f" "$dev rbps=1048576 wbps=max riops=max wiops=100"
	write_fails ERANGE "$dev rbps=0" "$f"
	write_fails EINVAL "$dev rbps=1" "$f"
	write_fails EINVAL "$dev rbps=abc" "$f"
	write_fails EINVAL "$dev bps=5" "$f"
	write_fails EINVAL "$dev rbps" "$f"
	write_fails EINVAL "$dev" "$f"
	write_fails EINVAL "8 rbps=5" "$f"
	write_fails ENODEV "4095:4095 rbps=5" "$f"
	[ "$(cat "$f")" = "$dev rbps=1048576 wbps=max riops=max wiops=100" ]
	# All max again: the line disappears.
	wr_reads "$dev rbps=max riops=max wiops=max" "$f" ""
	local part
	part=$(cat /sys/class/block/*/partition 2>/dev/null | head -1)
	if [ -n "$part" ]; then
		part=$(for d in /sys/class/block/*; do [ -e "$d/partition" ] && cat "$d/dev" && break; done)
		write_fails ENODEV "$part rbps=5" "$f"
	fi
}

@test "io.weight: default 1..10000; a per-disk weight needs iocost (EOPNOTSUPP)" {
	echo +io >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local f=$MNT/a/io.weight
	[ "$(cat "$f")" = "default 100" ]
	wr_reads "default 50" "$f" "default 50"
	wr_reads 200 "$f" "default 200"
	# No colon: sscanf("%u") takes the 8 and ignores the rest.
	wr_reads "8 50" "$f" "default 8"
	wr_reads 10000 "$f" "default 10000"
	write_fails EINVAL 0 "$f"
	write_fails EINVAL 10001 "$f"
	write_fails EINVAL "default" "$f"
	write_fails EINVAL "-5" "$f"
	write_fails EINVAL "x" "$f"
	local dev
	if dev=$(whole_disk); then
		write_fails EOPNOTSUPP "$dev 50" "$f"
		write_fails ENODEV "4095:4095 50" "$f"
	fi
	[ "$(cat "$f")" = "default 10000" ]
}

@test "io.bfq.weight: default 1..1000 (ERANGE), a per-disk weight needs BFQ as the disk's scheduler" {
	echo +io >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local f=$MNT/a/io.bfq.weight
	[ "$(cat "$f")" = "default 100" ]
	wr_reads 500 "$f" "default 500"
	wr_reads "default 1000" "$f" "default 1000"
	wr_reads 0x10 "$f" "default 16"
	write_fails ERANGE 0 "$f"
	write_fails ERANGE 1001 "$f"
	write_fails ERANGE "default 0" "$f"
	write_fails EINVAL "-5" "$f"
	write_fails EINVAL "50 junk" "$f"
	write_fails EINVAL "default" "$f"
	local d dev="" bfq=""
	for d in /sys/block/*; do
		[ -e "$d/dev" ] || continue
		if grep -q '\[bfq\]' "$d/queue/scheduler" 2>/dev/null; then
			bfq=$(cat "$d/dev")
		else
			dev=$(cat "$d/dev")
		fi
	done
	[ -z "$dev" ] || write_fails EOPNOTSUPP "$dev 50" "$f"
	write_fails ENODEV "4095:4095 50" "$f"
	if [ -n "$bfq" ]; then
		wr_reads "$bfq 50" "$f" "default 16
$bfq 50"
		write_fails ERANGE "$bfq 0" "$f"
		wr_reads "$bfq default" "$f" "default 16"
	fi
	[ "$(head -1 "$f")" = "default 16" ]
}

@test "hugetlb.2MB.*: limits in bytes rounded down to whole 2 MB pages, max; nothing is ever charged" {
	echo +hugetlb >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	local f=$MNT/a/hugetlb.2MB.max
	[ "$(cat "$f")" = max ] && [ "$(cat "$MNT/a/hugetlb.2MB.rsvd.max")" = max ]
	wr_reads 4M "$f" 4194304
	wr_reads 5M "$f" 4194304
	wr_reads 1M "$f" 0
	wr_reads max "$f" max
	wr_reads 9223372036854775807 "$f" max
	write_fails EINVAL 1.5G "$f"
	write_fails EINVAL -1 "$f"
	write_fails EINVAL 4MB "$f"
	wr_reads 0x400000 "$MNT/a/hugetlb.2MB.rsvd.max" 4194304
	[ "$(cat "$MNT/a/hugetlb.2MB.current")" = 0 ]
	[ "$(cat "$MNT/a/hugetlb.2MB.events")" = "max 0" ]
	[ "$(cat "$MNT/a/hugetlb.2MB.numa_stat")" = "total=0 N0=0" ]
	[ -z "$(ls "$MNT" | grep hugetlb)" ]
}

@test "rdma and misc: no devices or resources, files empty, writes refused as the kernel does" {
	echo "+rdma +misc" >"$MNT/cgroup.subtree_control"
	mkdir "$MNT/a"
	[ "$(cat "$MNT/a/rdma.max")" = "" ] && [ "$(cat "$MNT/misc.capacity")" = "" ]
	write_fails ENODEV "mlx5_0 hca_handle=2 hca_object=max" "$MNT/a/rdma.max"
	write_fails EINVAL "mlx5_0 hca_handle=-1" "$MNT/a/rdma.max"
	write_fails EINVAL "mlx5_0 foo=1" "$MNT/a/rdma.max"
	write_fails EINVAL "sev 5" "$MNT/a/misc.max"
	write_fails EINVAL "sev x" "$MNT/a/misc.max"
	write_fails EINVAL "nope 5" "$MNT/a/misc.max"
	write_fails EINVAL "sev" "$MNT/a/misc.max"
}

# ------------------------------------------------- cpu.stat, stat.local

@test "cpu.stat: real CPU time of a busy member, summed up the tree, kept after it exits" {
	mkdir -p "$MNT/a/b"
	[ "$(cat "$MNT/a/cpu.stat")" = $'usage_usec 0\nuser_usec 0\nsystem_usec 0\nnice_usec 0' ]
	spawn sh -c 'while :; do :; done'
	local busy=$LAST_PID
	echo "$busy" >"$MNT/a/b/cgroup.procs"
	wait_until "[ \$(stat_of usage_usec '$MNT/a/b/cpu.stat') -ge 20000 ]"
	local u
	u=$(stat_of usage_usec "$MNT/a/b/cpu.stat")
	local ub
	ub=$(stat_of user_usec "$MNT/a/b/cpu.stat")
	[ "$(stat_of user_usec "$MNT/a/cpu.stat")" -ge "$ub" ]
	[ "$(stat_of usage_usec "$MNT/a/cpu.stat")" -ge "$u" ]
	# Not niced (make test may run under nice): no nice time.
	if [ "$(ps -o ni= -p "$busy")" -le 0 ]; then
		[ "$(stat_of nice_usec "$MNT/a/b/cpu.stat")" = 0 ]
	fi
	kill -9 "$busy"
	wait "$busy" 2>/dev/null || true
	wait_until "[ -z \"\$(cat '$MNT/a/b/cgroup.procs')\" ]"
	[ "$(stat_of usage_usec "$MNT/a/b/cpu.stat")" -ge "$u" ]
	[ "$(stat_of usage_usec "$MNT/a/cpu.stat")" -ge "$u" ]
	# Removing the group keeps the time in the parent (rstat propagated it).
	rmdir "$MNT/a/b"
	[ "$(stat_of usage_usec "$MNT/a/cpu.stat")" -ge "$u" ]
	# The root shows the machine's time (/proc/stat), far above it.
	[ "$(stat_of usage_usec "$MNT/cpu.stat")" -gt "$u" ]
}

@test "cpu.stat: a niced member's user time is also nice_usec; moving a process leaves its time behind" {
	mkdir "$MNT/a" "$MNT/c"
	spawn nice -n 5 sh -c 'while :; do :; done'
	local busy=$LAST_PID
	echo "$busy" >"$MNT/a/cgroup.procs"
	wait_until "[ \$(stat_of nice_usec '$MNT/a/cpu.stat') -ge 20000 ]"
	echo "$busy" >"$MNT/c/cgroup.procs"
	local a
	a=$(stat_of usage_usec "$MNT/a/cpu.stat")
	wait_until "[ \$(stat_of usage_usec '$MNT/c/cpu.stat') -ge 20000 ]"
	# a got nothing more once the process left.
	[ "$(stat_of usage_usec "$MNT/a/cpu.stat")" = "$a" ]
	# cpu.stat.local and the bandwidth lines come with the cpu controller.
	[ "$(cat "$MNT/a/cpu.stat.local")" = "" ]
	echo +cpu >"$MNT/cgroup.subtree_control"
	[ "$(cat "$MNT/a/cpu.stat.local")" = "throttled_usec 0" ]
	[ "$(stat_of nr_throttled "$MNT/a/cpu.stat")" = 0 ]
}

@test "cgroup.stat.local: frozen_usec runs from the freeze request to the thaw, ancestors' included" {
	mkdir -p "$MNT/a/b"
	[ "$(cat "$MNT/a/cgroup.stat.local")" = "frozen_usec 0" ]
	[ ! -e "$MNT/cgroup.stat.local" ]
	echo 1 >"$MNT/a/cgroup.freeze"
	sleep 0.3
	echo 0 >"$MNT/a/cgroup.freeze"
	local fa fb
	fa=$(stat_of frozen_usec "$MNT/a/cgroup.stat.local")
	fb=$(stat_of frozen_usec "$MNT/a/b/cgroup.stat.local")
	[ "$fa" -ge 300000 ] && [ "$fb" -ge 300000 ]
	sleep 0.2
	# Thawed: it stands still.
	[ "$(stat_of frozen_usec "$MNT/a/cgroup.stat.local")" = "$fa" ]
	# A group made under a frozen parent counts from its creation.
	echo 1 >"$MNT/a/cgroup.freeze"
	mkdir "$MNT/a/c"
	sleep 0.2
	[ "$(stat_of frozen_usec "$MNT/a/c/cgroup.stat.local")" -ge 200000 ]
	echo 0 >"$MNT/a/cgroup.freeze"
}
