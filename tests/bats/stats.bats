#!/usr/bin/env bats
# Per-CPU statistics: the engines behind memory.stat (-o stats=), virtual
# CPUs (-o cpus=N) and sim.ctl's cpu=K.
#
#   rstat (>= 5.13), sum (<= 4.15)  exact at every level at every read
#   spill (5.2)                     per-CPU deltas under 32 pages (131072
#                                   bytes for byte items) stay on the CPU;
#                                   a released child's residues are lost
#   spill-fixed (5.3-5.12)          ... flushed once at release
#   spill-doubleflush (2019 bug)    slab residues flushed at offline and
#                                   again at release
load helper

SPILL_BYTES=131072	# 32 pages: the spill threshold of a byte item
DENTRY=200		# dentry objects: 192 + the 8-byte obj_cgroup pointer

# percpu_of G: the percpu line of G's memory.stat into $PERCPU, with read
# builtins only (no subprocess: the random walks read it often).
percpu_of() {
	local k v
	PERCPU=
	while read -r k v; do
		if [ "$k" = percpu ]; then
			PERCPU=$v
			return 0
		fi
	done <"$MNT/$1/memory.stat"
	return 1
}

# Drain G's subtree (the obj stocks cache slab stats), then print KEY of
# its memory.stat.
drained_stat() {
	echo drain >"$MNT/$1/sim.ctl"
	stat_of "$2" "$MNT/$1/memory.stat"
}

# A group that can have children of its own.
mkparent() {
	mkdir "$MNT/$1"
	echo +memory >"$MNT/$1/cgroup.subtree_control"
}

# The percpu the parent pays for one child's memcg (its per-CPU statistics,
# cpus x a fixed size): measured on G with one mkdir, into $STRUCT.
measure_struct() {
	local before
	percpu_of "$1"
	before=$PERCPU
	mkdir "$MNT/$1/probe"
	percpu_of "$1"
	STRUCT=$((PERCPU - before))
	rmdir "$MNT/$1/probe"
	percpu_of "$1"
	[ "$PERCPU" = "$before" ] || {
		echo "$1: percpu $before before a mkdir+rmdir, $PERCPU after" >&2
		return 1
	}
	[ "$STRUCT" -gt 0 ]
}

# 1..N
rand() {
	R=$(((RANDOM << 15 | RANDOM) % $1 + 1))
}

# The walk's shadow.  Group i is $MNT/${W_PATH[i]}, child of W_PAR[i];
# W_OWN[i]: the percpu bytes it holds itself (what removed children left
# it included); W_NCH[i]: its live children; W_DEPTH[i]; W_LIVEIDX: the
# live groups.
walk_live() {
	local i live=()
	for i in "${W_LIVEIDX[@]}"; do
		[ "${W_ALIVE[i]}" = 1 ] && live+=("$i")
	done
	W_LIVEIDX=("${live[@]}")
}

# Compare the percpu line of every live group with the shadow: its own and
# its live descendants' percpu, plus STRUCT per live child memcg anywhere
# below it.  Adds to W_BAD, keeps the first few messages in W_MSGS.
walk_check() {
	local -a want=()
	local i h step=$1
	for i in "${W_LIVEIDX[@]}"; do
		want[i]=0
	done
	for h in "${W_LIVEIDX[@]}"; do
		i=$h
		while [ "$i" -ge 0 ]; do
			want[i]=$((want[i] + W_OWN[h] + STRUCT * W_NCH[h]))
			i=${W_PAR[i]}
		done
	done
	for i in "${W_LIVEIDX[@]}"; do
		percpu_of "${W_PATH[i]}"
		W_CHECKS=$((W_CHECKS + 1))
		if [ "$PERCPU" != "${want[i]}" ]; then
			W_BAD=$((W_BAD + 1))
			if [ "${#W_MSGS[@]}" -lt 10 ]; then
				W_MSGS+=("step $step: ${W_PATH[i]} percpu $PERCPU, expected ${want[i]}")
			fi
		fi
	done
}

