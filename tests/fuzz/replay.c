/*
 * replay.c - run scripts through the fuzz target without libFuzzer, so the
 * seed corpus is a plain test: `make test` builds this with gcc and
 * tests/run.sh runs it as build/tests/test_fuzz_corpus.
 *
 *   test_fuzz_corpus [DIR|FILE]...    (default: tests/fuzz/corpus)
 *
 * One TAP line per script, in name order.  A script that breaks the
 * model aborts the run, printing it (fuzz_model.c's fail()): run.sh
 * counts the non-zero exit as a failure.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
void fuzz_model_exit(void);

#define MAX_SCRIPT (1 << 20)

static int nr_run;

static int replay_file(const char *path)
{
	static unsigned char buf[MAX_SCRIPT];
	FILE *f = fopen(path, "rb");
	unsigned char *copy;
	size_t n;

	if (!f) {
		printf("not ok %d - %s: cannot open\n", ++nr_run, path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	/* A heap copy of the exact size, as libFuzzer passes it, so ASan
	 * sees a read past the end. */
	copy = malloc(n ? n : 1);
	if (!copy)
		return 1;
	memcpy(copy, buf, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	printf("ok %d - %s\n", ++nr_run, path);
	fflush(stdout);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_dir(const char *dir)
{
	struct dirent **names;
	char path[4096];
	int i, n = scandir(dir, &names, NULL, by_name), bad = 0;

	if (n < 0) {
		printf("not ok %d - %s: cannot read\n", ++nr_run, dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[i]->d_name);
			bad |= replay_file(path);
		}
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	const char *def = "tests/fuzz/corpus";
	struct stat st;
	int i, bad = 0;

#ifdef __SANITIZE_THREAD__
	/* The target's member processes are clone(CLONE_VM) children, which
	 * TSan cannot follow (it dies at their first thread); the ASan and
	 * release replays cover the corpus. */
	(void)def; (void)st; (void)i; (void)argv;
	printf("1..0 # SKIP under TSan: clone(CLONE_VM) members\n");
	return argc < 0;
#endif
	if (argc < 2)
		bad = replay_dir(def);
	for (i = 1; i < argc; i++)
		bad |= !stat(argv[i], &st) && S_ISDIR(st.st_mode) ?
		       replay_dir(argv[i]) : replay_file(argv[i]);
	fuzz_model_exit();
	return bad;
}
