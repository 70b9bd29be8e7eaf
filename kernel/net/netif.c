/*
 * The network interface: takes the device a driver registers, brings the
 * stack up at boot (buffers, addresses from the command line), keeps the
 * protocol counters, and runs the stack's periodic work from the timer
 * interrupt.
 *
 * Addresses: node=N (default 0) gives 10.0.0.(N+1)/24; ip=A.B.C.D[/len],
 * netmask=A.B.C.D and gateway=A.B.C.D override it; arp_ttl=SECONDS sets
 * how long an ARP answer is trusted (default 60).
 */
#include "kernel.h"
#include "cmdline.h"
#include "sched.h"
#include "net.h"
#include "udp.h"
#include "socket.h"

#define DEFAULT_NET	0x0A000000u	/* 10.0.0.0, host order */
#define DEFAULT_PREFIX	24
#define ARP_TTL_DEFAULT	60		/* seconds */
#define TICKS_PER_ARP_TIMER (TIMER_HZ / 10)

struct net_stats netstat;
struct net_config netcfg;

/* Non-zero while the stack runs from an interrupt (a received frame, the
 * timer): nothing may sleep then, so a full transmit ring drops. */
static int interrupt_depth;

int
net_may_sleep(void)
{
	return interrupt_depth == 0;
}

