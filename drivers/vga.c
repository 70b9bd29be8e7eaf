/*
 * VGA text-mode console (see vga.h): light grey on black, scrolls at the
 * bottom, moves the hardware cursor through the CRT controller.
 */
#include "kernel.h"
#include "mm/mmu.h"
#include "x86.h"
#include "vga.h"

#define COLS		80
#define ROWS		25
#define ATTR		(0x07 << 8)	/* grey on black */
#define CRTC_INDEX	0x3D4
#define CRTC_DATA	0x3D5

static uint16_t *screen;
static int cursor;			/* row * COLS + column */

static void
move_cursor(void)
{
	outb(CRTC_INDEX, 14);
	outb(CRTC_DATA, cursor >> 8);
	outb(CRTC_INDEX, 15);
	outb(CRTC_DATA, cursor & 0xFF);
}

void
vga_init(void)
{
	int i;

	screen = P2V(0xB8000);
	for (i = 0; i < COLS * ROWS; i++)
		screen[i] = ATTR | ' ';
	cursor = 0;
	move_cursor();
}

void
vga_putc(char c)
{
	int i;

	if (!screen)
		return;
	if (c == '\n')
		cursor += COLS - cursor % COLS;
	else if (c == '\r')
		cursor -= cursor % COLS;
	else if (c == '\b') {
		if (cursor % COLS)
			screen[--cursor] = ATTR | ' ';
	} else if (c == '\t')
		cursor = (cursor + 8) & ~7;
	else
		screen[cursor++] = ATTR | (uint8_t)c;
	if (cursor >= COLS * ROWS) {
		memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(*screen));
		for (i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
			screen[i] = ATTR | ' ';
		cursor -= COLS;
	}
	move_cursor();
}
