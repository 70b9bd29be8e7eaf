/*
 * net: the network interface, ifconfig-style, and the stack's tables.
 *
 *   net            address, MAC, driver, packet and byte counts
 *   net counters   every protocol counter (drops are counted where made)
 *   net arp        the ARP cache
 *   net sockets    open sockets with their queues and drops, then TCP's
 *   net tcp        TCP connections: addresses, state, queues (netstat-style)
 *   net all        all of the above
 *
 * The wording of "RX packets" and "name value" lines is relied on by the
 * tests (tests/integration/netnodes.py).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <brinch.h>
#include <arpa/inet.h>

#define MAX_ROWS	128

static void
print_mac(const uint8_t *m)
{
	printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int
show_interface(void)
{
	struct net_info ni;
	char a[16], b[16];

	if (net_info(&ni) < 0) {
		dprintf(2, "net: %s\n", strerror(errno));
		return 1;
	}
	if (!ni.present) {
		printf("no network device (boot QEMU with -device virtio-net-pci,...: see docs/network.md)\n");
		return 1;
	}
	printf("eth0: %s at pci %02x:%02x.%x irq %u io %#x link %s\n", ni.driver,
	    (unsigned)(ni.pci_location >> 16), (unsigned)(ni.pci_location >> 8) & 0xFF,
	    (unsigned)ni.pci_location & 0xFF, (unsigned)ni.irq, (unsigned)ni.io_base,
	    ni.link_up ? "up" : "down");
	printf("\tnode %d  inet %s  netmask %s  gateway %s\n", (int)ni.node,
	    inet_ntoa_r(ni.ip, a), inet_ntoa_r(ni.netmask, b),
	    ni.gateway ? inet_ntoa(ni.gateway) : "none");
	printf("\tether ");
	print_mac(ni.mac);
	printf("  mtu %u  features %#x  rx ring %u  tx ring %u\n", ni.mtu,
	    (unsigned)ni.features, (unsigned)ni.rx_ring, (unsigned)ni.tx_ring);
	printf("\tRX packets %llu  bytes %llu  dropped %u  errors %u\n",
	    (unsigned long long)ni.rx_packets, (unsigned long long)ni.rx_bytes,
	    (unsigned)ni.rx_dropped, (unsigned)ni.rx_errors);
	printf("\tTX packets %llu  bytes %llu  dropped %u  errors %u  waits %u\n",
	    (unsigned long long)ni.tx_packets, (unsigned long long)ni.tx_bytes,
	    (unsigned)ni.tx_dropped, (unsigned)ni.tx_errors, (unsigned)ni.tx_waits);
	printf("\tinterrupts %u\n", (unsigned)ni.interrupts);
	return 0;
}

static int
show_counters(void)
{
	static struct net_counter rows[MAX_ROWS];
	int n, i;

	if ((n = net_counters(rows, MAX_ROWS)) < 0) {
		dprintf(2, "net: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%-20s %u\n", rows[i].name, (unsigned)rows[i].value);
	return 0;
}

static int
show_arp(void)
{
	static struct arp_info rows[MAX_ROWS];
	static const char *const states[] = { "?", "resolving", "resolved", "failed" };
	int n, i;

	if ((n = arp_list(rows, MAX_ROWS)) < 0) {
		dprintf(2, "net: %s\n", strerror(errno));
		return 1;
	}
	printf("%-15s %-17s %-9s %8s %6s\n", "ADDRESS", "MAC", "STATE", "AGE(ms)", "QUEUED");
	for (i = 0; i < n; i++) {
		printf("%-15s ", inet_ntoa(rows[i].ip));
		if (rows[i].state == ARP_STATE_RESOLVED)
			print_mac(rows[i].mac);
		else
			printf("%-17s", "-");
		printf(" %-9s %8u %6u\n", states[rows[i].state <= 3 ? rows[i].state : 0],
		    (unsigned)rows[i].age_ms, (unsigned)rows[i].queued);
	}
	return 0;
}

static int
show_sockets(void)
{
	static struct sock_info rows[MAX_ROWS];
	int n, i;

	if ((n = sock_list(rows, MAX_ROWS)) < 0) {
		dprintf(2, "net: %s\n", strerror(errno));
		return 1;
	}
	printf("%-5s %-6s %-6s %6s %6s %8s %8s %8s\n", "PID", "PROTO", "PORT",
	    "QUEUED", "LIMIT", "RECEIVED", "DROPPED", "SENT");
	for (i = 0; i < n; i++) {
		struct sock_info *s = &rows[i];
		const char *proto = s->domain == AF_PACKET ? "eth" :
		    s->protocol == IPPROTO_ICMP ? "ping" : "udp";

		if (s->protocol == IPPROTO_TCP)
			continue;		/* in the TCP table below */
		printf("%-5d %-6s ", (int)s->owner, proto);
		if (s->domain == AF_PACKET)
			printf("%#-6x", s->local_port);
		else
			printf("%-6u", s->local_port);
		printf(" %6u %6u %8u %8u %8u\n", (unsigned)s->queued, (unsigned)s->limit,
		    (unsigned)s->received, (unsigned)s->dropped, (unsigned)s->sent);
	}
	return 0;
}

