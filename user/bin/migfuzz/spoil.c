/*
 * migfuzz's ways of making a message wrong: generic mutations of any
 * message, and per-op spoilers that break one rule the target checks.
 * They change msg in place, after a builder in wire.c filled it.
 */
#include <string.h>
#include "migfuzz.h"

/* Values that sit on the edge of some check. */
static const uint32_t edges[] = {
	0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF,
	0x80000000u, 0xFFFFFFFEu, 0xFFFFFFFFu, USER_MIN - 1, USER_MIN,
	USER_TOP - PAGE_SIZE, USER_TOP - 1, USER_TOP, UHEAP_MAX, UHEAP_MAX + 1,
	KERNBASE + 0x100000, MIG_BATCH, MIG_BATCH + 1, MIG_MAX_PAGES,
	MIG_MAX_PAGES + 1, 0x40000001u, NSIG, NOFILE, DIST_NODE_MAX,
	DIST_NODE_MAX + 1, 32767, 32768, MIG_CONSOLE_MAX, MIG_CONSOLE_MAX + 1,
	PAGE_SIZE, USER_CS, USER_DS, KERNEL_CS, KERNEL_DS, 0x3202, 0x20202,
};
#define NEDGES		(sizeof(edges) / sizeof(edges[0]))

/* Mostly the header and the fixed fields, which the checks read. */
static uint32_t
some_offset(void)
{
	uint32_t lim[] = { 16, 64, HDR + sizeof(struct mig_state) + 64, msg_len };
	uint32_t n = lim[below(4)];

	return below(n < msg_len ? n : msg_len);
}

/* One generic mutation, of any message. */
void
mutate(void)
{
	uint32_t i, n, off, extra;
	static const uint8_t bytes[] = { 0, 1, 0x7F, 0x80, 0xFE, 0xFF };
	static const uint8_t versions[] = { 0, MIG_VERSION + 1, 0xFF };

	switch (below(11)) {
	case 0:
	case 1:
		n = 1 + below(8);
		for (i = 0; i < n && msg_len > 0; i++)
			msg[some_offset()] ^= (uint8_t)(1u << below(8));
		what = "bits flipped";
		break;
	case 2:
	case 3:
		if (msg_len >= 4) {
			off = some_offset() & ~3u;
			put32(off + 4 <= msg_len ? off : msg_len - 4, edges[below(NEDGES)]);
		}
		what = "a word set to an edge value";
		break;
	case 4:
		if (msg_len > 0)
			msg[some_offset()] = bytes[below(sizeof(bytes))];
		what = "a byte set to an edge value";
		break;
	case 5:
		n = below(3);
		msg_len = n == 0 ? (msg_len > 4 ? msg_len - 1 - below(4) : 0) :
		    n == 1 ? below(HDR + 1) : below(msg_len);
		what = "cut short";
		break;
	case 6:
		n = below(8);
		extra = n == 0 ? INJECT_MAX + 1 + below(8) : msg_len + 1 + below(n < 4 ? 4 : 64);
		if (extra > sizeof(msg))
			extra = sizeof(msg);
		for (; msg_len < extra; msg_len++)
			msg[msg_len] = (uint8_t)rnd();
		what = n == 0 ? "lengthened past the limit" : "lengthened";
		break;
	case 7:
		if (msg_len > 0)
			msg[0] = below(4) ? (uint8_t)below(MIG_OP_MAX + 2) : 0xFF;
		what = "another op";
		break;
	case 8:
		if (msg_len > 1)
			msg[1] = versions[below(sizeof(versions))];
		what = "another version";
		break;
	case 9:
		if (msg_len >= HDR)
			put32(2, (get32(2) & 0xFFFF0000u) | 0xFFFF);	/* flags: ignored */
		what = "flags set";
		break;
	default:
		n = below(4);
		if (msg_len >= HDR)
			put32(4, n == 0 ? 0 : n == 1 ? get32(4) ^ (1u << below(32)) :
			    n == 2 && nopen ? open_ids[below(nopen)] : rnd());
		what = "another id";
		break;
	}
}

/* One thing wrong with the OFFER in msg (some are fine: the check
 * must let those through). */
void
spoil_offer(void)
{
	struct mig_offer *o = (struct mig_offer *)(msg + HDR);

	switch (below(14)) {
	case 0: o->how = MIG_LAZY + 1; what = "OFFER how 3"; break;
	case 1: o->how = MIG_LAZY; what = "OFFER lazy"; break;
	case 2: o->npages = MIG_MAX_PAGES + 1; what = "OFFER npages 4097"; break;
	case 3: o->npages = 0xFFFFFFFFu; what = "OFFER npages -1"; break;
	case 4: o->npages = MIG_MAX_PAGES; what = "OFFER npages 4096"; break;
	case 5: memset(o->name, 'a', sizeof(o->name)); what = "OFFER name unterminated"; break;
	case 6: o->name[1] = '\033'; what = "OFFER name escape"; break;
	case 7: o->who.home = -1; what = "OFFER home -1"; break;
	case 8: o->who.home = DIST_NODE_MAX + 1; what = "OFFER home 254"; break;
	case 9: o->who.pid = 0; what = "OFFER pid 0"; break;
	case 10: o->who.pid = 32768; what = "OFFER pid 32768"; break;
	case 11: o->who.home = this_node; what = "OFFER coming home, no deputy"; break;
	case 12: msg_len++; what = "OFFER + 1 byte"; break;
	default: msg_len--; what = "OFFER - 1 byte"; break;
	}
}

