/*
 * kv: calls a node's key-value store (kv.x, served by rpcd: the rpc lab,
 * docs/labs/rpc.md), one call per operation, in order:
 *
 *   kv [-t timeout_ms] node op...      op: put KEY VALUE | get KEY | del KEY
 *
 * Each operation prints one line: "kv: put KEY: ok" (or "full"),
 * "kv: get KEY: \"VALUE\"" (or "not found"), "kv: del KEY: ok" (or "not
 * found"), or the RPC error in place of the answer.  Exit status 0 if
 * every call got an answer.
 */
// rpc: kv_xdr kv_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kv.h"

static const char *
status_text(kv_status s)
{
	static char other[24];

	switch (s) {
	case KV_OK:		return "ok";
	case KV_NOTFOUND:	return "not found";
	case KV_FULL:		return "full";
	}
	snprintf(other, sizeof(other), "status %d", (int)s);
	return other;
}

/* A value as text: bytes outside printable ASCII as '.'. */
static void
print_value(const kv_value *v)
{
	unsigned i;

	putchar('"');
	for (i = 0; i < v->kv_value_len; i++) {
		char c = v->kv_value_val[i];
		putchar(c >= ' ' && c <= '~' ? c : '.');
	}
	printf("\"\n");
}

/* One operation from argv; the number of words it took, 0 if none fits. */
static int
operation(struct rpc_client *c, char **argv, int left, int *failed)
{
	kv_put_args put;
	kv_get_res got;
	kv_status s;
	enum rpc_stat st;

	if (strcmp(argv[0], "put") == 0 && left >= 3) {
		put.key = argv[1];
		put.value.kv_value_val = argv[2];
		put.value.kv_value_len = (unsigned)strlen(argv[2]);
		st = kv_put_1(c, &put, &s);
	} else if (strcmp(argv[0], "get") == 0 && left >= 2) {
		st = kv_get_1(c, &argv[1], &got);
		s = got.status;
	} else if (strcmp(argv[0], "del") == 0 && left >= 2) {
		st = kv_del_1(c, &argv[1], &s);
	} else {
		return 0;
	}
	printf("kv: %s %s: ", argv[0], argv[1]);
	if (st != RPC_SUCCESS) {
		printf("%s\n", rpc_strerror(st));
		*failed = 1;
	} else if (argv[0][0] == 'g' && s == KV_OK) {
		print_value(&got.value);
	} else {
		printf("%s\n", status_text(s));
	}
	return argv[0][0] == 'p' ? 3 : 2;
}

int
main(int argc, char *argv[])
{
	unsigned timeout = 5000;
	struct rpc_client *c;
	enum rpc_stat st;
	uint32_t addr;
	int i = 1, n, failed = 0;

	if (i + 1 < argc && strcmp(argv[i], "-t") == 0) {
		timeout = (unsigned)atoi(argv[i + 1]);
		i += 2;
	}
	if (i + 1 >= argc || rpc_parse_host(argv[i], &addr) < 0) {
		dprintf(2, "usage: kv [-t timeout_ms] node put KEY VALUE | get KEY | del KEY ...\n");
		return 2;
	}
	if ((c = rpc_client_create(addr, 0, KV_PROG, KV_VERS, &st)) == NULL) {
		dprintf(2, "kv: %s: %s\n", argv[i], rpc_strerror(st));
		return 1;
	}
	rpc_client_timeout(c, timeout, 0);
	for (i++; i < argc; i += n)
		if ((n = operation(c, argv + i, argc - i, &failed)) == 0) {
			dprintf(2, "kv: what is %s?\n", argv[i]);
			failed = 1;
			break;
		}
	rpc_client_destroy(c);
	return failed;
}
