/*
 * Host unit tests for lib/string.c: each routine against glibc's on the
 * same inputs, plus the edge cases (overlap, truncation, NUL search).
 */
// uses: lib/string.c
#include <stdio.h>
#include <string.h>

/*
 * glibc's versions, captured before lib/string.h renames the standard
 * names to ours (brinch_*).  The sign of a comparison is what matters.
 */
static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static int
host_memcmp(const void *a, const void *b, size_t n)
{
	return sign(memcmp(a, b, n));
}

static int
host_strcmp(const char *a, const char *b)
{
	return sign(strcmp(a, b));
}

static int
host_strncmp(const char *a, const char *b, size_t n)
{
	return sign(strncmp(a, b, n));
}

#include "lib/string.h"
#include "tests/unit/unit.h"

static void
test_memset(void)
{
	unsigned char buf[16];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = 0xaa;
	CHECK(memset(buf + 2, 0x1234, 5) == buf + 2);	/* c is cut to a byte */
	CHECK_EQ_INT(buf[1], 0xaa);
	for (int i = 2; i < 7; i++)
		CHECK_EQ_INT(buf[i], 0x34);
	CHECK_EQ_INT(buf[7], 0xaa);
	memset(buf, 0, 0);
	CHECK_EQ_INT(buf[0], 0xaa);
}

static void
test_memcpy(void)
{
	char dst[16] = "xxxxxxxxxxxxxxx";

	CHECK(memcpy(dst, "hello", 5) == dst);
	CHECK_STR(dst, "helloxxxxxxxxxx");
	memcpy(dst, "zzz", 0);
	CHECK_EQ_INT(dst[0], 'h');
}

/* The word loops: every alignment of source and destination, and
 * lengths around the word size, against a byte-by-byte reference;
 * nothing outside the range may change. */
static void
test_mem_alignments(void)
{
	unsigned char src[64], dst[64], want[64];

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (size_t so = 0; so < 8; so++) {
		for (size_t dof = 0; dof < 8; dof++) {
			for (size_t n = 0; n < 40; n++) {
				for (size_t i = 0; i < sizeof(dst); i++)
					dst[i] = want[i] = 0xee;
				for (size_t i = 0; i < n; i++)
					want[dof + i] = src[so + i];
				CHECK(memcpy(dst + dof, src + so, n) == dst + dof);
				CHECK(host_memcmp(dst, want, sizeof(dst)) == 0);
				for (size_t i = 0; i < n; i++)
					want[dof + i] = 0x5a;
				CHECK(memset(dst + dof, 0x5a, n) == dst + dof);
				CHECK(host_memcmp(dst, want, sizeof(dst)) == 0);
			}
		}
	}
}

static void
test_memmove_overlap(void)
{
	char buf[16];

	strcpy(buf, "abcdefgh");
	CHECK(memmove(buf + 2, buf, 6) == buf + 2);	/* forward overlap */
	CHECK_STR(buf, "ababcdef");

	strcpy(buf, "abcdefgh");
	memmove(buf, buf + 2, 7);			/* backward overlap */
	CHECK_STR(buf, "cdefgh");

	strcpy(buf, "abc");
	memmove(buf, buf, 4);				/* same place */
	CHECK_STR(buf, "abc");
}

