/*
 * udpsend: send UDP datagrams, and with -e wait for each to be echoed
 * (by udpecho, or any RFC 862 echo server) and report loss and round
 * trip times the way ping does.
 *
 *   udpsend [-c count] [-s size] [-i interval_ms] [-W timeout_ms] [-e] [-q]
 *           host port [text]
 *
 * With text, each datagram is that text; otherwise it is `size` bytes
 * (default 64) starting with a sequence number and the send time, so
 * that a late echo is matched to the right datagram, and an echo whose
 * bytes differ from what was sent is reported and not counted.  Over
 * 1472 bytes a datagram travels as IP fragments.  Without -e the
 * datagrams go out back to back (or every interval_ms) and the send
 * rate is printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <brinch.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#define TAG	12		/* sequence (4 bytes) and send time (8) */

static char *
ms_text(uint64_t us, char *buf)
{
	snprintf(buf, 24, "%u.%03u", (unsigned)(us / 1000), (unsigned)(us % 1000));
	return buf;
}

static void
usage(void)
{
	dprintf(2, "usage: udpsend [-c count] [-s size] [-i interval_ms] [-W timeout_ms]"
	    " [-e] [-q] host port [text]\n");
	exit(2);
}

/* Wait for the echo of datagram seq (any datagram, in text mode), sent
 * at sent_at as the len bytes in sent, for timeout_us.  Returns its round
 * trip in us (at least 1), or 0 if none came. */
static uint64_t
await_echo(int fd, uint32_t seq, const char *text, const uint8_t *sent, int len,
    uint64_t sent_at, uint64_t timeout_us, int quiet)
{
	uint64_t deadline = sent_at + timeout_us;
	static uint8_t buf[UDP_MAX_PAYLOAD + 1];
	struct sockaddr_in from;
	socklen_t fromlen;
	uint64_t now, stamp;
	uint32_t left, got_seq;
	int n;
	char t[24];

	while ((now = uptime_us()) < deadline) {
		left = (uint32_t)((deadline - now + 999) / 1000);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &left, sizeof(left));
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, UDP_MAX_PAYLOAD, 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return 0;		/* timed out (or a signal) */
		if (text) {
			buf[n] = '\0';
			if (!quiet)
				printf("reply from %s:%u: %s\n", inet_ntoa(from.sin_addr),
				    ntohs(from.sin_port), buf);
			return uptime_us() - sent_at + 1;
		}
		if (n < TAG)
			continue;
		got_seq = (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3];
		if (got_seq != seq)
			continue;		/* a late echo of an earlier one */
		if (n != len || memcmp(buf + TAG, sent + TAG, len - TAG) != 0) {
			printf("seq=%u: echo of %d bytes differs from the %d sent\n",
			    seq, n, len);
			continue;
		}
		memcpy(&stamp, buf + 4, 8);
		now = uptime_us() - stamp;
		if (!quiet)
			printf("%d bytes from %s:%u: seq=%u time=%s ms\n", n,
			    inet_ntoa(from.sin_addr), ntohs(from.sin_port), seq, ms_text(now, t));
		return now ? now : 1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static uint8_t buf[UDP_MAX_PAYLOAD];
	struct sockaddr_in to;
	int count = 1, size = 64, interval = 0, timeout = 1000, echo = 0, quiet = 0;
	int i, fd, len, received = 0, errors = 0;
	const char *text = NULL;
	uint64_t start, elapsed, rtt, min = 0, max = 0, sum = 0, sent_at;
	uint32_t seq;
	char a[24], b[24], c[24];

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-e") == 0)
			echo = 1;
		else if (strcmp(argv[i], "-q") == 0)
			quiet = 1;
		else if (i + 1 < argc && strcmp(argv[i], "-c") == 0)
			count = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "-s") == 0)
			size = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "-i") == 0)
			interval = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "-W") == 0)
			timeout = atoi(argv[++i]);
		else
			usage();
	}
	if (argc - i < 2 || argc - i > 3 || count < 1 || size < TAG ||
	    size > UDP_MAX_PAYLOAD || interval < 0 || timeout < 1)
		usage();
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)atoi(argv[i + 1]));
	if (!inet_aton(argv[i], &to.sin_addr)) {
		dprintf(2, "udpsend: %s: not an IPv4 address\n", argv[i]);
		return 2;
	}
	if (argc - i == 3) {
		text = argv[i + 2];
		len = (int)strlen(text);
		if (len > UDP_MAX_PAYLOAD)
			usage();
		memcpy(buf, text, len);
	} else {
		len = size;
		for (i = TAG; i < len; i++)
			buf[i] = (uint8_t)('a' + i % 26);
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		dprintf(2, "udpsend: socket: %s\n", strerror(errno));
		return 1;
	}
	start = uptime_us();
	for (seq = 1; seq <= (uint32_t)count; seq++) {
		sent_at = uptime_us();
		if (!text) {
			buf[0] = seq >> 24;
			buf[1] = seq >> 16;
			buf[2] = seq >> 8;
			buf[3] = seq;
			memcpy(buf + 4, &sent_at, 8);
		}
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			if (errors++ == 0 || !quiet)
				printf("udpsend: sendto: %s\n", strerror(errno));
		} else if (echo) {
			rtt = await_echo(fd, seq, text, buf, len, sent_at,
			    (uint64_t)timeout * 1000, quiet);
			if (rtt) {
				received++;
				sum += rtt;
				if (received == 1 || rtt < min)
					min = rtt;
				if (rtt > max)
					max = rtt;
			} else if (!quiet) {
				printf("seq=%u: no echo within %d ms\n", seq, timeout);
			}
		}
		if (interval && seq < (uint32_t)count &&
		    (elapsed = uptime_us() - sent_at) < (uint64_t)interval * 1000)
			msleep((unsigned)(interval - elapsed / 1000));
	}
	elapsed = uptime_us() - start;
	if (!elapsed)
		elapsed = 1;
	if (echo) {
		printf("udp: %d sent, %d received, %d%% loss, time %ums\n", count, received,
		    (count - received) * 100 / count, (unsigned)(elapsed / 1000));
		if (received && !text)
			printf("rtt min/avg/max = %s/%s/%s ms\n", ms_text(min, a),
			    ms_text(sum / received, b), ms_text(max, c));
		return received ? 0 : 1;
	}
	printf("udpsend: %d datagrams of %d bytes in %ums, %u pkt/s, %u kbit/s, %d errors\n",
	    count - errors, len, (unsigned)(elapsed / 1000),
	    (unsigned)((uint64_t)(count - errors) * 1000000 / elapsed),
	    (unsigned)((uint64_t)(count - errors) * len * 8 * 1000 / elapsed), errors);
	return errors ? 1 : 0;
}
