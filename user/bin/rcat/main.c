/*
 * rcat: print a file from another node's initrd, read over RPC a chunk
 * at a time (rfile.x, served by its rpcd); -l lists a directory.
 *
 *   rcat [-c] [-t timeout_ms] node|address path
 *   rcat -l [-t timeout_ms] node|address [dir]
 *
 * -c prints the size and an FNV-1a hash instead of the bytes, to check a
 * long (many-chunk) transfer against the original.
 */
// rpc: rfile_xdr rfile_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rfile.h"

static int
list(struct rpc_client *c, const char *node, char *path)
{
	rfile_list_args a = { path, 0 };
	rfile_list_res res;
	enum rpc_stat st;
	unsigned i;

	do {
		if ((st = rfile_list_1(c, &a, &res)) != RPC_SUCCESS) {
			dprintf(2, "rcat: %s: %s\n", node, rpc_strerror(st));
			return 1;
		}
		if (res.status != RFILE_OK) {
			dprintf(2, "rcat: %s:%s: %s\n", node, path, strerror((int)res.status));
			return 1;
		}
		for (i = 0; i < res.names.names_len; i++)
			printf("%s\n", res.names.names_val[i]);
		a.first += res.names.names_len;
	} while (res.more);
	return 0;
}

static int
cat(struct rpc_client *c, const char *node, char *path, int sum)
{
	rfile_read_args a = { path, 0, RFILE_CHUNK };
	uint32_t hash = 2166136261u;
	rfile_read_res res;
	enum rpc_stat st;
	unsigned i;

	do {
		if ((st = rfile_read_1(c, &a, &res)) != RPC_SUCCESS) {
			dprintf(2, "rcat: %s: %s\n", node, rpc_strerror(st));
			return 1;
		}
		if (res.status != RFILE_OK) {
			dprintf(2, "rcat: %s:%s: %s\n", node, path, strerror((int)res.status));
			return 1;
		}
		if (sum)
			for (i = 0; i < res.data.data_len; i++)
				hash = (hash ^ (uint8_t)res.data.data_val[i]) * 16777619u;
		else
			write(1, res.data.data_val, res.data.data_len);
		a.offset += res.data.data_len;
	} while (!res.eof && res.data.data_len > 0);
	if (sum)
		printf("rcat: %u bytes, fnv1a %08x\n", a.offset, (unsigned)hash);
	return 0;
}

int
main(int argc, char *argv[])
{
	int i = 1, do_list = 0, do_sum = 0, r;
	unsigned timeout = 3000;
	struct rpc_client *c;
	enum rpc_stat st;
	uint32_t addr;
	char *path;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-l") == 0)
			do_list = 1;
		else if (strcmp(argv[i], "-c") == 0)
			do_sum = 1;
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			timeout = (unsigned)atoi(argv[++i]);
		else
			break;
	}
	if (i >= argc || argc - i > 2 || (!do_list && argc - i != 2)) {
		dprintf(2, "usage: rcat [-c] [-t timeout_ms] node|address path\n"
		    "       rcat -l [-t timeout_ms] node|address [dir]\n");
		return 2;
	}
	if (rpc_parse_host(argv[i], &addr) < 0) {
		dprintf(2, "rcat: %s: not a node number or address\n", argv[i]);
		return 2;
	}
	path = argc - i == 2 ? argv[i + 1] : "/";
	if ((c = rpc_client_create(addr, 0, RFILE_PROG, RFILE_VERS, &st)) == NULL) {
		dprintf(2, "rcat: %s: %s\n", argv[i], rpc_strerror(st));
		return 1;
	}
	rpc_client_timeout(c, timeout, 0);
	r = do_list ? list(c, argv[i], path) : cat(c, argv[i], path, do_sum);
	rpc_client_destroy(c);
	return r;
}
