/*
 * The kernel command line from the boot loader: space-separated words,
 * `key=value` or bare flags.  Later stages read node=, ip=, sched= here.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#define CMDLINE_MAX	256

void	cmdline_init(const char *text);	/* copies text */
const char *cmdline_text(void);
/* Value of key ("node" for "node=3"), "" for a bare flag, NULL if absent. */
const char *cmdline_get(const char *key, char *buf, int bufsize);
int	cmdline_get_int(const char *key, int fallback);

#endif
