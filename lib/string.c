/*
 * Freestanding string and memory routines (see lib/string.h).  Built
 * twice: into the kernel and into the user C library; the host unit tests
 * build it a third time under brinch_* names.
 */
#include "lib/string.h"

/*
 * GCC may recognise a byte loop as "this is memset/memmove" and replace
 * it with a call to that very function, which would recurse forever when
 * the loop is the implementation.  Turn that transformation off here.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

/* memset moves aligned words where it can: a quarter of the loop's
 * iterations (the kernel clears a struct proc with it).  may_alias: the
 * words alias whatever type the caller's bytes have. */
typedef unsigned int __attribute__((may_alias)) word_t;
#define WORD		sizeof(word_t)
#define ALIGNED(p)	(((size_t)(p) & (WORD - 1)) == 0)

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = (unsigned char)c * 0x01010101u;

	for (; n > 0 && !ALIGNED(d); n--)
		*d++ = (unsigned char)c;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = w;
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

/*
 * memcpy is the CPU's own string move: words, then the odd bytes.  The
 * loops cost a 4-byte message ~50 instructions of alignment tests (five
 * copies in each mailbox round trip); this is ~20 whatever the
 * alignment, and a page is 1,024 word moves.  Both the kernel (trapentry
 * clears DF) and the C ABI run with the direction flag clear.
 */
void *
memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	const void *s = src;
	size_t words = n / WORD, bytes = n % WORD;

	__asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(bytes) : : "memory");
	return dst;
}

/* Copies correctly even when the regions overlap: pick the direction
 * that never reads a byte after it has been overwritten. */
void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n-- > 0)
			*d++ = *s++;
	} else if (d > s) {
		d += n;
		s += n;
		while (n-- > 0)
			*--d = *--s;
	}
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;

	for (; n > 0; n--, pa++, pb++)
		if (*pa != *pb)
			return *pa - *pb;
	return 0;
}

size_t
strlen(const char *s)
{
	const char *end = s;

	while (*end != '\0')
		end++;
	return end - s;
}

/* Never looks past s[max - 1]: safe on buffers that may lack a NUL. */
size_t
strnlen(const char *s, size_t max)
{
	size_t len = 0;

	while (len < max && s[len] != '\0')
		len++;
	return len;
}

/* Compare as unsigned char, as C requires, so "\x80" sorts after "a". */
int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			break;
	}
	return 0;
}

char *
strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

/* C semantics, warts included: pads with NULs up to n and does not
 * terminate when src is n bytes or longer.  Prefer strlcpy. */
char *
strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

/* Copies at most size - 1 bytes and always terminates (if size > 0).
 * Returns strlen(src) so callers can detect truncation (result >= size). */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* c == '\0' finds the terminator, as C specifies. */
char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

char *
strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}
