/*
 * test_stat.c - the statistics engines alone (core/, no FUSE).
 *
 * rstat and sum: 10,000 random create / charge / uncharge / destroy /
 * release steps on 8 virtual CPUs, every item of every memcg (live and
 * dying), subtree and local, against a shadow: exact.
 * spill variants: the error Gushchin's 2019 percpu vmstats flushing fix
 * describes, to the page.
 */
#include <stdlib.h>
#include <string.h>

#include "../../allocator/kmalloc.h"
#include "cgroup.h"
#include "memcontrol.h"
#include "smp.h"
#include "tap.h"

#define NCPU	8
#define MAXN	4096
#define STEPS	10000

/* The shadow: every memcg ever made, with its parent and own deltas. */
struct node {
	struct cgroup *cg;		/* NULL once removed */
	struct mem_cgroup *memcg;	/* NULL once released */
	int parent;
	bool pinned;			/* dying, held by our pin */
	int64_t local[NR_MEMCG_STAT];
};

static struct node nodes[MAXN];

/* mkdir itself charges the parent's percpu, slab and kernel (the child's
 * memcg structures): the shadow follows the other items. */
static bool shadowed(unsigned int item)
{
	return item != MEMCG_PERCPU_B && item != NR_SLAB_UNRECLAIMABLE_B &&
	       item != MEMCG_KMEM;
}
static int nr_nodes;

static bool is_ancestor(int a, int n)
{
	for (; n >= 0; n = nodes[n].parent)
		if (n == a)
			return true;
	return false;
}

/* Compare every memcg still in memory with the shadow: the number of
 * (memcg, item) values that differ, subtree and local. */
static int check_all(void)
{
	int64_t state[NR_MEMCG_STAT], local[NR_MEMCG_STAT], want;
	int bad = 0;

	for (int a = 0; a < nr_nodes; a++) {
		if (!nodes[a].memcg)
			continue;
		memcg_vmstats_read(nodes[a].memcg, state, local);
		for (unsigned int i = 0; i < NR_MEMCG_STAT; i++) {
			if (!shadowed(i))
				continue;
			want = 0;
			for (int n = 0; n < nr_nodes; n++)
				if (is_ancestor(a, n))
					want += nodes[n].local[i];
			bad += state[i] != want;
			bad += local[i] != nodes[a].local[i];
		}
	}
	return bad;
}

static int pick(bool (*ok)(int))
{
	int tries = 64, n;

	while (tries--) {
		n = rand() % nr_nodes;
		if (ok(n))
			return n;
	}
	return -1;
}

static bool live(int n)
{
	return nodes[n].cg != NULL;
}

static bool in_memory(int n)
{
	return nodes[n].memcg != NULL;
}

static bool live_leaf(int n)
{
	if (!live(n) || n == 0)
		return false;
	for (int c = 0; c < nr_nodes; c++)
		if (nodes[c].parent == n && nodes[c].cg)
			return false;
	return true;
}

static bool dying_pinned(int n)
{
	return nodes[n].pinned && !nodes[n].cg;
}

static void step_create(void)
{
	int p = pick(live);
	char name[16];
	struct cgroup *cg;

	if (p < 0 || nr_nodes == MAXN)
		return;
	snprintf(name, sizeof(name), "n%d", nr_nodes);
	if (cgroup_mkdir(nodes[p].cg, name, 0, 0, 0755, &cg) ||
	    cgroup_subtree_control(cg, 1, 0, 0))
		return;
	nodes[nr_nodes] = (struct node){ .cg = cg, .memcg = cg->memcg,
					 .parent = p };
	nr_nodes++;
}

static void step_charge(void)
{
	int n = pick(in_memory);
	unsigned int item = (unsigned int)rand() % NR_MEMCG_STAT;
	int64_t delta = rand() % 200001 - 100000;

	if (n < 0 || !shadowed(item))
		return;
	set_this_cpu((unsigned int)rand());
	mod_memcg_state(nodes[n].memcg, item, delta);
	nodes[n].local[item] += delta;
}

