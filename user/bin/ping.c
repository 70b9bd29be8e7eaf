/*
 * ping: ICMP echo (RFC 792) through a ping socket (AF_INET, SOCK_DGRAM,
 * IPPROTO_ICMP): we write the echo request, the kernel fills in the
 * identifier and checksum, and only replies to our identifier come back.
 *
 *   ping [-c count] [-i interval_ms] [-W timeout_ms] [-s size] [-q] host
 *
 * Each request carries its send time, so late replies still get a true
 * round-trip time; duplicates and replies to nothing we sent are not
 * counted.  -i 0 sends the next request as soon as the last is answered
 * (or timed out).  Exit status 0 if any reply came, else 1.  The summary
 * lines follow Linux's ping so that people and tests can read them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#define MAX_COUNT	10000
#define MAX_SIZE	65507		/* IPv4's 65535 less the headers; over 1472
				 * the request goes as IP fragments */
#define HDR		8		/* type, code, checksum, id, sequence */
#define STAMP		8		/* our send time, first in the data */

struct stats {
	unsigned sent, received, dups;
	uint64_t min_us, max_us, sum_us;
	uint8_t  seen[MAX_COUNT / 8 + 1];
};

static int quiet;

static void
usage(void)
{
	dprintf(2, "usage: ping [-c count] [-i interval_ms] [-W timeout_ms] [-s size] [-q] host\n");
	exit(2);
}

/* "1.234" (milliseconds with microsecond digits) without floating point. */
static char *
ms_text(uint64_t us, char *buf)
{
	snprintf(buf, 24, "%u.%03u", (unsigned)(us / 1000), (unsigned)(us % 1000));
	return buf;
}

static int
number(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return (int)v;
}

/* Wait for replies until `until` (uptime us); stop early once sequence
 * `want` has been answered, if want >= 0. */
static void
collect(int fd, struct stats *st, uint64_t until, int want)
{
	static uint8_t buf[HDR + MAX_SIZE];
	struct sockaddr_in from;
	socklen_t fromlen;
	uint64_t now, sent_at, rtt;
	uint32_t left_ms;
	unsigned seq;
	int n;
	char t[24];

	while ((now = uptime_us()) < until) {
		left_ms = (uint32_t)((until - now + 999) / 1000);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &left_ms, sizeof(left_ms));
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno != ETIMEDOUT && errno != EINTR)
				dprintf(2, "ping: recvfrom: %s\n", strerror(errno));
			return;
		}
		if (n < HDR + STAMP || buf[0] != 0)
			continue;
		seq = (unsigned)(buf[6] << 8 | buf[7]);
		if (seq == 0 || seq > st->sent)
			continue;		/* not one of ours */
		if (st->seen[seq / 8] & (1 << (seq % 8))) {
			st->dups++;
			continue;
		}
		st->seen[seq / 8] |= 1 << (seq % 8);
		memcpy(&sent_at, buf + HDR, STAMP);
		rtt = uptime_us() - sent_at;
		st->received++;
		st->sum_us += rtt;
		if (st->received == 1 || rtt < st->min_us)
			st->min_us = rtt;
		if (rtt > st->max_us)
			st->max_us = rtt;
		if (!quiet)
			printf("%d bytes from %s: icmp_seq=%u time=%s ms\n", n,
			    inet_ntoa(from.sin_addr), seq, ms_text(rtt, t));
		if (want >= 0 && seq == (unsigned)want)
			return;
	}
}

int
main(int argc, char *argv[])
{
	static struct stats st;
	static uint8_t req[HDR + MAX_SIZE];
	struct sockaddr_in to;
	int count = 4, interval = 1000, timeout = 2000, size = 56, i, fd, seq;
	uint64_t start, sent_at, elapsed;
	char a[24], b[24], c[24];

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (i + 1 < argc && strcmp(argv[i], "-c") == 0)
			count = number(argv[++i], 1, MAX_COUNT);
		else if (i + 1 < argc && strcmp(argv[i], "-i") == 0)
			interval = number(argv[++i], 0, 60000);
		else if (i + 1 < argc && strcmp(argv[i], "-W") == 0)
			timeout = number(argv[++i], 1, 600000);
		else if (i + 1 < argc && strcmp(argv[i], "-s") == 0)
			size = number(argv[++i], STAMP, MAX_SIZE);
		else
			usage();
	}
	if (i != argc - 1)
		usage();
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	if (!inet_aton(argv[i], &to.sin_addr)) {
		dprintf(2, "ping: %s: not an IPv4 address\n", argv[i]);
		return 2;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)) < 0) {
		dprintf(2, "ping: socket: %s\n", strerror(errno));
		return 2;
	}
	printf("PING %s: %d data bytes\n", argv[i], size);
	start = uptime_us();
	for (seq = 1; seq <= count; seq++) {
		memset(req, 0, HDR);
		req[0] = 8;				/* echo request */
		req[6] = (uint8_t)(seq >> 8);
		req[7] = (uint8_t)seq;
		for (i = HDR + STAMP; i < HDR + size; i++)
			req[i] = (uint8_t)i;		/* the usual rising pattern */
		sent_at = uptime_us();
		memcpy(req + HDR, &sent_at, STAMP);
		st.sent++;
		if (sendto(fd, req, HDR + size, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			printf("ping: icmp_seq=%d: %s\n", seq, strerror(errno));
		if (seq == count || interval == 0)
			collect(fd, &st, sent_at + (uint64_t)timeout * 1000, seq);
		else
			collect(fd, &st, sent_at + (uint64_t)interval * 1000, -1);
	}
	elapsed = uptime_us() - start;
	printf("--- %s ping statistics ---\n", inet_ntoa(to.sin_addr));
	printf("%u packets transmitted, %u received, ", st.sent, st.received);
	if (st.dups)
		printf("+%u duplicates, ", st.dups);
	printf("%u%% packet loss, time %ums\n",
	    st.sent ? (st.sent - st.received) * 100 / st.sent : 0,
	    (unsigned)(elapsed / 1000));
	if (st.received)
		printf("rtt min/avg/max = %s/%s/%s ms\n", ms_text(st.min_us, a),
		    ms_text(st.sum_us / st.received, b), ms_text(st.max_us, c));
	return st.received ? 0 : 1;
}
