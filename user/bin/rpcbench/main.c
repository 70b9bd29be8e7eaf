/*
 * rpcbench: round trips of RPCs to a node's echo program (echo.x), for
 * `make bench` (tools/rpc/rpcbench.py) and for trying calls by hand.
 *
 *   rpcbench null node [count]          the null RPC (procedure 0)
 *   rpcbench echo node size [count]     ECHO with size bytes each way
 *   rpcbench sink node size [count]     SINK: size bytes of arguments only
 *   rpcbench par node clients calls ms  that many client processes, each
 *                                       making calls SLEEP(ms) calls
 *   rpcbench sleep node ms [timeout_ms] one call the server answers late
 *   rpcbench async node calls           rpc_call_start/rpc_wait by node
 *                                       number, RPC_MAX_PENDING in flight
 *
 * -t timeout_ms first gives null, echo and sink calls that long (5000 by
 * default) through retransmissions, as a lossy link may need.
 *
 * null, echo and sink print one JSON line: median and fastest round trip
 * in microseconds of guest time, and the client's retransmissions; par
 * prints the time until the last client finished (the server models of
 * docs/rpc.md differ most there).
 */
// rpc: echo_xdr echo_clnt
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>
#include <sys/wait.h>
#include "echo.h"

#define MAX_SAMPLES	2000

static uint32_t samples[MAX_SAMPLES];
static unsigned call_timeout = 5000;	/* ms, for null, echo and sink */

static void
usage(void)
{
	dprintf(2, "usage: rpcbench [-t timeout_ms] null node [count]\n"
	    "       rpcbench [-t timeout_ms] echo node size [count]\n"
	    "       rpcbench [-t timeout_ms] sink node size [count]\n"
	    "       rpcbench par node clients calls ms\n"
	    "       rpcbench sleep node ms [timeout_ms]\n"
	    "       rpcbench async node calls\n");
	exit(2);
}

static struct rpc_client *
client(const char *node, unsigned timeout)
{
	struct rpc_client *c;
	enum rpc_stat st;
	uint32_t addr;

	if (rpc_parse_host(node, &addr) < 0) {
		dprintf(2, "rpcbench: %s: not a node number or address\n", node);
		exit(2);
	}
	if ((c = rpc_client_create(addr, 0, ECHO_PROG, ECHO_VERS, &st)) == NULL) {
		dprintf(2, "rpcbench: %s: %s\n", node, rpc_strerror(st));
		exit(1);
	}
	rpc_client_timeout(c, timeout, 0);
	return c;
}