/* rmdir a leaf; half the time keep it dying with a pin of our own. */
static void step_destroy(void)
{
	int n = pick(live_leaf);
	struct mem_cgroup *m;

	if (n < 0)
		return;
	m = nodes[n].memcg;
	nodes[n].pinned = rand() & 1;
	if (nodes[n].pinned)
		mem_cgroup_pin(m, 1);
	cgroup_subtree_control(nodes[n].cg, -1, 0, 0);
	if (cgroup_rmdir(nodes[n].cg, NULL))
		return;
	nodes[n].cg = NULL;
	if (!nodes[n].pinned)
		nodes[n].memcg = NULL;
}

static void release(int n)
{
	nodes[n].pinned = false;
	mem_cgroup_unpin(nodes[n].memcg, 1);
	nodes[n].memcg = NULL;
}

static void step_release(void)
{
	int n = pick(dying_pinned);

	if (n >= 0)
		release(n);
}

static void run_random(enum memcg_stats_mode mode)
{
	struct memcg_config cfg = { .ids = MAXN + 8, .cpus = NCPU,
				    .memory_bytes = 1ULL << 32, .stats = mode };
	int bad = 0, checks = 0;

	srand(42 + mode);
	tap_eq(cgroup_init(&cfg, 0, 0), 0, "%s: cgroup_init",
	       memcg_stats_mode_names[mode]);
	cgroup_subtree_control(cgroup_root(), 1, 0, 0);
	memset(nodes, 0, sizeof(nodes));
	nodes[0] = (struct node){ .cg = cgroup_root(),
				  .memcg = root_mem_cgroup(), .parent = -1 };
	nr_nodes = 1;
	for (int s = 0; s < STEPS; s++) {
		int r = rand() % 100;

		if (r < 15)
			step_create();
		else if (r < 85)
			step_charge();
		else if (r < 95)
			step_destroy();
		else
			step_release();
		if (s % 1000 == 999) {
			bad += check_all();
			checks++;
		}
	}
	tap_ok(nr_nodes > 100, "%s: %d memcgs made", memcg_stats_mode_names[mode],
	       nr_nodes);
	tap_eq(bad, 0, "%s: every item, subtree and local, of every memcg "
	       "equals the shadow at %d checkpoints",
	       memcg_stats_mode_names[mode], checks);
	for (int n = 0; n < nr_nodes; n++)
		if (dying_pinned(n))
			release(n);
	tap_eq(check_all(), 0, "%s: still exact once every zombie is released",
	       memcg_stats_mode_names[mode]);
	cgroup_exit();
}

/*
 * Seed 003 in numbers: N children each leave, on every CPU, a slab delta
 * below the spill threshold, then go offline (held dying by a pin) and
 * are released.  The parent's reported slab against the truth.
 */
#define NCHILD	50
#define RESIDUE	(20 * 4096)	/* bytes per CPU per child, < 32 pages */

static void run_spill(enum memcg_stats_mode mode, int64_t *dying_err,
		      int64_t *released_err)
{
	struct memcg_config cfg = { .ids = 256, .cpus = NCPU,
				    .memory_bytes = 1ULL << 32, .stats = mode };
	struct mem_cgroup *zombies[NCHILD], *pm;
	struct cgroup *p, *c;
	int64_t truth = (int64_t)NCHILD * NCPU * RESIDUE;
	char name[16];

	cgroup_init(&cfg, 0, 0);
	cgroup_subtree_control(cgroup_root(), 1, 0, 0);
	cgroup_mkdir(cgroup_root(), "p", 0, 0, 0755, &p);
	cgroup_subtree_control(p, 1, 0, 0);
	pm = p->memcg;
	for (int k = 0; k < NCHILD; k++) {
		snprintf(name, sizeof(name), "c%d", k);
		cgroup_mkdir(p, name, 0, 0, 0755, &c);
		for (unsigned int cpu = 0; cpu < NCPU; cpu++) {
			set_this_cpu(cpu);
			mod_memcg_state(c->memcg, NR_SLAB_RECLAIMABLE_B, RESIDUE);
		}
		zombies[k] = c->memcg;
		mem_cgroup_pin(zombies[k], 1);
		cgroup_rmdir(c, NULL);
	}
	*dying_err = memcg_page_state(pm, NR_SLAB_RECLAIMABLE_B) - truth;
	for (int k = 0; k < NCHILD; k++)
		mem_cgroup_unpin(zombies[k], 1);
	*released_err = memcg_page_state(pm, NR_SLAB_RECLAIMABLE_B) - truth;
	cgroup_exit();
}

