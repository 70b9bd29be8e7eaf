/*
 * rpcd: brinch's RPC services, registered with the portmapper: the
 * remote process list (rps.x), remote file reading (rfile.x), and the
 * demos: vector arithmetic (vec.x), a counter (counter.x), echo (echo.x),
 * and the rpc lab's key-value store (kv.x).
 *
 *   rpcd [-m service|client|call] [-p port] [-v]
 *
 * -m picks the server model (docs/rpc.md): one process serves every
 * call (the default), a process per client, or a process per call.
 * init starts it at boot on machines with a network.  SIGTERM unregisters
 * and exits; SIGUSR1 prints the server's counters.
 */
// rpc: rps_xdr rps_svc rfile_xdr rfile_svc vec_xdr vec_svc counter_xdr counter_svc echo_xdr echo_svc kv_xdr kv_svc
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpcd.h"

static const char *model_names[] = { "service", "client", "call" };

static void
usage(void)
{
	dprintf(2, "usage: rpcd [-m service|client|call] [-p port] [-v]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct rpc_server *s;
	int i, model = RPC_MODEL_SERVICE, port = 0, verbose = 0, failed = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
		} else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			port = atoi(argv[++i]);
		} else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
			i++;
			for (model = 0; model < 3; model++)
				if (strcmp(argv[i], model_names[model]) == 0)
					break;
			if (model == 3)
				usage();
		} else {
			usage();
		}
	}
	if ((s = rpc_server_create((uint16_t)port)) == NULL) {
		if (errno == ENETDOWN)
			return 0;	/* no network: nothing to serve */
		dprintf(2, "rpcd: %s\n", strerror(errno));
		return 1;
	}
	if (rpc_server_model(s, model) < 0 || counter_init() < 0) {
		dprintf(2, "rpcd: shared memory: %s\n", strerror(errno));
		return 1;
	}
	failed |= rps_prog_1_register(s, 0);
	failed |= rfile_prog_1_register(s, 0);
	failed |= vec_prog_1_register(s, 0);
	failed |= counter_prog_1_register(s, 0);
	failed |= echo_prog_1_register(s, 0);
	failed |= kv_prog_1_register(s, 0);
	if (failed)
		dprintf(2, "rpcd: not every program is known to the portmapper\n");
	if (verbose)
		printf("rpcd: serving rps rfile vec counter echo kv on port %u (%s model)\n",
		    rpc_server_port(s), model_names[model]);
	rpc_run(s);
	if (verbose)
		rpc_server_print_stats(s, 1, "rpcd");
	return 0;
}