/* "10.0.0.5" to a network-order address; -1 if it is not dotted quad. */
static int
parse_ip(const char *s, uint32_t *out, const char **end)
{
	uint32_t v = 0, part;
	int i, digits;

	for (i = 0; i < 4; i++) {
		for (part = 0, digits = 0; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
			part = part * 10 + (*s - '0');
		if (digits == 0 || part > 255)
			return -1;
		v = v << 8 | part;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	*out = htonl(v);
	if (end)
		*end = s;
	return 0;
}

static uint32_t
prefix_to_mask(int len)
{
	return htonl(len <= 0 ? 0 : len >= 32 ? 0xFFFFFFFFu : ~((1u << (32 - len)) - 1));
}

/* Node n's host number: n + 1, as .0 names the network itself. */
static uint32_t
node_host(int node)
{
	return (uint32_t)node + 1;
}

uint32_t
node_ip(int node)
{
	return (netcfg.ip & netcfg.netmask) | (htonl(node_host(node)) & ~netcfg.netmask);
}

static void
configure(void)
{
	char buf[40];
	const char *end;
	uint32_t addr;
	int len;

	netcfg.node = cmdline_get_int("node", 0);
	netcfg.netmask = prefix_to_mask(DEFAULT_PREFIX);
	if (netcfg.node >= 0 && netcfg.node <= 253)
		netcfg.ip = htonl(DEFAULT_NET | node_host(netcfg.node));
	else
		kprintf("brinch: net: node=%d has no default address; give ip=\n",
		    netcfg.node);
	if (cmdline_get("ip", buf, sizeof(buf))) {
		if (parse_ip(buf, &addr, &end) < 0 || (*end && *end != '/'))
			kprintf("brinch: net: ignoring malformed ip=%s\n", buf);
		else {
			netcfg.ip = addr;
			if (*end == '/') {
				for (len = 0, end++; *end >= '0' && *end <= '9' && len <= 32; end++)
					len = len * 10 + (*end - '0');
				if (len > 0 && len <= 32 && !*end)
					netcfg.netmask = prefix_to_mask(len);
			}
		}
	}
	if (cmdline_get("netmask", buf, sizeof(buf)) && parse_ip(buf, &addr, &end) == 0)
		netcfg.netmask = addr;
	if (cmdline_get("gateway", buf, sizeof(buf)) && parse_ip(buf, &addr, &end) == 0)
		netcfg.gateway = addr;
	netcfg.arp_ttl_ticks = (uint32_t)MAX(cmdline_get_int("arp_ttl", ARP_TTL_DEFAULT), 1) *
	    TIMER_HZ;
}

/* What the driver calls for each frame: the stack's single way in. */
static void
net_receive(struct netdev *dev, const uint8_t *frame, uint32_t len)
{
	interrupt_depth++;
	ether_input(dev, frame, len);
	interrupt_depth--;
}

int
netdev_register(struct netdev *dev)
{
	if (netcfg.dev) {
		kprintf("brinch: net: %s: one network device only, ignored\n",
		    dev->driver);
		return -EBUSY;
	}
	netcfg.dev = dev;
	return 0;
}

void
net_init(void)
{
	uint32_t ip;

	socket_init();
	if (!netcfg.dev) {
		kprintf("brinch: net: no network device\n");
		return;
	}
	pkbuf_init();
	arp_init();
	configure();
	netcfg.dev->receive = net_receive;
	ip = ntohl(netcfg.ip);
	kprintf("brinch: net: node %d, ip %u.%u.%u.%u/%d\n", netcfg.node,
	    ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255,
	    32 - __builtin_popcount(~netcfg.netmask));
	if (netcfg.ip)
		arp_announce();
}

/* The message layer above (kmsg.c) retransmits from the tick; calling
 * it from here, inside interrupt_depth, keeps its sends from sleeping. */
static void (*tick_hook)(void);

void
net_tick_hook(void (*fn)(void))
{
	tick_hook = fn;
}

/* Run fn(arg) as interrupt work: nothing it sends sleeps, a full
 * transmit ring drops instead.  For kmsg.c, whose callers may be in the
 * middle of changing a mailbox when they send. */
void
net_atomic(void (*fn)(void *), void *arg)
{
	interrupt_depth++;
	fn(arg);
	interrupt_depth--;
}

void
net_timer(void)
{
	static uint32_t count;

	if (!netcfg.dev)
		return;
	interrupt_depth++;
	if (tick_hook)
		tick_hook();
	tcp_timer();
	if (++count % TICKS_PER_ARP_TIMER == 0) {
		arp_timer();
		ip_reasm_timer();
	}
	interrupt_depth--;
}

int
ip_is_mine(uint32_t ip)
{
	return (ip == netcfg.ip && ip != 0) || (ntohl(ip) >> 24) == 127;
}

int
ip_is_broadcast(uint32_t ip)
{
	return ip == INADDR_BROADCAST ||
	    (netcfg.netmask != 0xFFFFFFFFu && ip == (netcfg.ip | ~netcfg.netmask));
}

void
net_info_fill(struct net_info *out)
{
	struct netdev *d = netcfg.dev;

	memset(out, 0, sizeof(*out));
	out->node = netcfg.node;
	out->ip = netcfg.ip;
	out->netmask = netcfg.netmask;
	out->gateway = netcfg.gateway;
	if (!d)
		return;
	out->present = 1;
	out->link_up = d->link_up;
	memcpy(out->mac, d->mac, ETH_ALEN);
	out->mtu = d->mtu;
	strlcpy(out->driver, d->driver, sizeof(out->driver));
	out->pci_location = d->pci_location;
	out->irq = d->irq;
	out->io_base = d->io_base;
	out->features = d->features;
	out->rx_ring = d->rx_ring;
	out->tx_ring = d->tx_ring;
	out->rx_packets = d->stats.rx_packets;
	out->rx_bytes = d->stats.rx_bytes;
	out->tx_packets = d->stats.tx_packets;
	out->tx_bytes = d->stats.tx_bytes;
	out->rx_dropped = d->stats.rx_dropped;
	out->tx_dropped = d->stats.tx_dropped;
	out->rx_errors = d->stats.rx_errors;
	out->tx_errors = d->stats.tx_errors;
	out->interrupts = d->stats.interrupts;
	out->tx_waits = d->stats.tx_waits;
}

int
net_counters_fill(struct net_counter *out, int max)
{
	int n = 0;

#define NET_COUNTER_ROW(field) \
	if (n < max) { \
		strlcpy(out[n].name, #field, NET_COUNTER_NAME_LEN); \
		out[n].value = netstat.field; \
		n++; \
	}
	NET_COUNTERS(NET_COUNTER_ROW)
#undef NET_COUNTER_ROW
	return n;
}
