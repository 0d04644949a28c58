/*
 * mmap.c - anonymous and file mappings (see mmap.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "sys.h"
#include <unistd.h>

#include "anon.h"
#include "ctl.h"
#include "mmap.h"
#include "pagecache.h"

#define PAGE 4096UL
#define EXPORT __attribute__((visibility("default")))

struct range {
	uintptr_t start, end;	/* page aligned; end == 0: free slot */
};

static struct range ranges[MMAP_MAX_RANGES];
static atomic_flag lock = ATOMIC_FLAG_INIT;

static void range_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
		;
}

static void range_unlock(void)
{
	atomic_flag_clear_explicit(&lock, memory_order_release);
}

static uintptr_t page_up(uintptr_t x)
{
	return (x + PAGE - 1) & ~(PAGE - 1);
}

static void range_add(uintptr_t start, uintptr_t end)
{
	range_lock();
	for (unsigned int i = 0; i < MMAP_MAX_RANGES; i++)
		if (!ranges[i].end) {
			ranges[i] = (struct range){ start, end };
			break;
		}
	range_unlock();
}

/* Forget [start, end) of every charged range: the pages it held. */
static uint64_t range_cut(uintptr_t start, uintptr_t end)
{
	uint64_t bytes = 0;

	range_lock();
	for (unsigned int i = 0; i < MMAP_MAX_RANGES; i++) {
		struct range *r = &ranges[i];
		uintptr_t lo, hi;

		if (!r->end || r->end <= start || r->start >= end)
			continue;
		lo = r->start > start ? r->start : start;
		hi = r->end < end ? r->end : end;
		bytes += hi - lo;
		if (lo > r->start && hi < r->end) {
			/* A hole in the middle: the tail becomes a range. */
			struct range tail = { hi, r->end };

			r->end = lo;
			for (unsigned int j = 0; j < MMAP_MAX_RANGES; j++)
				if (!ranges[j].end) {
					ranges[j] = tail;
					break;
				}
		} else if (lo > r->start) {
			r->end = lo;
		} else if (hi < r->end) {
			r->start = hi;
		} else {
			r->end = 0;
		}
	}
	range_unlock();
	return bytes;
}

static bool charged_kind(int prot, int flags)
{
	return (flags & MAP_ANONYMOUS) && prot != PROT_NONE &&
	       !(flags & MAP_NORESERVE);
}

static void *raw_mmap(void *addr, size_t len, int prot, int flags, int fd,
		      off_t off)
{
	return (void *)sys(SYS_mmap, addr, len, prot, flags, fd, off);
}

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
		  off_t off)
{
	bool charged = ctl_ready() && charged_kind(prot, flags) && len;
	uint64_t pages = page_up(len) / PAGE;
	void *p;

	if (charged && anon_charge_pages(pages)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	p = raw_mmap(addr, len, prot, flags, fd, off);
	if (p == MAP_FAILED) {
		if (charged)
			anon_uncharge_pages(pages);
		return p;
	}
	if (!ctl_ready())
		return p;
	/* MAP_FIXED replaced whatever was there. */
	if (flags & MAP_FIXED)
		anon_uncharge_pages(range_cut((uintptr_t)p,
					      (uintptr_t)p + page_up(len)) / PAGE);
	if (charged)
		range_add((uintptr_t)p, (uintptr_t)p + page_up(len));
	else if (!(flags & MAP_ANONYMOUS) && fd >= 0)
		pagecache_mapped(fd, (uint64_t)off, len);
	return p;
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
		    off_t off) __attribute__((alias("mmap")));

EXPORT int munmap(void *addr, size_t len)
{
	int ret = (int)sys(SYS_munmap, addr, len);

	if (!ret && ctl_ready())
		anon_uncharge_pages(range_cut((uintptr_t)addr,
					      (uintptr_t)addr + page_up(len)) /
				    PAGE);
	return ret;
}

EXPORT void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL, *p;
	uint64_t had, grow = 0;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	if (!ctl_ready())
		return (void *)sys(SYS_mremap, old, old_len, new_len, flags,
				       new_addr);
	had = range_cut((uintptr_t)old, (uintptr_t)old + page_up(old_len));
	if (had && page_up(new_len) > page_up(old_len)) {
		grow = (page_up(new_len) - page_up(old_len)) / PAGE;
		if (anon_charge_pages(grow)) {
			range_add((uintptr_t)old, (uintptr_t)old + had);
			errno = ENOMEM;
			return MAP_FAILED;
		}
	}
	p = (void *)sys(SYS_mremap, old, old_len, new_len, flags, new_addr);
	if (p == MAP_FAILED) {
		anon_uncharge_pages(grow);
		if (had)
			range_add((uintptr_t)old, (uintptr_t)old + had);
		return p;
	}
	if (!had)
		return p;
	if (page_up(new_len) < had)
		anon_uncharge_pages((had - page_up(new_len)) / PAGE);
	range_add((uintptr_t)p, (uintptr_t)p + page_up(new_len));
	return p;
}
