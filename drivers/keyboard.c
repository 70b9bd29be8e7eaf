/*
 * PS/2 keyboard driver (see keyboard.h).  Scan code set 1, US layout;
 * tracks shift and ctrl so that Ctrl-C and Ctrl-D reach the console.
 */
#include "kernel.h"
#include "x86.h"
#include "trap.h"
#include "console.h"
#include "keyboard.h"

#define KBD_DATA	0x60
#define KBD_STATUS	0x64
#define KBD_HAS_DATA	0x01
#define SC_RELEASE	0x80
#define SC_LSHIFT	0x2A
#define SC_RSHIFT	0x36
#define SC_CTRL		0x1D
#define SC_EXTENDED	0xE0

static const char normal_map[128] =
	"\0\x1b" "1234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shift_map[128] =
	"\0\x1b" "!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static int shift, ctrl;

static void
keyboard_interrupt(void)
{
	uint8_t sc;
	char c;

	while (inb(KBD_STATUS) & KBD_HAS_DATA) {
		sc = inb(KBD_DATA);
		if (sc == SC_EXTENDED)
			continue;
		if (sc == SC_LSHIFT || sc == SC_RSHIFT ||
		    sc == (SC_LSHIFT | SC_RELEASE) || sc == (SC_RSHIFT | SC_RELEASE)) {
			shift = !(sc & SC_RELEASE);
			continue;
		}
		if ((sc & ~SC_RELEASE) == SC_CTRL) {
			ctrl = !(sc & SC_RELEASE);
			continue;
		}
		if (sc & SC_RELEASE)
			continue;
		c = (shift ? shift_map : normal_map)[sc & 0x7F];
		if (!c)
			continue;
		if (ctrl && c >= 'a' && c <= 'z')
			c = c - 'a' + 1;	/* Ctrl-A = 1 ... Ctrl-Z = 26 */
		console_input(c);
	}
}

void
keyboard_init(void)
{
	while (inb(KBD_STATUS) & KBD_HAS_DATA)	/* drop stale bytes */
		inb(KBD_DATA);
	irq_register(IRQ_KEYBOARD, keyboard_interrupt);
}
