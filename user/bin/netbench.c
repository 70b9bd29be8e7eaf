/*
 * netbench: the guest half of the network benchmarks that `make bench`
 * runs between two nodes (tools/netbench.py).  Each client prints one
 * JSON line; times are microseconds of guest time (uptime_us).
 *
 *   netbench rawecho                    echo raw frames (EtherType 0x88b5)
 *   netbench raw MAC count              raw frame ping-pong with rawecho
 *   netbench udp IP port count size     UDP round trip with udpecho
 *   netbench icmp IP count              ICMP echo round trip
 *   netbench sink port                  count what arrives until 1 s idle
 *   netbench flood IP port count size   send datagrams back to back
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#define MAX_SAMPLES	10000
#define REPLY_WAIT_MS	1000

static uint32_t samples[MAX_SAMPLES];

static void
die(const char *what)
{
	dprintf(2, "netbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* Insertion sort: a few thousand samples, once. */
static void
sort(uint32_t *v, int n)
{
	int i, j;
	uint32_t x;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && cmp_u32(v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void
report(const char *name, int count, int got, int size)
{
	uint64_t sum = 0;
	int i;

	sort(samples, got);
	for (i = 0; i < got; i++)
		sum += samples[i];
	printf("{\"bench\": \"%s\", \"us\": %u, \"min_us\": %u, \"mean_us\": %u, "
	    "\"count\": %d, \"lost\": %d, \"bytes\": %d}\n", name,
	    got ? (unsigned)samples[got / 2] : 0, got ? (unsigned)samples[0] : 0,
	    got ? (unsigned)(sum / got) : 0, count, count - got, size);
}

static void
set_timeout(int fd, uint32_t ms)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ms, sizeof(ms)) < 0)
		die("setsockopt");
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	int i;
	char *end;

	for (i = 0; i < 6; i++) {
		mac[i] = (uint8_t)strtol(s, &end, 16);
		if (end == s || (i < 5 && *end != ':'))
			return 0;
		s = end + 1;
	}
	return 1;
}

static int
raw_socket(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_BRINCH));

	if (fd < 0)
		die("socket");
	return fd;
}

static int __attribute__((noreturn))
raw_echo(void)
{
	static uint8_t buf[ETH_MAX_PAYLOAD];
	struct sockaddr_eth from;
	socklen_t len;
	int fd = raw_socket(), n;

	printf("netbench: echoing EtherType %#x\n", ETH_P_BRINCH);
	for (;;) {
		len = sizeof(from);
		if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)) < 0)
			die("recvfrom");
		sendto(fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
}

/* The shape every ping-pong shares: send, wait for the matching answer. */
static int
ping_pong(int fd, uint8_t *msg, int len, const struct sockaddr *to, socklen_t tolen,
    int count, int seq_at)
{
	static uint8_t reply[ETH_MAX_PAYLOAD];
	uint64_t t0;
	int i, n, got = 0;

	set_timeout(fd, REPLY_WAIT_MS);
	for (i = 0; i < count; i++) {
		memcpy(msg + seq_at, &i, sizeof(i));
		t0 = uptime_us();
		if (sendto(fd, msg, len, 0, to, tolen) < 0)
			continue;
		while ((n = recvfrom(fd, reply, sizeof(reply), 0, NULL, NULL)) >= 0)
			if (n >= seq_at + 4 && memcmp(reply + seq_at, &i, sizeof(i)) == 0)
				break;
		if (n >= 0 && got < MAX_SAMPLES)
			samples[got++] = (uint32_t)(uptime_us() - t0);
	}
	return got;
}

static int
raw_client(const char *mac, int count)
{
	static uint8_t msg[64];
	struct sockaddr_eth to;
	int fd = raw_socket();

	memset(&to, 0, sizeof(to));
	to.se_family = AF_PACKET;
	to.se_protocol = htons(ETH_P_BRINCH);
	if (!parse_mac(mac, to.se_addr)) {
		dprintf(2, "netbench: bad MAC %s\n", mac);
		return 2;
	}
	report("net_raw_rtt", count, ping_pong(fd, msg, sizeof(msg),
	    (struct sockaddr *)&to, sizeof(to), count, 0), sizeof(msg));
	return 0;
}