static void test_spill_modes(void)
{
	int64_t cap = (int64_t)NCHILD * MEMCG_SPILL_BATCH * 4096 * NCPU;
	int64_t truth = (int64_t)NCHILD * NCPU * RESIDUE, d, r;

	run_spill(STATS_SPILL_FIXED, &d, &r);
	tap_ok(d < 0 && -d <= cap, "spill-fixed: off by %lld bytes with %d "
	       "dying children (cap 32 pages x %d CPUs each)", (long long)d,
	       NCHILD, NCPU);
	tap_eq(r, 0, "spill-fixed: exact once they are released");
	run_spill(STATS_SPILL_DOUBLEFLUSH, &d, &r);
	tap_eq(d, 0, "spill-doubleflush: the offline flush looks right...");
	tap_eq(r, truth, "...and the free flush counts every residue again");
	run_spill(STATS_SPILL, &d, &r);
	tap_eq(r, -truth, "spill (5.2): the residues of freed memcgs are lost");
	run_spill(STATS_RSTAT, &d, &r);
	tap_ok(d == 0 && r == 0, "rstat: exact while dying and after");
}

/* The doubleflush error grows with every destroyed group. */
static void test_doubleflush_grows(void)
{
	struct memcg_config cfg = { .ids = 256, .cpus = NCPU,
				    .memory_bytes = 1ULL << 32,
				    .stats = STATS_SPILL_DOUBLEFLUSH };
	struct cgroup *p, *c;
	int64_t prev = 0, err;
	bool grows = true;

	cgroup_init(&cfg, 0, 0);
	cgroup_subtree_control(cgroup_root(), 1, 0, 0);
	cgroup_mkdir(cgroup_root(), "p", 0, 0, 0755, &p);
	cgroup_subtree_control(p, 1, 0, 0);
	for (int k = 1; k <= 20; k++) {
		cgroup_mkdir(p, "c", 0, 0, 0755, &c);
		set_this_cpu((unsigned int)k);
		mod_memcg_state(c->memcg, NR_SLAB_RECLAIMABLE_B, 4096);
		cgroup_rmdir(c, NULL);	/* offline and, unpinned, free */
		err = memcg_page_state(p->memcg, NR_SLAB_RECLAIMABLE_B) -
		      4096LL * k;
		grows &= err == 4096LL * k && err > prev;
		prev = err;
	}
	tap_ok(grows, "spill-doubleflush: +1 page of error per destroyed "
	       "group, %lld bytes after 20", (long long)prev);
	cgroup_exit();
}

/*
 * A child's carry that cancels its parent's own delta on the same CPU
 * must still be consumed (regression: it was flushed twice).
 */
static void test_rstat_cancelling_carry(void)
{
	struct memcg_config cfg = { .ids = 16, .cpus = 4,
				    .memory_bytes = 1ULL << 32,
				    .stats = STATS_RSTAT };
	struct cgroup *x, *c;

	cgroup_init(&cfg, 0, 0);
	cgroup_subtree_control(cgroup_root(), 1, 0, 0);
	cgroup_mkdir(cgroup_root(), "x", 0, 0, 0755, &x);
	cgroup_subtree_control(x, 1, 0, 0);
	cgroup_mkdir(x, "c", 0, 0, 0755, &c);
	mem_cgroup_flush_stats();
	set_this_cpu(2);
	mod_memcg_state(c->memcg, NR_FILE, -5000);	/* carry -5000 to x */
	mod_memcg_state(x->memcg, NR_FILE, 5000);	/* x's own +5000 */
	mem_cgroup_flush_stats();
	set_this_cpu(3);
	mod_memcg_state(x->memcg, NR_FILE, 1000);
	tap_eq(memcg_page_state(x->memcg, NR_FILE) +
	       0, 1000, "rstat: a carry cancelling a CPU's own delta is used once");
	set_this_cpu(2);
	mod_memcg_state(c->memcg, NR_FILE, 5000);
	mod_memcg_state(x->memcg, NR_FILE, -6000);
	tap_eq(memcg_page_state_local(x->memcg, NR_FILE), 0, "local too");
	cgroup_exit();
}

