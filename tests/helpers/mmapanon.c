/*
 * mmapanon - one big anonymous mapping, touched and locked.
 *
 *   mmapanon MIB
 *
 * mmap()s MIB MiB of private anonymous memory, mlock()s it (which faults
 * every page in, as test_memcontrol's alloc_anon_mlock does), unmaps it
 * and prints "done".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	size_t size = (size_t)atol(argc > 1 ? argv[1] : "1") << 20;
	void *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	mlock(buf, size);
	munmap(buf, size);
	printf("done\n");
	return 0;
}
