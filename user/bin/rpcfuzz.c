/*
 * rpcfuzz: random and mutated ONC RPC messages at another node's
 * portmapper and rpcd, over UDP and TCP (docs/rpc.md, docs/testing.md).
 *   rpcfuzz [-v] NODE COUNT [SEED]
 * It reads NODE's portmapper table (pmap_dump) for the programs to aim
 * at, then sends COUNT messages, each a well-formed call made wrong:
 * cut short, lengthened with junk, a header or credential field set to
 * an edge value, bytes flipped, another program or version, or random
 * bytes; over TCP also record marks that lie (a huge length, no last
 * fragment, longer than what follows, many empty fragments) and
 * connections closed mid-record.  Every 200 messages, and at the end, a
 * correct GETPORT must still be answered (a failed one prints FAILED).
 * The same SEED gives the same messages; -v prints each before it goes.
 * tests/integration/test_rpc_fuzz.py runs it and checks NODE's memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <rpc/rpc.h>
#include <rpc/pmap.h>

#define MAXMSG		1400
#define MAXTARGETS	40
#define SANITY_EVERY	200

struct target {
	uint32_t prog, vers, prot;
	uint16_t port;
};

static struct target targets[MAXTARGETS];
static int ntargets, verbose;
static uint32_t rng, addr;
static uint8_t msg[MAXMSG + 64];

static uint32_t
rnd(void)
{
	return xorshift32(&rng);
}

static uint32_t
below(uint32_t n)
{
	return xorshift32_below(&rng, n);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A well-formed call to t: header, AUTH_NONE, a few argument words. */
static uint32_t
good_call(const struct target *t, uint32_t xid)
{
	uint32_t w[] = { xid, 0, 2, t->prog, t->vers, below(8), 0, 0, 0, 0 };
	uint32_t n = 0, nargs = below(6);

	for (uint32_t i = 0; i < sizeof(w) / sizeof(w[0]); i++, n += 4)
		put32(msg + n, w[i]);
	for (uint32_t i = 0; i < nargs; i++, n += 4)
		put32(msg + n, below(4) ? below(200) : rnd());
	return n;
}

static const uint32_t edges[] = {
	0, 1, 2, 3, 4, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 401, 0x1000,
	MAXMSG, 100000, 100003,
};

/* Make the call in msg (len bytes) wrong; returns the new length and
 * names what was done. */
static uint32_t
mutate(uint32_t len, const char **what)
{
	uint32_t at;

	switch (below(9)) {
	case 0:
		*what = "well formed";
		return len;
	case 1:
		*what = "cut short";
		return below(len);
	case 2:
		*what = "lengthened";
		at = len + below(MAXMSG - len);
		for (uint32_t i = len; i < at; i++)
			msg[i] = (uint8_t)rnd();
		return at;
	case 3:		/* xid, type, rpcvers, prog, vers, proc, cred, verf */
		*what = "field at an edge";
		at = 4 * below(10);
		put32(msg + at, edges[below(sizeof(edges) / sizeof(edges[0]))]);
		return len;
	case 4:
		*what = "bytes flipped";
		for (int i = 1 + (int)below(4); i > 0; i--)
			msg[below(len)] ^= (uint8_t)(1 + below(255));
		return len;
	case 5:
		*what = "other program or version";
		put32(msg + 12, below(2) ? rnd() : 100000 + below(40));
		put32(msg + 16, below(2) ? 0 : 1 + below(100));
		return len;
	case 6:		/* AUTH_SYS whose body length lies */
		*what = "lying credential";
		put32(msg + 24, 1);
		put32(msg + 28, edges[below(sizeof(edges) / sizeof(edges[0]))]);
		return len;
	case 7:
		*what = "a reply, not a call";
		put32(msg + 4, 1);
		return len;
	default:
		*what = "random bytes";
		len = 1 + below(MAXMSG);
		for (uint32_t i = 0; i < len; i++)
			msg[i] = (uint8_t)rnd();
		return len;
	}
}

static void
to(struct sockaddr_in *sa, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	sa->sin_addr = addr;
}

static void
send_udp(int fd, uint16_t port, uint32_t len)
{
	struct sockaddr_in sa;
	char junk[64];

	to(&sa, port);
	sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	/* Replies are not needed: drain them so ours are not dropped. */
	while (recvfrom(fd, junk, sizeof(junk), MSG_DONTWAIT, NULL, NULL) > 0)
		;
}

