/*
 * prof: the kernel profiler's command (docs/profiling.md).
 *   prof start        start sampling where the CPU is at each timer tick
 *   prof stop         stop sampling
 *   prof [-n N]       stop, print the N (10) functions with the most
 *                     samples, and forget the samples
 * Kernel addresses are named by the kernel's own symbol table (PROF_KSYM);
 * a user address by the symbol table of the program, read from /bin.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <prof.h>
#include <sys/stat.h>

#define MAX_PROGS	16
#define MAX_ROWS	256

/* A program's functions, from its ELF symbol table. */
struct func {
	uint32_t addr, size;
	const char *name;
};

struct prog {
	char name[17];		/* PROC_NAME_LEN + 1 */
	struct func *funcs;
	int nfuncs;
	char *image;		/* the file, which the names point into */
};

/* One line of the report: where (PROF_*), which program, which function. */
struct row {
	int where, prog;
	uint32_t addr;		/* the function's start (or the eip if unnamed) */
	const char *name;
	unsigned count;
};

static struct prog progs[MAX_PROGS];
static int nprogs;
static struct row rows[MAX_ROWS];
static int nrows;

static uint32_t
le32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return u[0] | u[1] << 8 | u[2] << 16 | (uint32_t)u[3] << 24;
}

static uint16_t
le16(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint16_t)(u[0] | u[1] << 8);
}

static char *
read_file(const char *path, uint32_t *size)
{
	struct stat st;
	uint32_t got = 0;
	char *buf;
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !(buf = malloc(st.size ? st.size : 1))) {
		close(fd);
		return NULL;
	}
	while (got < st.size && (n = read(fd, buf + got, st.size - got)) > 0)
		got += (uint32_t)n;
	close(fd);
	*size = got;
	return buf;
}

/* The FUNC symbols of an ELF32 image (section headers and .symtab). */
static void
load_symbols(struct prog *pg)
{
	char path[32], *img;
	uint32_t size, shoff, i, j, off, entsize, count, stroff, strsize, name;
	uint16_t shentsize, shnum;
	const char *sh, *sym;

	snprintf(path, sizeof(path), "/bin/%s", pg->name);
	if (!(img = read_file(path, &size)) || size < 52 || memcmp(img, "\177ELF", 4) != 0)
		return;
	pg->image = img;
	shoff = le32(img + 32);
	shentsize = le16(img + 46);
	shnum = le16(img + 48);
	if (shentsize < 40 || shoff > size || (uint32_t)shnum * shentsize > size - shoff)
		return;
	for (i = 0; i < shnum; i++) {
		sh = img + shoff + i * shentsize;
		if (le32(sh + 4) != 2)			/* SHT_SYMTAB */
			continue;
		off = le32(sh + 16);
		entsize = le32(sh + 36);
		if (entsize < 16 || off > size || le32(sh + 20) > size - off ||
		    le32(sh + 24) >= shnum)
			return;
		count = le32(sh + 20) / entsize;
		stroff = le32(img + shoff + le32(sh + 24) * shentsize + 16);
		strsize = le32(img + shoff + le32(sh + 24) * shentsize + 20);
		if (stroff > size || strsize > size - stroff ||
		    !(pg->funcs = malloc(count * sizeof(*pg->funcs))))
			return;
		for (j = 0; j < count; j++) {
			sym = img + off + j * entsize;
			name = le32(sym);
			/* C functions (STT_FUNC), and the global labels of
			 * assembly (STT_NOTYPE, STB_GLOBAL: syscall5). */
			if (name >= strsize || le16(sym + 14) == 0 ||
			    ((sym[12] & 0xf) != 2 && (unsigned char)sym[12] != 0x10))
				continue;
			pg->funcs[pg->nfuncs].addr = le32(sym + 4);
			pg->funcs[pg->nfuncs].size = le32(sym + 8);
			pg->funcs[pg->nfuncs].name = img + stroff + name;
			pg->nfuncs++;
		}
		return;
	}
}

static int
prog_index(const char *name)
{
	int i;

	for (i = 0; i < nprogs; i++)
		if (strcmp(progs[i].name, name) == 0)
			return i;
	if (nprogs == MAX_PROGS)
		return -1;
	strncpy(progs[nprogs].name, name, sizeof(progs[0].name) - 1);
	load_symbols(&progs[nprogs]);
	return nprogs++;
}

/* The function of program pg that holds eip: the nearest start below it
 * (a symbol's size can be 0 for assembly). */
