/*
 * Kernel command line (see cmdline.h).  Kept as one string; lookups scan
 * it word by word, which is plenty for a handful of options read at boot.
 */
#include "kernel.h"
#include "cmdline.h"

static char cmdline[CMDLINE_MAX];

/* Boot loaders put the kernel image's path first ("/boot/kernel.elf
 * node=1"); it is not an option, so drop a first word that looks like a
 * path (has a '/' and no '='). */
void
cmdline_init(const char *text)
{
	const char *p = text ? text : "", *end;
	int slash = 0, equals = 0;
	size_t n;

	while (*p == ' ')
		p++;
	for (end = p; *end && *end != ' '; end++) {
		slash |= *end == '/';
		equals |= *end == '=';
	}
	if (slash && !equals)
		p = end;
	while (*p == ' ')
		p++;
	strlcpy(cmdline, p, sizeof(cmdline));
	for (n = strlen(cmdline); n > 0 && cmdline[n - 1] == ' '; n--)
		cmdline[n - 1] = '\0';
}

const char *
cmdline_text(void)
{
	return cmdline;
}

const char *
cmdline_get(const char *key, char *buf, int bufsize)
{
	const char *p = cmdline, *word, *end;
	size_t keylen = strlen(key);
	int n;

	while (*p) {
		while (*p == ' ')
			p++;
		for (word = p; *p && *p != ' '; p++)
			;
		end = p;
		if ((size_t)(end - word) < keylen || strncmp(word, key, keylen) != 0)
			continue;
		if (word + keylen == end) {
			buf[0] = '\0';
			return buf;
		}
		if (word[keylen] != '=')
			continue;
		n = MIN((int)(end - word - keylen - 1), bufsize - 1);
		memcpy(buf, word + keylen + 1, n);
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

int
cmdline_get_int(const char *key, int fallback)
{
	char buf[16], *p;
	int v = 0, neg = 0;

	if (!(p = (char *)cmdline_get(key, buf, sizeof(buf))) || !*p)
		return fallback;
	if (*p == '-')
		neg = 1, p++;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return fallback;
		v = v * 10 + (*p - '0');
	}
	return neg ? -v : v;
}