# random_walk MODE STEPS: under -o stats=MODE,cpus=8, create (mkdir,
# +memory), charge (percpu SIZE cpu=K in a leaf), free (free percpu in a
# leaf, at most what it holds) and destroy (rmdir a leaf) at random in a
# small tree under p, checking every group every 200 steps and at the end.
# WALK_SEED=N replays a walk.
random_walk() {
	local mode=$1 steps=$2 seed=${WALK_SEED:-$$}
	remount -o "stats=$mode,cpus=8"
	echo +memory >"$MNT/cgroup.subtree_control"
	mkparent p
	measure_struct p
	echo "seed $seed, 8 CPUs, $STRUCT bytes of percpu per child memcg"
	# Without bats' DEBUG trap (set -T carries it into every function):
	# it would make the walk several times slower.  One perl process runs
	# every mkdir and rmdir (perl-base is Essential in Debian; as in
	# tools/drift.sh): a fork per directory costs more than all the rest.
	(
		trap - DEBUG
		coproc FSOP { exec perl "$BATS_TEST_DIRNAME/../../tools/fsop.pl" 3>&-; }
		walk_run "$mode" "$steps" "$seed"
	)
}

# fsop m|r DIR: mkdir or rmdir $MNT/DIR, by the perl coprocess.
fsop() {
	local reply
	printf '%s %s\n' "$1" "$MNT/$2" >&"${FSOP[1]}"
	IFS= read -r reply <&"${FSOP[0]}"
	[ "$reply" = ok ] || {
		echo "$1 $2: $reply" >&2
		return 1
	}
}