/* One thing wrong with the PAGES batch in msg (n pages). */
void
spoil_pages(void)
{
	uint32_t n = get32(HDR), k = below(n);

	switch (below(12)) {
	case 0: put32(HDR, 0); what = "PAGES count 0"; break;
	case 1: put32(HDR, n + 1); what = "PAGES count + 1"; break;
	case 2: put32(HDR, MIG_BATCH + 1); what = "PAGES count 16"; break;
	case 3: put32(HDR, 0xFFFFFFFFu); what = "PAGES count -1"; break;
	case 4: put32(HDR + 4 + 4 * k, 0); what = "PAGES page 0"; break;
	case 5: put32(HDR + 4 + 4 * k, KERNBASE | MIG_PAGE_W); what = "PAGES kernel page"; break;
	case 6: put32(HDR + 4 + 4 * k, get32(HDR + 4 + 4 * k) | 0x4); what = "PAGES flag 4"; break;
	case 7: put32(HDR + 4 + 4 * k, get32(HDR + 4 + 4 * k) + 0x10); what = "PAGES unaligned"; break;
	case 8:
		if (n > 1)
			put32(HDR + 4 + 4 * k, get32(HDR + 4 + 4 * ((k + 1) % n)) ^ MIG_PAGE_W);
		what = "PAGES one page twice";
		break;
	case 9: msg_len -= 1 + below(PAGE_SIZE); what = "PAGES data cut"; break;
	case 10: msg_len += 4; what = "PAGES + 4 bytes"; break;
	default: put32(HDR + 4 + 4 * k, 0x10000000u | MIG_PAGE_W); what = "PAGES a page not listed"; break;
	}
}

/*
 * One thing wrong with the STATE in msg: each of mig_check_state's
 * rules broken, and wrong in ways only the target can tell (the
 * process named is not the one offered, the file is not the one here).
 * Some are fine, and the image must then be built.
 */