static const char *const tcp_states[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1",
	"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

static void
endpoint(uint32_t ip, unsigned port, char *out)
{
	char a[16];

	if (port)
		snprintf(out, 24, "%s:%u", inet_ntoa_r(ip, a), port);
	else
		snprintf(out, 24, "%s:*", inet_ntoa_r(ip, a));
}

/* TCP, netstat-style.  PID "-": no socket holds the connection (it is
 * closing after close(), in TIME_WAIT, or waiting to be accepted).
 * RETRANS counts segments sent again. */
static int
show_tcp(void)
{
	static struct sock_info rows[MAX_ROWS];
	char local[24], remote[24];
	int n, i;

	if ((n = sock_list(rows, MAX_ROWS)) < 0) {
		dprintf(2, "net: %s\n", strerror(errno));
		return 1;
	}
	printf("%-5s %-21s %-21s %-11s %6s %6s %7s\n", "PID", "LOCAL", "REMOTE",
	    "STATE", "RECV-Q", "SEND-Q", "RETRANS");
	for (i = 0; i < n; i++) {
		struct sock_info *s = &rows[i];

		if (s->protocol != IPPROTO_TCP)
			continue;
		endpoint(s->local_addr, s->local_port, local);
		endpoint(s->remote_addr, s->remote_port, remote);
		if (s->owner < 0)
			printf("%-5s ", "-");
		else
			printf("%-5d ", (int)s->owner);
		printf("%-21s %-21s %-11s %6u %6u %7u\n", local, remote,
		    s->tcp_state <= TCP_TIME_WAIT ? tcp_states[s->tcp_state] : "?",
		    (unsigned)s->queued, (unsigned)s->send_queued, (unsigned)s->dropped);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *what = argc > 1 ? argv[1] : "";

	if (argc > 2)
		goto usage;
	if (!*what)
		return show_interface();
	if (strcmp(what, "counters") == 0)
		return show_counters();
	if (strcmp(what, "arp") == 0)
		return show_arp();
	if (strcmp(what, "sockets") == 0) {
		show_sockets();
		printf("\n");
		return show_tcp();
	}
	if (strcmp(what, "tcp") == 0)
		return show_tcp();
	if (strcmp(what, "all") == 0) {
		int r = show_interface();

		printf("\n");
		show_arp();
		printf("\n");
		show_sockets();
		printf("\n");
		show_tcp();
		printf("\n");
		return show_counters() | r;
	}
usage:
	dprintf(2, "usage: net [counters | arp | sockets | tcp | all]\n");
	return 2;
}
