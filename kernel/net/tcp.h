/*
 * Inside brinch's TCP (RFC 9293, a subset; docs/network.md "TCP"): the
 * connection block and what tcp.c (table, timers), tcp_input.c (segment
 * arrival), tcp_output.c (segments out, retransmission) and tcp_user.c
 * (the socket calls) share.  socket.c reaches TCP only through the
 * tcp_user.c half declared at the end.
 */
#ifndef NET_TCP_H
#define NET_TCP_H

#include <stdint.h>
#include "list.h"
#include "waitq.h"
#include "brinch/net.h"
#include "tcp_wire.h"

/* The states (TCP_CLOSED ... TCP_TIME_WAIT) are in brinch/net.h: `net
 * sockets` shows them. */

#define TCP_MAX_CONNS	48	/* connection blocks: listeners, TIME_WAIT, all */
#define TCP_BACKLOG_MAX	8	/* per listener: half-open plus not yet accepted */
#define TCP_BUF_SIZE	8192	/* send and receive queue, each (power of two) */
#define TCP_MSS_OURS	1460	/* 1500 - 20 (IP) - 20 (TCP) */
#define TCP_MSS_DEFAULT	536	/* when the peer sends no MSS (RFC 9293 3.7.1) */
#define TCP_MSS_MIN	64	/* a smaller peer MSS is raised to this */

/* Timers, in ticks of the 100 Hz clock. */
#define TCP_RTO_INITIAL	100	/* 1 s before the first RTT sample (RFC 6298) */
#define TCP_RTO_MIN	20	/* 200 ms: what Linux uses on a LAN */
#define TCP_RTO_MAX	6000	/* 60 s */
#define TCP_SYN_RETRIES	5	/* SYN: 1+2+4+8+16+32 s, then ETIMEDOUT */
#define TCP_SYNACK_RETRIES 3	/* a half-open child gives up after 15 s */
#define TCP_DATA_RETRIES 8	/* data and FIN */
#define TCP_TIME_WAIT_TICKS 200	/* 2 s: 2 MSL with a LAN's MSL of 1 s */
#define TCP_FIN_WAIT_2_TICKS 1000 /* a closed socket waits 10 s for the peer's FIN */

struct tcb {
	int		 in_use;
	int		 state;
	uint32_t	 local_ip, remote_ip;	/* network order; local 0 = any */
	uint16_t	 local_port, remote_port;
	int		 bound;			/* local_port chosen */

	/* Send sequence space (RFC 9293 3.3.1).  snd_max is the highest
	 * sequence sent: after a timeout snd_nxt goes back to snd_una
	 * while ACKs up to snd_max stay acceptable. */
	uint32_t	 iss, snd_una, snd_nxt, snd_max;
	uint32_t	 snd_wnd, snd_wl1, snd_wl2;
	uint16_t	 snd_mss;
	struct tcp_ring	 sndq;		/* data from snd_una on */
	int		 fin_wanted;	/* closed for writing: FIN after the data */
	int		 fin_acked;

	/* Receive sequence space. */
	uint32_t	 irs, rcv_nxt;
	uint32_t	 rcv_adv;	/* right edge of the window last advertised */
	struct tcp_ring	 rcvq;		/* in-order data the user has not read */
	int		 fin_received;	/* recv gives 0 once rcvq is empty */
	int		 rd_shut;

	/* Retransmission (RFC 6298): one timer, for whatever is oldest
	 * unacknowledged, or the zero-window probe. */
	uint32_t	 rexmit_at;	/* tick; 0 = off */
	uint32_t	 rto, retries;
	int32_t		 srtt, rttvar;	/* ticks x 8, x 4; srtt 0 = no sample yet */
	uint32_t	 rtt_seq, rtt_start;
	int		 rtt_timing;
	uint32_t	 linger_at;	/* TIME_WAIT's end, or an orphan's FIN_WAIT_2 limit */

	/* Passive open: a listener's children, and a child's listener. */
	struct tcb	*listener;	/* set until accept() takes the child */
	struct list_node accept_node;
	struct list	 accept_q;	/* established children, oldest first */
	int		 backlog, children;	/* children: half-open + queued */

	int		 error;		/* -ECONNREFUSED etc., for the user */
	int		 error_seen;	/* ...reported once */
	int		 was_connected;
	int		 orphan;	/* the socket is closed: free on CLOSED */
	int		 in_output, output_again;	/* loopback re-entry */
	int		 ack_now;
	int		 route_error;	/* the last send found no route */

	uint32_t	 segs_in, segs_out, retransmits;
	struct wait_queue wait;		/* everything the user waits for */
	char		 wait_name[16];
};

extern struct tcb tcbs[TCP_MAX_CONNS];

/* tcp.c */
struct tcb *tcb_alloc(int with_buffers);
void	tcb_free(struct tcb *t);
void	tcb_free_buffers(struct tcb *t);	/* one that sends and receives no more */
void	tcb_set_state(struct tcb *t, int state);
void	tcb_wake(struct tcb *t);
/* The connection for a segment: the exact four-tuple, else a listener. */
struct tcb *tcb_lookup(uint32_t lip, uint16_t lport, uint32_t rip, uint16_t rport);
uint32_t tcp_new_iss(void);
/* The connection failed (reset, timed out) or is done: CLOSED, the user
 * told `err` (0: nothing to tell), and freed if nobody holds it. */
void	tcb_drop(struct tcb *t, int err);
/* A child leaves its listener (accepted, or dropped). */
void	tcb_unlink_child(struct tcb *t);
void	tcp_enter_time_wait(struct tcb *t);
const char *tcp_state_name(int state);

/* tcp_output.c */
uint16_t tcp_checksum(uint32_t src, uint32_t dst, const uint8_t *seg, uint32_t len);
/* Send what the window allows (SYN, data, FIN) and any ACK owed. */
void	tcp_output(struct tcb *t);
void	tcp_send_ack(struct tcb *t);
void	tcp_send_rst(struct tcb *t);	/* abort: RST at snd_nxt */
/* RST answering segment s from src to dst (no connection, or a bad ACK). */
void	tcp_reply_rst(uint32_t src, uint32_t dst, const struct tcp_seg *s);
void	tcp_rexmit_timeout(struct tcb *t);
void	tcp_arm_timer(struct tcb *t);
void	tcp_rtt_sample(struct tcb *t, uint32_t ticks_taken);
void	tcp_rto_restore(struct tcb *t);
uint32_t tcp_rcv_window(const struct tcb *t);

/* ---- for socket.c and kernel/net/netif.c (tcp_user.c, tcp.c) ---- */
struct wait_limit;
struct tcb *tcp_open(int *err);
int	tcp_bind(struct tcb *t, uint32_t ip, uint16_t port);
int	tcp_listen(struct tcb *t, int backlog);
int	tcp_connect(struct tcb *t, uint32_t ip, uint16_t port, struct wait_limit *w);
struct tcb *tcp_accept(struct tcb *t, struct wait_limit *w, int *err);
int	tcp_send(struct tcb *t, uint32_t ubuf, uint32_t len, struct wait_limit *w);
int	tcp_recv(struct tcb *t, uint32_t ubuf, uint32_t len, struct wait_limit *w);
int	tcp_shutdown(struct tcb *t, int how);
void	tcp_close(struct tcb *t);
int	tcp_poll(struct tcb *t);	/* POLLIN, POLLOUT, ... */
struct sock_info;
/* Connections no socket holds any more (closing, TIME_WAIT) as rows. */
int	tcp_list_orphans(struct sock_info *out, int max);
void	tcp_fill_info(const struct tcb *t, struct sock_info *out);

#endif