void
spoil_state(void)
{
	struct mig_state *s = (struct mig_state *)(msg + HDR);
	uint32_t n = s->npages, *va = (uint32_t *)(msg + HDR + sizeof(*s));
	uint32_t i, k;

	switch (below(64)) {
	case 0: s->regs.cs = KERNEL_CS; what = "STATE cs kernel"; break;
	case 1: s->regs.cs = USER_CS | 0x10000; what = "STATE cs upper half"; break;
	case 2: s->regs.ss = KERNEL_DS; what = "STATE ss kernel"; break;
	case 3: s->regs.ds = 0; what = "STATE ds null"; break;
	case 4: s->regs.fs = 0; what = "STATE fs null (fine)"; break;
	case 5: s->regs.gs = TSS_SEL; what = "STATE gs tss"; break;
	case 6: s->regs.eflags &= ~MIG_EFLAGS_IF; what = "STATE IF clear"; break;
	case 7: s->regs.eflags |= 0x3000; what = "STATE IOPL 3"; break;
	case 8: s->regs.eflags |= 0x4000; what = "STATE NT"; break;
	case 9: s->regs.eflags |= 0x20000; what = "STATE VM"; break;
	case 10: s->regs.eflags |= 0x100; what = "STATE TF"; break;
	case 11: s->regs.eflags |= 0x10000; what = "STATE RF"; break;
	case 12: s->regs.eflags |= 0x240000; what = "STATE AC ID (fine)"; break;
	case 13: s->regs.eip = KERNBASE; what = "STATE eip kernel"; break;
	case 14: s->regs.eip = 0; what = "STATE eip 0"; break;
	case 15: s->regs.esp = USER_TOP + 4; what = "STATE esp kernel"; break;
	case 16: s->regs.esp = USER_TOP; what = "STATE esp top (fine)"; break;
	case 17: s->sig_pending |= 1; what = "STATE signal 0 pending"; break;
	case 18: s->sig_blocked |= sigmask(SIGKILL); what = "STATE SIGKILL blocked"; break;
	case 19: s->sig_actions[SIGTERM].sa_handler = KERNBASE + 0x1000; what = "STATE handler kernel"; break;
	case 20: s->sig_actions[SIGINT].sa_restorer = 0xFFF; what = "STATE restorer low"; break;
	case 21: s->sig_actions[SIGINT].sa_flags = 1; what = "STATE sa_flags"; break;
	case 22: s->sig_actions[SIGINT].sa_mask |= 1; what = "STATE sa_mask bit 0"; break;
	case 23: s->alarm_ms = 1000000001u; what = "STATE alarm too far"; break;
	case 24: s->who.pid++; what = "STATE not the process offered"; break;
	case 25: s->who.home = -1; what = "STATE home -1"; break;
	case 26: s->ppid = -1; what = "STATE ppid -1"; break;
	case 27: memset(s->name, 'x', sizeof(s->name)); what = "STATE name unterminated"; break;
	case 28: s->name[0] = (char)0x80; what = "STATE name 0x80"; break;
	case 29: s->nice = 20; what = "STATE nice 20"; break;
	case 30: s->level = -1; what = "STATE level -1"; break;
	case 31: s->image_end = s->brk + 1; what = "STATE image_end past brk"; break;
	case 32: s->brk = UHEAP_MAX + 1; what = "STATE brk in the stack guard"; break;
	case 33: s->fds[7].kind = 9; what = "STATE fd kind 9"; break;
	case 34: s->fds[9].offset = 1; what = "STATE unused fd not zero"; break;
	case 35: s->fds[1].readable = 2; what = "STATE fd readable 2"; break;
	case 36: s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 5; what = "STATE dup of itself"; break;
	case 37: s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 9; what = "STATE dup of a later fd"; break;
	case 38: s->fds[5].kind = MIG_FD_DUP; s->fds[5].ref = 4; what = "STATE dup of a dup"; break;
	case 39: s->fds[6].kind = MIG_FD_DUP; s->fds[6].ref = 8; what = "STATE dup of nothing"; break;
	case 40: s->fds[3].checksum ^= 1; what = "STATE file not the same"; break;
	case 41: s->fds[3].size++; what = "STATE file size"; break;
	case 42: strlcpy(s->fds[3].path, "/etc/none", MIG_PATH_MAX); what = "STATE file missing"; break;
	case 43: strlcpy(s->fds[3].path, "/bin", MIG_PATH_MAX); what = "STATE file a directory"; break;
	case 44: s->fds[3].path[0] = 'e'; what = "STATE file path relative"; break;
	case 45: s->fds[3].offset = s->fds[3].size + 1; what = "STATE file offset past end"; break;
	case 46: memset(s->fds[3].path, '/', MIG_PATH_MAX); what = "STATE file path unterminated"; break;
	case 47: s->fds[3].offset = s->fds[3].size; what = "STATE file at its end (fine)"; break;
	case 48: s->npages = n + 1; what = "STATE npages + 1"; break;
	case 49: s->npages = MIG_MAX_PAGES + 1; what = "STATE npages 4097"; break;
	case 50: s->npages = 0x40000001u; what = "STATE npages wrapping"; break;
	case 51: msg_len -= 4; what = "STATE list cut"; break;
	case 52:
		if (n > 1) {
			i = va[0];
			va[0] = va[1];
			va[1] = i;
		}
		what = "STATE list unsorted";
		break;
	case 53:
		if (n > 1)
			va[1] = va[0] ^ MIG_PAGE_W;
		what = "STATE a page twice";
		break;
	case 54: va[0] |= 0x800; what = "STATE page flag"; break;
	case 55: va[n - 1] = USER_TOP | MIG_PAGE_W; what = "STATE kernel page"; break;
	case 56:
		/* More pages listed than sent, between the text and the
		 * stack: they arrive as zero (fine). */
		for (i = n; i > 0 && va[i - 1] >= 0x10000000u; i--)
			va[i - 1 + IMG_PAGES - n] = va[i - 1];
		for (k = 0; k < IMG_PAGES - n; k++)
			va[i + k] = (0x10000000u + k * PAGE_SIZE) | MIG_PAGE_W;
		s->npages = IMG_PAGES;
		msg_len = HDR + sizeof(*s) + IMG_PAGES * 4;
		what = "STATE more pages than sent (fine)";
		break;
	case 57:
		/* Fewer: what was sent and not listed goes (fine). */
		s->npages = n / 2;
		msg_len = HDR + sizeof(*s) + s->npages * 4;
		what = "STATE fewer pages than sent (fine)";
		break;
	case 58:
		/* The largest image there is, all but a few pages zero. */
		state_list_largest();
		what = "STATE 4096 pages (fine)";
		break;
	case 59: memset(s->fds, 0, sizeof(s->fds)); what = "STATE no files (fine)"; break;
	case 60: s->sig_actions[SIGINT].sa_handler = USER_TOP; what = "STATE handler at the top"; break;
	case 61: s->regs.eflags = 0xFFFFFFFFu; what = "STATE eflags all set"; break;
	case 62: s->who.home = this_node; what = "STATE coming home, not offered so"; break;
	default: s->alarm_ms = 1000000000u; what = "STATE alarm at the limit (fine)"; break;
	}
}