static void
sort(uint32_t *a, int n)
{
	uint32_t t;
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && a[j] < a[j - 1]; j--) {
			t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

/* size < 0: the null procedure; else ECHO (or SINK) of size bytes. */
static int
rtt(const char *node, int size, int count, int sink)
{
	static uint8_t payload[RPC_MAX_MSG];	/* over ECHO_MAX: refused */
	struct rpc_client_stats cs;
	struct rpc_client *c = client(node, call_timeout);
	echo_data arg, res;
	enum rpc_stat st;
	uint64_t t0;
	int i;

	if (count > MAX_SAMPLES)
		count = MAX_SAMPLES;
	if (size > (int)sizeof(payload))
		size = sizeof(payload);
	memset(payload, 'x', sizeof(payload));
	arg.echo_data_len = size < 0 ? 0 : (unsigned)size;
	arg.echo_data_val = (char *)payload;
	for (i = 0; i < count; i++) {
		t0 = uptime_us();
		if (size < 0)
			st = rpc_client_call(c, 0, xdr_void, NULL, xdr_void, NULL, 0);
		else if (sink)
			st = sink_1(c, &arg);
		else
			st = echo_1(c, &arg, &res);
		samples[i] = (uint32_t)(uptime_us() - t0);
		if (st != RPC_SUCCESS) {
			/* Over one datagram is an honest "no", not a number. */
			printf("{\"bench\": \"rpc_%s_rtt\", \"bytes\": %d, "
			    "\"supported\": false, \"error\": \"%s\"}\n",
			    sink ? "sink" : "echo", size, rpc_strerror(st));
			return st == RPC_CANTENCODEARGS ? 0 : 1;
		}
		if (size >= 0 && !sink && (res.echo_data_len != arg.echo_data_len ||
		    memcmp(res.echo_data_val, payload, res.echo_data_len) != 0)) {
			printf("rpcbench: echo came back different\n");
			return 1;
		}
	}
	sort(samples, count);
	rpc_client_stats(c, &cs);
	if (size < 0)
		printf("{\"bench\": \"rpc_null_rtt\", ");
	else
		printf("{\"bench\": \"rpc_%s_rtt\", \"bytes\": %d, ",
		    sink ? "sink" : "echo", size);
	printf("\"us\": %u, \"min_us\": %u, \"count\": %d, \"retransmits\": %u}\n",
	    samples[count / 2], samples[0], count, cs.retransmits);
	return 0;
}

/* clients processes at once, each making calls SLEEP(ms) calls. */
static int
par(const char *node, int clients, int calls, unsigned ms)
{
	uint64_t t0 = uptime_us();
	int i, j, status, failed = 0;

	for (i = 0; i < clients; i++) {
		if (fork() == 0) {
			struct rpc_client *c = client(node, 60000);

			for (j = 0; j < calls; j++)
				if (sleep_1(c, &ms) != RPC_SUCCESS)
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < clients; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	printf("{\"bench\": \"rpc_parallel\", \"clients\": %d, \"calls\": %d, "
	    "\"sleep_ms\": %u, \"ms\": %u, \"failed\": %d}\n", clients, calls, ms,
	    (unsigned)((uptime_us() - t0) / 1000), failed);
	return failed != 0;
}

static int
slow(const char *node, unsigned ms, unsigned timeout)
{
	struct rpc_client *c = client(node, timeout);
	enum rpc_stat st;
	uint64_t t0 = uptime_us();

	st = sleep_1(c, &ms);
	printf("rpcbench: sleep %u: %s after %u ms\n", ms,
	    st == RPC_SUCCESS ? "answered" : rpc_strerror(st),
	    (unsigned)((uptime_us() - t0) / 1000));
	return st == RPC_SUCCESS ? 0 : 1;
}

/* The node-number interface: rpc_call, then batches of asynchronous
 * ECHOs, each answer checked against what its call sent. */
static int
async(int node, int calls)
{
	struct rpc_call *h[RPC_MAX_PENDING];
	uint32_t sent[RPC_MAX_PENDING], got;
	echo_data arg, res;
	enum rpc_stat st;
	int i, k, n, done = 0;

	if ((st = rpc_call(node, ECHO_PROG, ECHO_VERS, 0, xdr_void, NULL, xdr_void,
	    NULL, 5000)) != RPC_SUCCESS) {
		printf("rpcbench: node %d: %s\n", node, rpc_strerror(st));
		return 1;
	}
	for (i = 0; i < calls; i += n) {
		n = calls - i < RPC_MAX_PENDING ? calls - i : RPC_MAX_PENDING;
		for (k = 0; k < n; k++) {
			sent[k] = (uint32_t)(i + k) * 2654435761u;
			arg.echo_data_len = sizeof(sent[k]);
			arg.echo_data_val = (char *)&sent[k];
			h[k] = rpc_call_start(node, ECHO_PROG, ECHO_VERS, ECHO,
			    (xdrproc_t)xdr_echo_data, &arg, 5000, &st);
			if (h[k] == NULL) {
				printf("rpcbench: start: %s\n", rpc_strerror(st));
				return 1;
			}
		}
		/* Wait in reverse: replies that come first are filed away. */
		for (k = n - 1; k >= 0; k--) {
			if ((st = rpc_wait(h[k], (xdrproc_t)xdr_echo_data, &res)) != RPC_SUCCESS) {
				printf("rpcbench: wait: %s\n", rpc_strerror(st));
				return 1;
			}
			memcpy(&got, res.echo_data_val, sizeof(got));
			if (res.echo_data_len != sizeof(got) || got != sent[k]) {
				printf("rpcbench: call %d got another call's answer\n", i + k);
				return 1;
			}
			done++;
		}
	}
	printf("rpcbench: async: %d calls, %d in flight at a time, all answered\n",
	    done, RPC_MAX_PENDING);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		call_timeout = (unsigned)atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	if (argc >= 3 && strcmp(argv[1], "null") == 0)
		return rtt(argv[2], -1, argc > 3 ? atoi(argv[3]) : 200, 0);
	if (argc >= 4 && strcmp(argv[1], "echo") == 0)
		return rtt(argv[2], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 200, 0);
	if (argc >= 4 && strcmp(argv[1], "sink") == 0)
		return rtt(argv[2], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 200, 1);
	if (argc == 4 && strcmp(argv[1], "async") == 0)
		return async(atoi(argv[2]), atoi(argv[3]));
	if (argc == 6 && strcmp(argv[1], "par") == 0)
		return par(argv[2], atoi(argv[3]), atoi(argv[4]), (unsigned)atoi(argv[5]));
	if (argc >= 4 && strcmp(argv[1], "sleep") == 0)
		return slow(argv[2], (unsigned)atoi(argv[3]),
		    argc > 4 ? (unsigned)atoi(argv[4]) : 10000);
	usage();
	return 2;
}