/* One TCP connection carrying the message, its record marks honest or
 * not; closed at once, or after waiting briefly for an answer. */
static void
send_tcp(uint16_t port, uint32_t len, const char **how)
{
	struct sockaddr_in sa;
	uint8_t m[4];
	uint32_t timeout = 10, sent = 0, piece;	/* ms: a tick */
	char junk[256];
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	to(&sa, port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return;
	}
	switch (below(6)) {
	case 0:
		*how = "one record";
		put32(m, 0x80000000u | len);
		write(fd, m, 4);
		write(fd, msg, len);
		read(fd, junk, sizeof(junk));
		break;
	case 1:
		*how = "a record mark of 2 GiB";
		put32(m, 0xFFFFFFFFu);
		write(fd, m, 4);
		write(fd, msg, len);
		break;
	case 2:
		*how = "no last fragment";
		put32(m, len);
		write(fd, m, 4);
		write(fd, msg, len);
		break;
	case 3:
		*how = "fragments";
		while (sent < len) {
			piece = 1 + below(len - sent);
			put32(m, (sent + piece == len ? 0x80000000u : 0) | piece);
			write(fd, m, 4);
			write(fd, msg + sent, piece);
			sent += piece;
		}
		read(fd, junk, sizeof(junk));
		break;
	case 4:
		*how = "mark longer than the record";
		put32(m, 0x80000000u | (len + 1 + below(500)));
		write(fd, m, 4);
		write(fd, msg, len);
		break;
	default:
		*how = "empty fragments";
		put32(m, 0);
		for (int i = (int)below(50); i > 0; i--)
			write(fd, m, 4);
		put32(m, 0x80000000u | len);
		write(fd, m, 4);
		write(fd, msg, len);
		read(fd, junk, sizeof(junk));
		break;
	}
	close(fd);
}

static int
sane(void)
{
	uint16_t port = 0;

	return pmap_getport(addr, PMAP_PROG, PMAP_VERS, &port, 3000) == RPC_SUCCESS &&
	    port == PMAP_PORT;
}

int
main(int argc, char *argv[])
{
	struct pmap_mapping maps[MAXTARGETS];
	uint32_t count, seed = 1, udp = 0, tcp = 0, checks = 0, bad = 0;
	int a = 1, n = 0, fd;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		a++;
	}
	if (argc - a < 2) {
		dprintf(2, "usage: rpcfuzz [-v] NODE COUNT [SEED]\n");
		return 2;
	}
	addr = rpc_node_addr(atoi(argv[a]));
	count = (uint32_t)strtol(argv[a + 1], NULL, 10);
	if (argc - a > 2)
		seed = (uint32_t)strtol(argv[a + 2], NULL, 10);
	rng = seed * 2654435761u | 1;
	if (pmap_dump(addr, maps, MAXTARGETS - 2, &n, 3000) != RPC_SUCCESS || n == 0) {
		printf("rpcfuzz: no portmapper table from node %s: FAILED\n", argv[a]);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		targets[ntargets].prog = maps[i].prog;
		targets[ntargets].vers = maps[i].vers;
		targets[ntargets].prot = maps[i].prot;
		targets[ntargets++].port = (uint16_t)maps[i].port;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		return 1;
	printf("rpcfuzz: %d programs at node %s, %u messages, seed %u\n", n,
	    argv[a], count, seed);
	for (uint32_t i = 0; i < count; i++) {
		const struct target *t = &targets[below((uint32_t)ntargets)];
		const char *what, *how = "datagram";
		uint32_t len = mutate(good_call(t, i), &what);

		if (verbose)
			printf("rpcfuzz: #%u %s to %u/%u %s port %u\n", i, what,
			    t->prog, t->vers, t->prot == IPPROTO_TCP ? "tcp" : "udp",
			    t->port);
		if (t->prot == IPPROTO_TCP) {
			send_tcp(t->port, len, &how);
			tcp++;
		} else {
			send_udp(fd, t->port, len);
			udp++;
		}
		if ((i + 1) % SANITY_EVERY == 0 || i + 1 == count) {
			checks++;
			if (!sane()) {
				bad++;
				printf("rpcfuzz: after #%u: no answer to a correct "
				    "GETPORT: FAILED\n", i);
			}
		}
	}
	printf("rpcfuzz: %u messages (%u udp, %u tcp), seed %u, correct calls "
	    "answered %u of %u\n", count, udp, tcp, seed, checks - bad, checks);
	return bad ? 1 : 0;
}