/*
 * rstat: a dying memcg keeps only its nonzero items.  Offline frees its
 * per-CPU areas and dense aggregates (the parent's percpu charge stays
 * until release); its later updates stay exact, an item back at zero
 * leaves the folded array, and a new one joins it.
 */
static void test_rstat_zombie_folded(void)
{
	struct memcg_config cfg = { .ids = 16, .cpus = NCPU,
				    .memory_bytes = 1ULL << 32,
				    .stats = STATS_RSTAT };
	struct mem_cgroup *zm, *pm;
	struct cgroup *x, *c;
	int64_t pcpu;

	cgroup_init(&cfg, 0, 0);
	cgroup_subtree_control(cgroup_root(), 1, 0, 0);
	cgroup_mkdir(cgroup_root(), "x", 0, 0, 0755, &x);
	cgroup_subtree_control(x, 1, 0, 0);
	cgroup_mkdir(x, "c", 0, 0, 0755, &c);
	zm = c->memcg;
	pm = x->memcg;
	pcpu = memcg_page_state(pm, MEMCG_PERCPU_B);
	for (unsigned int cpu = 0; cpu < NCPU; cpu++) {
		set_this_cpu(cpu);
		mod_memcg_state(zm, NR_SHMEM, 3);
		mod_memcg_state(zm, PGFAULT, 1);
	}
	mem_cgroup_pin(zm, 1);
	cgroup_rmdir(c, NULL);
	tap_ok(!zm->vmstats_percpu && !zm->vmstats && zm->vmstats_folded &&
	       zm->vmstats_folded->nr == 2, "rstat: offline folds a zombie "
	       "into its 2 nonzero items");
	tap_eq(memcg_page_state(pm, MEMCG_PERCPU_B), pcpu,
	       "its per-CPU charge stays with the parent while it is dying");
	set_this_cpu(1);
	mod_memcg_state(zm, NR_SHMEM, -3 * NCPU);
	mod_memcg_state(zm, PGSCAN_DIRECT, 5);
	tap_ok(zm->vmstats_folded->nr == 2 &&
	       memcg_page_state(zm, NR_SHMEM) == 0 &&
	       memcg_page_state_local(zm, PGSCAN_DIRECT) == 5 &&
	       memcg_page_state(zm, PGFAULT) == NCPU,
	       "an item back at 0 leaves, a new one joins, values exact");
	tap_ok(memcg_page_state(pm, NR_SHMEM) == 0 &&
	       memcg_page_state(pm, PGSCAN_DIRECT) == 5 &&
	       memcg_page_state(pm, PGFAULT) == NCPU &&
	       memcg_page_state_local(pm, PGSCAN_DIRECT) == 0,
	       "the parent's figures follow, its own local ones do not");
	mem_cgroup_unpin(zm, 1);
	tap_ok(memcg_page_state(pm, MEMCG_PERCPU_B) == 0 &&
	       memcg_page_state(pm, PGFAULT) == NCPU,
	       "released: the percpu charge goes, the events stay counted");
	cgroup_exit();
}

int main(void)
{
	if (!tap_ok(kmem_caches_init() == 0, "kmem_caches_init"))
		return tap_done();
	run_random(STATS_RSTAT);
	run_random(STATS_SUM);
	test_spill_modes();
	test_doubleflush_grows();
	test_rstat_cancelling_carry();
	test_rstat_zombie_folded();
	tap_eq(kmem_caches_exit(), 0, "every cache destroyed empty");
	return tap_done();
}