static void
test_memcmp(void)
{
	const char *pairs[][2] = {
		{ "abc", "abc" }, { "abc", "abd" }, { "abd", "abc" },
		{ "\x80", "\x01" }, { "\x01", "\x80" }, { "", "" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		size_t n = strlen(pairs[i][0]) + 1;

		CHECK_EQ_INT(sign(memcmp(pairs[i][0], pairs[i][1], n)),
		    host_memcmp(pairs[i][0], pairs[i][1], n));
	}
	CHECK_EQ_INT(memcmp("abc", "abd", 2), 0);
	CHECK_EQ_INT(memcmp("a", "b", 0), 0);
}

static void
test_strlen(void)
{
	char unterminated[4] = { 'a', 'b', 'c', 'd' };

	CHECK_EQ_INT(strlen(""), 0);
	CHECK_EQ_INT(strlen("brinch"), 6);
	CHECK_EQ_INT(strnlen("brinch", 3), 3);
	CHECK_EQ_INT(strnlen("brinch", 100), 6);
	CHECK_EQ_INT(strnlen("", 0), 0);
	/* ASan would catch a read past the end of this array. */
	CHECK_EQ_INT(strnlen(unterminated, sizeof(unterminated)), 4);
}

static void
test_strcmp(void)
{
	const char *words[] = { "", "a", "ab", "abc", "abd", "b", "B",
	    "\x80", "\xff", "a\x80" };
	size_t n = sizeof(words) / sizeof(words[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			const char *a = words[i], *b = words[j];

			CHECK_EQ_INT(sign(strcmp(a, b)), host_strcmp(a, b));
			for (size_t k = 0; k < 4; k++)
				CHECK_EQ_INT(sign(strncmp(a, b, k)),
				    host_strncmp(a, b, k));
		}
	}
	CHECK_EQ_INT(strncmp("abcX", "abcY", 3), 0);
	CHECK_EQ_INT(strncmp("abc", "abc", 100), 0);
}

static void
test_strcpy_and_strcat(void)
{
	char buf[32];

	CHECK(strcpy(buf, "one") == buf);
	CHECK_STR(buf, "one");
	CHECK(strcat(buf, ", two") == buf);
	CHECK_STR(buf, "one, two");
	strcat(buf, "");
	CHECK_STR(buf, "one, two");
	strcpy(buf, "");
	CHECK_STR(buf, "");
}

static void
test_strncpy(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK(strncpy(buf, "ab", 5) == buf);
	CHECK_STR(buf, "ab");
	CHECK_EQ_INT(buf[3], '\0');		/* padded with NULs ... */
	CHECK_EQ_INT(buf[4], '\0');
	CHECK_EQ_INT(buf[5], 'x');		/* ... but only up to n */

	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "abcdef", 3);		/* no terminator, as in C */
	CHECK_EQ_INT(buf[2], 'c');
	CHECK_EQ_INT(buf[3], 'x');
}

static void
test_strlcpy(void)
{
	char buf[6];

	CHECK_EQ_INT(strlcpy(buf, "hi", sizeof(buf)), 2);
	CHECK_STR(buf, "hi");
	CHECK_EQ_INT(strlcpy(buf, "truncated", sizeof(buf)), 9);
	CHECK_STR(buf, "trunc");
	CHECK_EQ_INT(strlcpy(buf, "exact", sizeof(buf)), 5);
	CHECK_STR(buf, "exact");
	buf[0] = 'Q';
	CHECK_EQ_INT(strlcpy(buf, "zero", 0), 4);	/* size 0: untouched */
	CHECK_EQ_INT(buf[0], 'Q');
	CHECK_EQ_INT(strlcpy(buf, "z", 1), 1);
	CHECK_STR(buf, "");
}

static void
test_strchr(void)
{
	const char *s = "/bin/sh";

	CHECK(strchr(s, '/') == s);
	CHECK(strchr(s, 's') == s + 5);
	CHECK(strchr(s, 'x') == NULL);
	CHECK(strchr(s, '\0') == s + 7);	/* finds the terminator */
	CHECK(strrchr(s, '/') == s + 4);
	CHECK(strrchr(s, 'x') == NULL);
	CHECK(strrchr(s, '\0') == s + 7);
	CHECK(strchr("\xe9t\xe9", 0xe9) != NULL);	/* int c > 127 */
	CHECK(strrchr("\xe9t\xe9", 0xe9) != NULL);
}

int
main(void)
{
	test_memset();
	test_memcpy();
	test_mem_alignments();
	test_memmove_overlap();
	test_memcmp();
	test_strlen();
	test_strcmp();
	test_strcpy_and_strcat();
	test_strncpy();
	test_strlcpy();
	test_strchr();
	return unit_summary("test_string");
}