static const struct func *
user_function(const struct prog *pg, uint32_t eip)
{
	const struct func *best = NULL;
	int i;

	for (i = 0; i < pg->nfuncs; i++) {
		const struct func *f = &pg->funcs[i];

		if (f->addr <= eip && (!best || f->addr > best->addr))
			best = f;
	}
	if (best && best->size && eip >= best->addr + best->size)
		return NULL;
	return best;
}

static void
count_sample(const struct prof_sample *s)
{
	static char knames[MAX_ROWS][PROF_SYM_LEN];
	char name[sizeof(s->name) + 1], kname[PROF_SYM_LEN];
	const struct func *f = NULL;
	uint32_t addr = s->eip;
	int prog = -1, off, i;

	memcpy(name, s->name, sizeof(s->name));
	name[sizeof(s->name)] = '\0';
	if (s->where == PROF_USER) {
		prog = prog_index(name);
		if (prog >= 0 && (f = user_function(&progs[prog], s->eip)))
			addr = f->addr;
	} else if ((off = prof(PROF_KSYM, s->eip, (uintptr_t)kname)) >= 0) {
		addr = s->eip - (uint32_t)off;
	} else {
		kname[0] = '\0';
	}
	if (s->where == PROF_KERNEL)	/* charged to the program that asked */
		prog = prog_index(name);
	for (i = 0; i < nrows; i++) {
		if (rows[i].where == s->where && rows[i].prog == prog && rows[i].addr == addr) {
			rows[i].count++;
			return;
		}
	}
	if (nrows == MAX_ROWS)
		return;
	rows[nrows] = (struct row){ s->where, prog, addr, NULL, 1 };
	if (f) {
		rows[nrows].name = f->name;
	} else if (s->where != PROF_USER && kname[0]) {
		strcpy(knames[nrows], kname);
		rows[nrows].name = knames[nrows];
	}
	nrows++;
}

/* Most samples first (insertion sort: a few hundred rows at most). */
static void
sort_rows(void)
{
	struct row r;
	int i, j;

	for (i = 1; i < nrows; i++) {
		r = rows[i];
		for (j = i; j > 0 && rows[j - 1].count < r.count; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
}

static int
report(int top)
{
	struct prof_sample *buf = malloc(PROF_MAX_SAMPLES * sizeof(*buf));
	unsigned per[3] = { 0, 0, 0 };
	int n, i, dropped;
	char where[48];

	if (!buf) {
		dprintf(2, "prof: out of memory\n");
		return 1;
	}
	if (prof(PROF_STOP, 0, 0) < 0 || (n = prof(PROF_READ, (uintptr_t)buf, PROF_MAX_SAMPLES)) < 0 ||
	    (dropped = prof(PROF_DROPPED, 0, 0)) < 0) {
		dprintf(2, "prof: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		per[buf[i].where <= PROF_IDLE ? buf[i].where : PROF_KERNEL]++;
		count_sample(&buf[i]);
	}
	prof(PROF_CLEAR, 0, 0);
	printf("prof: %d samples, %d dropped: %u user, %u kernel, %u idle\n",
	    n, dropped, per[PROF_USER], per[PROF_KERNEL], per[PROF_IDLE]);
	if (n == 0)
		return 0;
	sort_rows();
	printf("  samples      %%  function\n");
	for (i = 0; i < nrows && i < top; i++) {
		const struct row *r = &rows[i];
		unsigned permille = (unsigned)(r->count * 1000ull / (unsigned)n);

		if (r->where == PROF_USER)
			snprintf(where, sizeof(where), "%s", r->prog >= 0 ? progs[r->prog].name : "?");
		else if (r->where == PROF_IDLE)
			snprintf(where, sizeof(where), "idle");
		else
			snprintf(where, sizeof(where), "kernel, for %s",
			    r->prog >= 0 ? progs[r->prog].name : "?");
		if (r->name)
			printf("  %7u %3u.%u%%  %s: %s\n", r->count, permille / 10,
			    permille % 10, where, r->name);
		else
			printf("  %7u %3u.%u%%  %s: 0x%08x\n", r->count, permille / 10,
			    permille % 10, where, (unsigned)r->addr);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "start") == 0) {
		if (prof(PROF_START, 0, 0) < 0) {
			dprintf(2, "prof: start: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "stop") == 0)
		return prof(PROF_STOP, 0, 0) < 0;
	if (argc == 1)
		return report(10);
	if (argc == 3 && strcmp(argv[1], "-n") == 0 && atoi(argv[2]) > 0)
		return report(atoi(argv[2]));
	dprintf(2, "usage: prof start | prof stop | prof [-n N]\n");
	return 2;
}