walk_run() {
	local mode=$1 steps=$2 seed=$3
	local ncpu=8 maxlive=14 maxdepth=4
	local step i r g k n path
	local -a leaves
	RANDOM=$seed
	W_PATH=(p) W_PAR=(-1) W_ALIVE=(1) W_OWN=(0) W_NCH=(0) W_DEPTH=(0)
	W_LIVEIDX=(0) W_BAD=0 W_CHECKS=0 W_MSGS=()
	local ops_create=0 ops_charge=0 ops_free=0 ops_destroy=0
	for ((step = 1; step <= steps; step++)); do
		leaves=()
		for i in "${W_LIVEIDX[@]}"; do
			[ "${W_NCH[i]}" = 0 ] && leaves+=("$i")
		done
		r=$((RANDOM % 100))
		k=$((RANDOM % ncpu))
		if [ "$r" -lt 20 ]; then
			# create: under a random live group not too deep
			g=${W_LIVEIDX[RANDOM % ${#W_LIVEIDX[@]}]}
			if [ "${#W_LIVEIDX[@]}" -lt "$maxlive" ] &&
				[ "${W_DEPTH[g]}" -lt "$maxdepth" ]; then
				n=${#W_PATH[@]}
				path=${W_PATH[g]}/g$n
				fsop m "$path"
				echo +memory >"$MNT/$path/cgroup.subtree_control"
				W_PATH[n]=$path W_PAR[n]=$g W_ALIVE[n]=1 W_OWN[n]=0
				W_NCH[n]=0 W_DEPTH[n]=$((W_DEPTH[g] + 1))
				W_NCH[g]=$((W_NCH[g] + 1))
				W_LIVEIDX+=("$n")
				ops_create=$((ops_create + 1))
				r=-1
			else
				r=20	# a charge instead
			fi
		fi
		if [ "$r" -ge 80 ] && [ "${#W_LIVEIDX[@]}" -gt 1 ]; then
			# destroy a leaf (p is none while it has children):
			# what it holds is its parent's from now on
			g=${leaves[RANDOM % ${#leaves[@]}]}
			fsop r "${W_PATH[g]}"
			W_ALIVE[g]=0
			i=${W_PAR[g]}
			W_OWN[i]=$((W_OWN[i] + W_OWN[g]))
			W_OWN[g]=0
			W_NCH[i]=$((W_NCH[i] - 1))
			walk_live
			ops_destroy=$((ops_destroy + 1))
		elif [ "$r" -ge 55 ]; then
			# free at most what a leaf holds
			g=${leaves[RANDOM % ${#leaves[@]}]}
			if [ "${W_OWN[g]}" -gt 0 ]; then
				rand "${W_OWN[g]}"
				echo "free percpu $R cpu=$k" >"$MNT/${W_PATH[g]}/sim.ctl"
				W_OWN[g]=$((W_OWN[g] - R))
				ops_free=$((ops_free + 1))
			fi
		elif [ "$r" -ge 0 ]; then
			# charge 1..100000 bytes on CPU k
			g=${leaves[RANDOM % ${#leaves[@]}]}
			rand 100000
			echo "percpu $R cpu=$k" >"$MNT/${W_PATH[g]}/sim.ctl"
			W_OWN[g]=$((W_OWN[g] + R))
			ops_charge=$((ops_charge + 1))
		fi
		((step % 200)) || walk_check "$step"
	done
	((steps % 200)) && walk_check "$steps"
	echo "$ops_create mkdir, $ops_charge charges, $ops_free frees," \
		"$ops_destroy rmdir; ${#W_PATH[@]} groups made," \
		"${#W_LIVEIDX[@]} live at the end; $W_CHECKS reads, $W_BAD wrong"
	[ "$W_BAD" = 0 ] || {
		printf '%s\n' "${W_MSGS[@]}" >&2
		echo "$W_BAD of $W_CHECKS reads wrong (WALK_SEED=$seed)" >&2
		return 1
	}
	# The walk did what it says: every kind of step, and a tree.
	[ "$ops_create" -gt 20 ]
	[ "$ops_destroy" -gt 10 ]
	[ "$ops_charge" -gt 200 ]
	[ "$ops_free" -gt 100 ]
	# Everything freed, deepest first (a child's index is above its
	# parent's): p is back to nothing but its descendants' memcgs.
	for ((r = ${#W_LIVEIDX[@]} - 1; r >= 0; r--)); do
		i=${W_LIVEIDX[r]}
		if [ "${W_OWN[i]}" -gt 0 ]; then
			echo "free percpu ${W_OWN[i]}" >"$MNT/${W_PATH[i]}/sim.ctl"
		fi
	done
	percpu_of p
	[ "$PERCPU" = $((STRUCT * (${#W_LIVEIDX[@]} - 1))) ]
}

@test "stats: rstat, 8 CPUs: a 10000-step random walk of mkdir, percpu cpu=K, free, rmdir is exact at every group" {
	random_walk rstat 10000
}

@test "stats: sum, 8 CPUs: a 10000-step random walk of mkdir, percpu cpu=K, free, rmdir is exact at every group" {
	random_walk sum 10000
}

@test "stats: cpu=K takes 0..cpus-1; anything else is EINVAL and charges nothing" {
	remount -o cpus=8
	mkgroups a
	write_fails EINVAL "percpu 1000 cpu=8" "$MNT/a/sim.ctl"
	write_fails EINVAL "percpu 1000 cpu=-1" "$MNT/a/sim.ctl"
	write_fails EINVAL "percpu 1000 cpu=x" "$MNT/a/sim.ctl"
	write_fails EINVAL "percpu 1000 cpu=" "$MNT/a/sim.ctl"
	write_fails EINVAL "percpu 1000 cpu=1x" "$MNT/a/sim.ctl"
	write_fails EINVAL "slab dentry 10 cpu=8" "$MNT/a/sim.ctl"
	write_fails EINVAL "sock 4096 cpu=8" "$MNT/a/sim.ctl"
	write_fails EINVAL "drain cpu=8" "$MNT/a/sim.ctl"
	[ "$(stat_of percpu "$MNT/a/memory.stat")" = 0 ]
	[ "$(drained_stat a slab)" = 0 ]
	[ "$(stat_of sock "$MNT/a/memory.stat")" = 0 ]
	[ "$(current_of a)" = 0 ]
	# The first and the last CPU.
	echo "percpu 1000 cpu=0" >"$MNT/a/sim.ctl"
	echo "percpu 1000 cpu=7" >"$MNT/a/sim.ctl"
	echo "slab dentry 10 cpu=7" >"$MNT/a/sim.ctl"
	echo "drain cpu=7" >"$MNT/a/sim.ctl"
	[ "$(stat_of percpu "$MNT/a/memory.stat")" = 2000 ]
	[ "$(drained_stat a slab_reclaimable)" = $((10 * DENTRY)) ]
	echo "free percpu 2000 cpu=3" >"$MNT/a/sim.ctl"
	write_fails EINVAL "free percpu 1 cpu=3" "$MNT/a/sim.ctl"
	[ "$(stat_of percpu "$MNT/a/memory.stat")" = 0 ]
	# The bound follows -o cpus.
	remount -o cpus=2
	mkgroups a
	write_fails EINVAL "percpu 1000 cpu=2" "$MNT/a/sim.ctl"
	[ "$(stat_of percpu "$MNT/a/memory.stat")" = 0 ]
	echo "percpu 1000 cpu=1" >"$MNT/a/sim.ctl"
	[ "$(stat_of percpu "$MNT/a/memory.stat")" = 1000 ]
}

@test "stats: spill-fixed: a per-CPU delta under 131072 bytes stays unseen until it spills, then shows exactly" {
	remount -o stats=spill-fixed,cpus=4
	echo +memory >"$MNT/cgroup.subtree_control"
	mkparent p
	mkdir "$MNT/p/c"
	# c's memcg (4 x the per-CPU size, well under the threshold) is a
	# delta on p's mkdir CPU: unseen as well.
	[ "$(stat_of percpu "$MNT/p/memory.stat")" = 0 ]
	echo "percpu 100000 cpu=0" >"$MNT/p/c/sim.ctl"
	[ "$(stat_of percpu "$MNT/p/c/memory.stat")" = 0 ]
	[ "$(stat_of percpu "$MNT/p/memory.stat")" = 0 ]
	# 100000 more, but on another CPU: still two residues.
	echo "percpu 100000 cpu=1" >"$MNT/p/c/sim.ctl"
	[ "$(stat_of percpu "$MNT/p/c/memory.stat")" = 0 ]
	[ "$(stat_of percpu "$MNT/p/memory.stat")" = 0 ]
	# CPU 0's delta reaches 140000 > 131072: all of it spills, up to p.
	echo "percpu 40000 cpu=0" >"$MNT/p/c/sim.ctl"
	[ "$(stat_of percpu "$MNT/p/c/memory.stat")" = 140000 ]
	[ "$(stat_of percpu "$MNT/p/memory.stat")" = 140000 ]
	# A free under the threshold on CPU 0 is a residue again: unseen.
	echo "free percpu 40000 cpu=0" >"$MNT/p/c/sim.ctl"
	[ "$(stat_of percpu "$MNT/p/c/memory.stat")" = 140000 ]
	# Slab, a byte item too: 120000 bytes on one CPU stay unseen (drained:
	# the obj stock caches slab stats as well).  20000 more cross the
	# threshold: what has reached the CPU's delta by then spills, more
	# than 131072 bytes and at most all 140000 (the obj stock hands the
	# stat over in chunks, so the rest may stay a residue).
	echo "slab dentry 600 cpu=2" >"$MNT/p/c/sim.ctl"
	[ "$(drained_stat p/c slab_reclaimable)" = 0 ]
	echo "slab dentry 100 cpu=2" >"$MNT/p/c/sim.ctl"
	local v
	v=$(drained_stat p/c slab_reclaimable)
	[ "$v" -gt $SPILL_BYTES ]
	[ "$v" -le $((700 * DENTRY)) ]
	[ "$(drained_stat p slab_reclaimable)" = "$v" ]
}

# A child d of q with 50000 bytes of percpu and 100 dentries (20000 bytes)
# on each of 4 CPUs: residues all, under the threshold.  Then rmdir d
# (nothing pins it: released at once; q owns what d held).
removed_child_with_residues() {
	remount -o "stats=$1,cpus=4"
	echo +memory >"$MNT/cgroup.subtree_control"
	mkparent q
	mkdir "$MNT/q/d"
	local k
	for k in 0 1 2 3; do
		echo "percpu 50000 cpu=$k" >"$MNT/q/d/sim.ctl"
		echo "slab dentry 100 cpu=$k" >"$MNT/q/d/sim.ctl"
	done
	echo drain >"$MNT/q/d/sim.ctl"
	QD_PERCPU=$(stat_of percpu "$MNT/q/memory.stat")
	QD_SLAB=$(stat_of slab_reclaimable "$MNT/q/memory.stat")
	rmdir "$MNT/q/d"
	[ "$(stat_of nr_dying_descendants "$MNT/q/cgroup.stat")" = 0 ]
	echo drain >"$MNT/q/sim.ctl"
}

@test "stats: spill-fixed: a removed child's residues reach its parent exactly once" {
	removed_child_with_residues spill-fixed
	[ "$QD_PERCPU" = 0 ]
	[ "$QD_SLAB" = 0 ]
	[ "$(stat_of percpu "$MNT/q/memory.stat")" = 200000 ]
	[ "$(stat_of slab_reclaimable "$MNT/q/memory.stat")" = $((400 * DENTRY)) ]
	[ "$(stat_of percpu "$MNT/memory.stat")" = 200000 ]
	# Later spills from below add to that: 200000 spilled by a new child.
	mkdir "$MNT/q/e"
	echo "percpu 200000 cpu=1" >"$MNT/q/e/sim.ctl"
	[ "$(stat_of percpu "$MNT/q/memory.stat")" = 400000 ]
}

@test "stats: spill: a removed child's residues are lost for good" {
	removed_child_with_residues spill
	[ "$QD_PERCPU" = 0 ]
	# The 200000 bytes of percpu and 80000 of slab are q's now, unseen.
	[ "$(stat_of percpu "$MNT/q/memory.stat")" = 0 ]
	[ "$(stat_of slab_reclaimable "$MNT/q/memory.stat")" = 0 ]
	[ "$(stat_of percpu "$MNT/memory.stat")" = 0 ]
	# A later spill from below shows, the lost part never does.
	mkdir "$MNT/q/e"
	echo "percpu 200000 cpu=1" >"$MNT/q/e/sim.ctl"
	[ "$(stat_of percpu "$MNT/q/memory.stat")" = 200000 ]
	[ "$(stat_of percpu "$MNT/q/e/memory.stat")" = 200000 ]
	# Yet all 400000 bytes are there to free.
	echo "free percpu 400000 cpu=1" >"$MNT/q/sim.ctl"
	write_fails EINVAL "free percpu 1" "$MNT/q/sim.ctl"
}

@test "stats: spill-doubleflush: slab residues of removed children count twice in the parent, percpu once" {
	removed_child_with_residues spill-doubleflush
	[ "$QD_PERCPU" = 0 ]
	[ "$QD_SLAB" = 0 ]
	# 80000 bytes of dentries, flushed at offline and again at release.
	[ "$(stat_of slab_reclaimable "$MNT/q/memory.stat")" = $((2 * 400 * DENTRY)) ]
	[ "$(stat_of slab_reclaimable "$MNT/memory.stat")" = $((2 * 400 * DENTRY)) ]
	# percpu is flushed at release only.
	[ "$(stat_of percpu "$MNT/q/memory.stat")" = 200000 ]
	# The error grows with every destroyed child: 3 x 20000 more each.
	local c k
	for c in d1 d2; do
		mkdir "$MNT/q/$c"
		for k in 1 2 3; do
			echo "slab dentry 100 cpu=$k" >"$MNT/q/$c/sim.ctl"
		done
		echo drain >"$MNT/q/$c/sim.ctl"
		rmdir "$MNT/q/$c"
	done
	[ "$(drained_stat q slab_reclaimable)" = $((2 * (400 + 600) * DENTRY)) ]
}

# The same operations as removed_child_with_residues: every engine that
# is exact sees d's charges before the rmdir and q's after.
@test "stats: rstat and sum: the removed child's charges are exact before and after the rmdir" {
	local mode
	for mode in rstat sum; do
		removed_child_with_residues $mode
		measure_struct q
		[ "$QD_PERCPU" = $((200000 + STRUCT)) ]
		[ "$QD_SLAB" = $((400 * DENTRY)) ]
		[ "$(stat_of percpu "$MNT/q/memory.stat")" = 200000 ]
		[ "$(stat_of slab_reclaimable "$MNT/q/memory.stat")" = $((400 * DENTRY)) ]
	done
}

# on_cpu K N CMD...: run CMD (mkdir, rmdir) as a process whose pid is K
# modulo N.  The daemon runs what a mkdir or rmdir charges (the new memcg,
# charged to its parent through the per-CPU stocks) on the virtual CPU
# the caller's pid names, which cpu= cannot choose.
on_cpu() {
	local k=$1 n=$2 rc
	shift 2
	while :; do
		(
			[ $((BASHPID % n)) = "$k" ] || exit 211
			exec "$@"
		) && return 0
		rc=$?
		[ "$rc" = 211 ] || return "$rc"
	done
}

# A fixed script, every step on a chosen CPU: children with anon, slab,
# percpu, sock, kernel stacks, one removed (released), one removed but
# pinned dying by its socket, frees from the parent; memory.stat of p and
# p/a saved at four points (two with the stocks as the script left them)
# into $1.*.  (With mkdir and rmdir on whatever CPU their pids name, the
# stocks differ from run to run, and so do kernel and slab_* before a
# drain, in any one engine.)
stats_script() {
	local out=$1
	remount -o "stats=$2,cpus=4"
	echo +memory >"$MNT/cgroup.subtree_control"
	on_cpu 0 4 mkdir "$MNT/p"
	echo +memory >"$MNT/p/cgroup.subtree_control"
	on_cpu 1 4 mkdir "$MNT/p/a"
	on_cpu 2 4 mkdir "$MNT/p/b"
	on_cpu 3 4 mkdir "$MNT/p/c"
	echo "anon 1M cpu=3" >"$MNT/p/a/sim.ctl"
	echo "slab dentry 333 cpu=1" >"$MNT/p/a/sim.ctl"
	echo "slab kmalloc-64 77 cpu=2" >"$MNT/p/b/sim.ctl"
	echo "percpu 12345 cpu=3" >"$MNT/p/b/sim.ctl"
	echo "percpu 54321 cpu=0" >"$MNT/p/c/sim.ctl"
	echo "sock 10000 cpu=1" >"$MNT/p/c/sim.ctl"
	echo "kstack 2 cpu=2" >"$MNT/p/a/sim.ctl"
	on_cpu 2 4 rmdir "$MNT/p/c"
	on_cpu 1 4 rmdir "$MNT/p/b"
	echo "free percpu 1000 cpu=2" >"$MNT/p/sim.ctl"
	echo "free slab dentry 33 cpu=0" >"$MNT/p/a/sim.ctl"
	cat "$MNT/p/memory.stat" >"$out.p1"
	cat "$MNT/p/a/memory.stat" >"$out.a1"
	echo "drain cpu=0" >"$MNT/p/sim.ctl"
	cat "$MNT/p/memory.stat" >"$out.p2"
	cat "$MNT/p/a/memory.stat" >"$out.a2"
	cat "$MNT/p/cgroup.stat" >"$out.cgstat"
	echo "free sock 10000 cpu=3" >"$MNT/p/sim.ctl"
	echo "free anon 1M cpu=1" >"$MNT/p/a/sim.ctl"
	echo "free slab dentry 300 cpu=1" >"$MNT/p/sim.ctl"
	cat "$MNT/p/memory.stat" >"$out.p3"
	cat "$MNT/p/a/memory.stat" >"$out.a3"
	echo "drain cpu=2" >"$MNT/p/sim.ctl"
	cat "$MNT/p/memory.stat" >"$out.p4"
	cat "$MNT/p/a/memory.stat" >"$out.a4"
}

@test "stats: rstat and sum print byte-identical memory.stat for the same operations" {
	local d=$BATS_TEST_TMPDIR f
	stats_script "$d/rstat" rstat
	stats_script "$d/sum" sum
	# c was pinned dying by its socket when the files were saved.
	grep -qx 'nr_dying_descendants 1' "$d/rstat.cgstat"
	for f in p1 a1 p2 a2 p3 a3 p4 a4; do
		[ -s "$d/rstat.$f" ]
		diff "$d/rstat.$f" "$d/sum.$f" || {
			echo "memory.stat ($f) differs between rstat and sum" >&2
			return 1
		}
	done
	# And they are not identical by being empty or zero.
	[ "$(stat_of anon "$d/rstat.a1")" = 1048576 ]
	[ "$(stat_of sock "$d/rstat.p1")" = 12288 ]
	[ "$(stat_of percpu "$d/rstat.a1")" = 0 ]
	[ "$(stat_of percpu "$d/rstat.p1")" -gt $((12345 + 54321 - 1000)) ]
	[ "$(stat_of slab_reclaimable "$d/rstat.a2")" = $((300 * DENTRY)) ]
	[ "$(stat_of slab_reclaimable "$d/rstat.p4")" = 0 ]
	[ "$(stat_of anon "$d/rstat.p4")" = 0 ]
	[ "$(stat_of sock "$d/rstat.p4")" = 0 ]
}
