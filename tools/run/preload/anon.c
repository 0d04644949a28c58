/*
 * anon.c - anonymous memory (see anon.h).
 *
 * What the daemon holds for this process is owned_pages; each thread's
 * reserve is charged bytes no allocation uses yet.  A free adds to the
 * reserve; a reserve past twice the batch drains down to one batch.
 * Frees of memory this process never charged (allocated before the
 * library started, or by the parent before fork) can inflate a reserve:
 * a drain never gives back more than owned_pages, and the reserve is
 * clamped to it.
 */
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "anon.h"
#include "ctl.h"

#define PAGE 4096ULL
#define TLS __attribute__((tls_model("initial-exec"))) static __thread

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

TLS uint64_t reserve;		/* charged bytes not handed out */
static _Atomic int64_t owned_pages;

static uint64_t pages_of(uint64_t bytes)
{
	return (bytes + PAGE - 1) / PAGE;
}

/* A refused charge: the daemon reclaimed, then OOM-killed.  If this
 * process was the victim SIGKILL is pending and we die in the write; if
 * another was, its memory came back and a retry succeeds, as a kernel
 * page fault retries after the OOM killer ran. */
static int charge_chunk(uint64_t pages)
{
	int tries, ret = -ENOMEM;

	for (tries = 0; tries < 3 && ret; tries++)
		ret = ctl_cmd_pages("anon", pages * 4, "K");
	return ret;
}

/* A big charge goes in chunks of ANON_CHUNK pages, each one write: a
 * kernel charges a fault at a time and pays its memory.high debt on the
 * way (try_charge_memcg() every MEMCG_CHARGE_BATCH pages), so a 200M
 * mmap is throttled long before memory.max, not charged to it in one
 * go.  A chunk refused gives back the chunks before it. */
static int charge(uint64_t pages)
{
	uint64_t done = 0, n;
	int ret = 0;

	while (done < pages && !ret) {
		n = pages - done < ANON_CHUNK ? pages - done : ANON_CHUNK;
		ret = charge_chunk(n);
		if (!ret)
			done += n;
	}
	if (ret && done)
		(void)ctl_cmd_pages("free anon", done * 4, "K");
	else if (!ret)
		atomic_fetch_add(&owned_pages, (int64_t)pages);
	return ret;
}

int anon_account(uint64_t bytes)
{
	if (__builtin_expect(!ctl_ready(), 0))
		return 0;
	uint64_t need;

	if (bytes <= reserve) {
		reserve -= bytes;
		return 0;
	}
	need = pages_of(bytes - reserve);
	/* A batch beyond the need, or just the need if a batch is refused
	 * (try_charge's batch fallback). */
	if (charge(need + ANON_BATCH) == 0) {
		reserve += (need + ANON_BATCH) * PAGE - bytes;
		return 0;
	}
	if (charge(need))
		return -ENOMEM;
	reserve += need * PAGE - bytes;
	return 0;
}

static void drain(uint64_t keep)
{
	int64_t owned = atomic_load(&owned_pages);
	uint64_t pages;

	if (owned <= 0) {
		reserve = 0;	/* nothing of ours to give back */
		return;
	}
	if (reserve > (uint64_t)owned * PAGE)
		reserve = (uint64_t)owned * PAGE;
	if (reserve <= keep)
		return;
	pages = (reserve - keep) / PAGE;
	if (!pages)
		return;
	if (ctl_cmd_pages("free anon", pages * 4, "K") == 0) {
		atomic_fetch_sub(&owned_pages, (int64_t)pages);
		reserve -= pages * PAGE;
	} else {
		/* The daemon says we own less (the OOM killer's reaper took
		 * it): forget it. */
		atomic_store(&owned_pages, 0);
		reserve = 0;
	}
}

int anon_charge_pages(uint64_t pages)
{
	return ctl_ready() && pages ? charge(pages) : 0;
}

void anon_uncharge_pages(uint64_t pages)
{
	int64_t owned = atomic_load(&owned_pages);

	if (!ctl_ready() || owned <= 0 || !pages)
		return;
	if (pages > (uint64_t)owned)
		pages = (uint64_t)owned;
	if (ctl_cmd_pages("free anon", pages * 4, "K") == 0)
		atomic_fetch_sub(&owned_pages, (int64_t)pages);
	else
		atomic_store(&owned_pages, 0);
}

void anon_unaccount(uint64_t bytes)
{
	reserve += bytes;
	if (reserve > 2 * ANON_BATCH * PAGE && ctl_ready())
		drain(ANON_BATCH * PAGE);
}

void anon_thread_exit(void)
{
	if (ctl_ready())
		drain(0);
}

void anon_forked(void)
{
	atomic_store(&owned_pages, 0);
	reserve = 0;
}

/* --- the malloc family ------------------------------------------------- */

/*
 * The bytes a block occupies: glibc's chunk size, from the header word
 * before it (the low three bits are flags), header included — what the
 * heap holds for it, and the same at malloc and at free without a call
 * to malloc_usable_size().  glibc only: see docs/memcgfs-run.md.
 */
static inline size_t block_bytes(void *p)
{
	return ((size_t *)p)[-1] & ~(size_t)7;
}

/* Hand @p out only if its bytes could be charged. */
static void *account_or_free(void *p)
{
	if (p && anon_account(block_bytes(p))) {
		__libc_free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

__attribute__((visibility("default"))) void *malloc(size_t n)
{
	return account_or_free(__libc_malloc(n));
}

__attribute__((visibility("default"))) void *calloc(size_t n, size_t m)
{
	return account_or_free(__libc_calloc(n, m));
}

__attribute__((visibility("default"))) void free(void *p)
{
	if (!p)
		return;
	anon_unaccount(block_bytes(p));
	__libc_free(p);
}

/* Charged before the block grows, so a refusal leaves @p as it was. */
__attribute__((visibility("default"))) void *realloc(void *p, size_t n)
{
	size_t old, now, pre;
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	old = block_bytes(p);
	pre = n > old ? n - old : 0;
	if (pre && anon_account(pre)) {
		errno = ENOMEM;
		return NULL;
	}
	q = __libc_realloc(p, n);
	if (!q) {
		anon_unaccount(pre);
		return NULL;
	}
	now = block_bytes(q);
	/* The allocator's rounding: a few bytes either way. */
	if (now > old + pre)
		(void)anon_account(now - old - pre);
	else if (now < old + pre)
		anon_unaccount(old + pre - now);
	return q;
}

__attribute__((visibility("default"))) void *memalign(size_t a, size_t n)
{
	return account_or_free(__libc_memalign(a, n));
}

__attribute__((visibility("default"))) void *aligned_alloc(size_t a, size_t n)
{
	return account_or_free(__libc_memalign(a, n));
}

__attribute__((visibility("default"))) int posix_memalign(void **out, size_t a,
							size_t n)
{
	void *p;

	if (a < sizeof(void *) || (a & (a - 1)))
		return EINVAL;
	p = account_or_free(__libc_memalign(a, n));
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

__attribute__((visibility("default"))) void *valloc(size_t n)
{
	return account_or_free(__libc_memalign(PAGE, n));
}

__attribute__((visibility("default"))) void *pvalloc(size_t n)
{
	return account_or_free(__libc_memalign(PAGE, (n + PAGE - 1) & ~(PAGE - 1)));
}
