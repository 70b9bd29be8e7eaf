/*
 * rpcinfo: ask a node's portmapper what it serves, or ping a program:
 * brinch's version of the Unix command (RFC 1833's DUMP and GETPORT).
 *
 *   rpcinfo -p [node|address]           list the mappings
 *   rpcinfo [-n port] [-x proc] -u node|address prog vers
 *
 * -u calls procedure 0 and reports; -n skips the portmapper and calls
 * that port; -x calls another procedure, with no arguments (a brinch
 * extension, to see the error statuses of docs/rpc.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <rpc/rpc.h>
#include <rpc/pmap.h>

/* A program's name from /etc/rpc (name, number, aliases per line). */
static const char *
prog_name(uint32_t prog)
{
	static char line[128];
	char *p, *name;
	int fd;

	if ((fd = open("/etc/rpc", O_RDONLY)) < 0)
		return "";
	while (readline_fd(fd, line, sizeof(line)) != NULL) {
		if (line[0] == '#')
			continue;
		for (p = line; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++)
			;
		if (*p == '\0' || *p == '\n')
			continue;
		*p++ = '\0';
		name = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if ((uint32_t)strtol(p, NULL, 10) == prog) {
			close(fd);
			return name;
		}
	}
	close(fd);
	return "";
}

static int
dump(const char *host, uint32_t addr)
{
	struct pmap_mapping m[64];
	enum rpc_stat st;
	int n, i;

	if ((st = pmap_dump(addr, m, 64, &n, 3000)) != RPC_SUCCESS) {
		dprintf(2, "rpcinfo: can't contact portmapper on %s: %s\n", host,
		    rpc_strerror(st));
		return 1;
	}
	printf("   program vers proto   port  service\n");
	for (i = 0; i < n; i++)
		printf("%10u%5u%6s%7u  %s\n", (unsigned)m[i].prog, (unsigned)m[i].vers,
		    m[i].prot == IPPROTO_UDP ? "udp" : "tcp", (unsigned)m[i].port,
		    prog_name(m[i].prog));
	return 0;
}

static int
ping(const char *host, uint32_t addr, uint16_t port, uint32_t prog,
    uint32_t vers, uint32_t proc)
{
	struct rpc_client *c;
	struct rpc_err e;
	enum rpc_stat st;

	if ((c = rpc_client_create(addr, port, prog, vers, &st)) == NULL) {
		printf("rpcinfo: %s: %s\n", host, rpc_strerror(st));
		return 1;
	}
	st = rpc_client_call(c, proc, xdr_void, NULL, xdr_void, NULL, 3000);
	rpc_client_geterr(c, &e);
	rpc_client_destroy(c);
	if (st == RPC_PROGVERSMISMATCH) {
		printf("rpcinfo: program %u version %u is not available (versions %u to %u are)\n",
		    (unsigned)prog, (unsigned)vers, (unsigned)e.low, (unsigned)e.high);
		return 1;
	}
	if (st != RPC_SUCCESS) {
		printf("rpcinfo: %s: %s\n", host, rpc_strerror(st));
		return 1;
	}
	if (proc != 0)
		printf("program %u version %u procedure %u answered\n", (unsigned)prog,
		    (unsigned)vers, (unsigned)proc);
	else
		printf("program %u version %u ready and waiting\n", (unsigned)prog,
		    (unsigned)vers);
	return 0;
}

static void
usage(void)
{
	dprintf(2, "usage: rpcinfo -p [node|address]\n"
	    "       rpcinfo [-n port] [-x proc] -u node|address prog vers\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	uint32_t addr, proc = 0;
	const char *host;
	int i, port = 0;

	if (argc >= 2 && strcmp(argv[1], "-p") == 0 && argc <= 3) {
		host = argc == 3 ? argv[2] : "localhost";
		if (rpc_parse_host(host, &addr) < 0) {
			dprintf(2, "rpcinfo: %s: unknown host\n", host);
			return 2;
		}
		return dump(host, addr);
	}
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-n") == 0)
			port = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-x") == 0)
			proc = (uint32_t)strtol(argv[i + 1], NULL, 0);
		else
			break;
	}
	if (argc - i != 4 || strcmp(argv[i], "-u") != 0 || port < 0 || port > 65535)
		usage();
	if (rpc_parse_host(argv[i + 1], &addr) < 0) {
		dprintf(2, "rpcinfo: %s: unknown host\n", argv[i + 1]);
		return 2;
	}
	return ping(argv[i + 1], addr, (uint16_t)port, (uint32_t)strtol(argv[i + 2], NULL, 0),
	    (uint32_t)strtol(argv[i + 3], NULL, 0), proc);
}