static int
ip_target(const char *ip, int port, struct sockaddr_in *to)
{
	memset(to, 0, sizeof(*to));
	to->sin_family = AF_INET;
	to->sin_port = htons((uint16_t)port);
	return inet_aton(ip, &to->sin_addr);
}

static int
udp_client(const char *ip, int port, int count, int size)
{
	static uint8_t msg[UDP_MAX_PAYLOAD];
	struct sockaddr_in to;
	int fd;

	if (!ip_target(ip, port, &to) || size < 4 || size > UDP_MAX_PAYLOAD)
		return 2;
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		die("socket");
	report("net_udp_rtt", count, ping_pong(fd, msg, size, (struct sockaddr *)&to,
	    sizeof(to), count, 0), size);
	return 0;
}

static int
icmp_client(const char *ip, int count)
{
	static uint8_t msg[64];
	struct sockaddr_in to;
	int fd;

	if (!ip_target(ip, 0, &to))
		return 2;
	if ((fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)) < 0)
		die("socket");
	msg[0] = 8;			/* echo request; the sequence goes in the data */
	report("net_icmp_rtt", count, ping_pong(fd, msg, sizeof(msg), (struct sockaddr *)&to,
	    sizeof(to), count, 8), sizeof(msg));
	return 0;
}

static int
sink(int port)
{
	static uint8_t buf[UDP_MAX_PAYLOAD];
	struct sockaddr_in addr;
	uint64_t first = 0, last = 0, bytes = 0, us;
	uint32_t n = 0, limit = 128;
	int fd, r;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		die("socket");
	ip_target("0.0.0.0", port, &addr);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("bind");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &limit, sizeof(limit));
	printf("netbench: sink on port %d\n", port);
	set_timeout(fd, 0);
	while ((r = recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL)) >= 0) {
		last = uptime_us();
		if (n++ == 0) {
			first = last;
			set_timeout(fd, 1000);	/* from now on, 1 s idle ends it */
		} else {
			bytes += (uint64_t)r;
		}
	}
	us = last > first ? last - first : 1;
	/* The first datagram starts the clock, so it is not counted. */
	printf("{\"bench\": \"net_udp_throughput\", \"packets\": %u, \"bytes\": %llu, "
	    "\"us\": %llu, \"pps\": %u, \"kbit_s\": %u}\n", n ? n - 1 : 0,
	    (unsigned long long)bytes, (unsigned long long)us,
	    (unsigned)((uint64_t)(n ? n - 1 : 0) * 1000000 / us),
	    (unsigned)(bytes * 8 * 1000 / us));
	return 0;
}

static int
flood(const char *ip, int port, int count, int size)
{
	static uint8_t msg[UDP_MAX_PAYLOAD];
	struct sockaddr_in to;
	uint64_t t0, us;
	int fd, i, sent = 0;

	if (!ip_target(ip, port, &to) || size < 1 || size > UDP_MAX_PAYLOAD)
		return 2;
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		die("socket");
	t0 = uptime_us();
	for (i = 0; i < count; i++)
		if (sendto(fd, msg, size, 0, (struct sockaddr *)&to, sizeof(to)) == size)
			sent++;
	us = uptime_us() - t0;
	if (!us)
		us = 1;
	printf("{\"bench\": \"net_udp_send\", \"packets\": %d, \"bytes\": %d, \"us\": %llu, "
	    "\"pps\": %u, \"kbit_s\": %u}\n", sent, size, (unsigned long long)us,
	    (unsigned)((uint64_t)sent * 1000000 / us),
	    (unsigned)((uint64_t)sent * size * 8 * 1000 / us));
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "rawecho") == 0 && argc == 2)
		return raw_echo();
	if (strcmp(cmd, "raw") == 0 && argc == 4)
		return raw_client(argv[2], atoi(argv[3]));
	if (strcmp(cmd, "udp") == 0 && argc == 6)
		return udp_client(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	if (strcmp(cmd, "icmp") == 0 && argc == 4)
		return icmp_client(argv[2], atoi(argv[3]));
	if (strcmp(cmd, "sink") == 0 && argc == 3)
		return sink(atoi(argv[2]));
	if (strcmp(cmd, "flood") == 0 && argc == 6)
		return flood(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	dprintf(2, "usage: netbench rawecho | raw MAC count | udp IP port count size |\n"
	    "       icmp IP count | sink port | flood IP port count size\n");
	return 2;
}
