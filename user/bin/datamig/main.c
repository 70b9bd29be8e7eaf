/*
 * datamig: data migration, the lighter way to bring work and data
 * together (docs/migration.md).  Typed at the shell; fetches part of a
 * file in another node's initrd over rfile RPC (rpc/rfile.x, every
 * node's rpcd) whole and by its chunks alone, measuring each on the wire.
 *
 *   datamig NODE PATH [OFFSET [LEN]]     (OFFSET 0, LEN to the end)
 */
// rpc: rfile_xdr rfile_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include "rfile.h"

#define MAX_COUNTERS	128

/* What the network counters said at one moment. */
struct snap {
	uint64_t	rx_bytes, tx_bytes;	/* Ethernet frames, as `net` shows */
	uint64_t	rx_frames, tx_frames;
	uint32_t	udp_in, udp_out;	/* datagrams, from `net counters` */
	uint64_t	us;
};

/* One way of fetching: what it cost and what it brought. */
struct fetch {
	const char	*name;
	unsigned	 chunks;	/* RFILE_READ calls answered */
	unsigned	 data;		/* file bytes they carried */
	unsigned	 retransmits;	/* calls the client sent again */
	struct snap	 cost;		/* after minus before */
	char		*buf;		/* the bytes, from file offset `from` */
	unsigned	 from;
};

static const char *node_arg;
static char *path;

static uint32_t
counter(const struct net_counter *rows, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return rows[i].value;
	return 0;
}

static void
take(struct snap *s)
{
	static struct net_counter rows[MAX_COUNTERS];
	struct net_info ni;
	int n;

	memset(s, 0, sizeof(*s));
	if (net_info(&ni) == 0) {
		s->rx_bytes = ni.rx_bytes;
		s->tx_bytes = ni.tx_bytes;
		s->rx_frames = ni.rx_packets;
		s->tx_frames = ni.tx_packets;
	}
	if ((n = net_counters(rows, MAX_COUNTERS)) > 0) {
		s->udp_in = counter(rows, n, "udp_in");
		s->udp_out = counter(rows, n, "udp_out");
	}
	s->us = uptime_us();
}

static void
since(struct snap *d, const struct snap *a, const struct snap *b)
{
	d->rx_bytes = b->rx_bytes - a->rx_bytes;
	d->tx_bytes = b->tx_bytes - a->tx_bytes;
	d->rx_frames = b->rx_frames - a->rx_frames;
	d->tx_frames = b->tx_frames - a->tx_frames;
	d->udp_in = b->udp_in - a->udp_in;
	d->udp_out = b->udp_out - a->udp_out;
	d->us = b->us - a->us;
}

static uint64_t
wire(const struct fetch *f)
{
	return f->cost.rx_bytes + f->cost.tx_bytes;
}

/* n with a comma every three digits, as a person writes sizes. */
static char *
commas(char *buf, uint64_t n)
{
	char tmp[24];
	int len, i, j = 0;

	len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = tmp[i];
	}
	buf[j] = '\0';
	return buf;
}

static uint32_t
fnv1a(const char *p, unsigned n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (uint8_t)*p++) * 16777619u;
	return h;
}

/*
 * Fetch the file's bytes from `from` up to `to` (or its end, whichever
 * comes first), a chunk (RFILE_CHUNK bytes) per call, into f->buf,
 * allocated at the first answer, which tells the file's size (*size).
 * Only the calls are counted.  Returns 0, or 1 having said why.
 */
static int
get(struct rpc_client *c, struct fetch *f, unsigned from, unsigned to,
    unsigned *size)
{
	rfile_read_args a = { path, from, RFILE_CHUNK };
	struct rpc_client_stats before, after;
	struct snap s0, s1;
	rfile_read_res res;
	enum rpc_stat st;
	unsigned room = 0;

	f->from = from;
	rpc_client_stats(c, &before);
	take(&s0);
	do {
		if ((st = rfile_read_1(c, &a, &res)) != RPC_SUCCESS) {
			dprintf(2, "datamig: %s: %s\n", node_arg, rpc_strerror(st));
			return 1;
		}
		if (res.status != RFILE_OK) {
			dprintf(2, "datamig: %s:%s: %s\n", node_arg, path, strerror((int)res.status));
			return 1;
		}
		*size = res.size;
		if (to > res.size)
			to = res.size;
		if (!f->buf) {
			room = to > from ? to - from : 1;
			/* Rounded up to whole chunks: the last may overshoot. */
			room = (room + RFILE_CHUNK - 1) / RFILE_CHUNK * RFILE_CHUNK;
			if (!(f->buf = malloc(room))) {
				dprintf(2, "datamig: %u bytes: out of memory\n", room);
				return 1;
			}
		}
		if (f->data + res.data.data_len > room) {
			dprintf(2, "datamig: %s:%s changed while read\n", node_arg, path);
			return 1;
		}
		memcpy(f->buf + f->data, res.data.data_val, res.data.data_len);
		f->data += res.data.data_len;
		f->chunks++;
		a.offset += res.data.data_len;
	} while (!res.eof && res.data.data_len > 0 && a.offset < to);
	take(&s1);
	rpc_client_stats(c, &after);
	since(&f->cost, &s0, &s1);
	f->retransmits = after.retransmits - before.retransmits;
	return 0;
}

