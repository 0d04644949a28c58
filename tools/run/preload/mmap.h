/*
 * mmap.h - memcgfs-run's library: mmap, munmap and mremap.
 *
 * A private or shared anonymous mapping that can be accessed is charged
 * in full when it is made (a kernel charges each page at its first
 * touch); PROT_NONE and MAP_NORESERVE reservations are not charged.  The
 * charged ranges are remembered so munmap and mremap give back exactly
 * what leaves.  A file mapping brings the mapped range of the file into
 * the page cache (pagecache.h).
 */
#ifndef MEMCGFS_RUN_MMAP_H
#define MEMCGFS_RUN_MMAP_H

#define MMAP_MAX_RANGES 4096	/* charged ranges remembered */

#endif