static void
report(const struct fetch *f)
{
	char a[32], b[32];

	printf("%s: %u chunk%s, %s bytes of file; on the wire %s bytes "
	    "(frames %llu out, %llu in; udp %u out, %u in), %llu.%03llu ms",
	    f->name, f->chunks, f->chunks == 1 ? "" : "s", commas(a, f->data),
	    commas(b, wire(f)), (unsigned long long)f->cost.tx_frames,
	    (unsigned long long)f->cost.rx_frames, (unsigned)f->cost.udp_out,
	    (unsigned)f->cost.udp_in, (unsigned long long)(f->cost.us / 1000),
	    (unsigned long long)(f->cost.us % 1000));
	if (f->retransmits)
		printf(", %u retransmitted", f->retransmits);
	printf("\n");
}

/* x / y to one decimal, for "wins by 19.4x". */
static void
ratio(char *buf, size_t n, uint64_t x, uint64_t y)
{
	uint64_t r = y ? (x * 10 + y / 2) / y : 0;

	snprintf(buf, n, "%llu.%llux", (unsigned long long)(r / 10),
	    (unsigned long long)(r % 10));
}

static void
verdict(const struct fetch *whole, const struct fetch *part)
{
	char a[32], b[32], r[24];

	printf("verdict: part %s bytes on the wire, whole %s: ",
	    commas(a, wire(part)), commas(b, wire(whole)));
	/* The same chunks made the same calls: any difference in bytes is
	 * other traffic this node saw meanwhile, not the method. */
	if (part->chunks == whole->chunks) {
		printf("the part needs every chunk, so the two are equal\n");
		return;
	}
	ratio(r, sizeof(r), wire(whole), wire(part));
	/* The whole copy is paid once and then serves every read locally,
	 * so it wins for a program that will read this many such parts. */
	printf("fetching only the part wins by %s; the whole copy pays off "
	    "from about %llu reads of parts this size\n", r,
	    (unsigned long long)((wire(whole) + wire(part) - 1) / (wire(part) ? wire(part) : 1)));
}

int
main(int argc, char *argv[])
{
	struct fetch whole = { .name = "whole" }, part = { .name = "part" };
	unsigned size = 0, off = 0, len = ~0u, end, first;
	struct rpc_client *c;
	enum rpc_stat st;
	uint32_t addr;
	char *here, *there;

	if (argc < 3 || argc > 5) {
		dprintf(2, "usage: datamig NODE PATH [OFFSET [LEN]]\n");
		return 2;
	}
	node_arg = argv[1];
	path = argv[2];
	if (argc > 3 && (off = (unsigned)strtol(argv[3], NULL, 0)) > 1u << 30) {
		dprintf(2, "datamig: %s: not an offset\n", argv[3]);
		return 2;
	}
	if (argc > 4 && (len = (unsigned)strtol(argv[4], NULL, 0)) > 1u << 30) {
		dprintf(2, "datamig: %s: not a length\n", argv[4]);
		return 2;
	}
	if (rpc_parse_host(node_arg, &addr) < 0) {
		dprintf(2, "datamig: %s: not a node number or address\n", node_arg);
		return 2;
	}
	/* Before any counting: this asks the node's portmapper for rfile's
	 * port (resolving its address on the way), which neither method
	 * should be charged for. */
	if ((c = rpc_client_create(addr, 0, RFILE_PROG, RFILE_VERS, &st)) == NULL) {
		dprintf(2, "datamig: %s: %s\n", node_arg, rpc_strerror(st));
		return 1;
	}
	rpc_client_timeout(c, 5000, 0);

	/* (a) Data migration of the whole file: every chunk, then the part
	 * is read from the copy here. */
	if (get(c, &whole, 0, ~0u, &size))
		return 1;
	if (off >= size || len == 0) {
		dprintf(2, "datamig: %s:%s is %u bytes: nothing at offset %u\n",
		    node_arg, path, size, off);
		return 2;
	}
	end = len > size - off ? size : off + len;
	len = end - off;
	printf("datamig: node %s, %s, %u bytes; the part is bytes %u..%u (%u bytes)\n",
	    node_arg, path, size, off, end - 1, len);
	report(&whole);

	/* (b) Only the chunks that cover the part: aligned to the
	 * service's chunk, as a file system fetches whole blocks. */
	first = off / RFILE_CHUNK * RFILE_CHUNK;
	if (get(c, &part, first, end, &size))
		return 1;
	report(&part);
	rpc_client_destroy(c);

	here = whole.buf + off;
	there = part.buf + (off - part.from);
	if (whole.data < end || part.from + part.data < end || memcmp(here, there, len) != 0) {
		printf("check: the two copies of the part DIFFER (whole %08x, part %08x)\n",
		    (unsigned)fnv1a(here, whole.data >= end ? len : 0),
		    (unsigned)fnv1a(there, part.from + part.data >= end ? len : 0));
		return 1;
	}
	printf("check: both copies of the part are identical, %u bytes, fnv1a %08x\n",
	    len, (unsigned)fnv1a(here, len));
	verdict(&whole, &part);
	return 0;
}
