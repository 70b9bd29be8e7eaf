/*
 * Host unit tests for lib/format.c: our snprintf must agree with glibc's
 * for every conversion, flag, width, precision and length we support.
 */
// uses: lib/format.c lib/string.c
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>

/* glibc's vsnprintf, captured before lib/format.h renames ours. */
static int
host_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

#include "lib/format.h"
#include "tests/unit/unit.h"

/* Format with both implementations and demand identical text and
 * return value.  A macro supplies the caller's line for failures. */
static void __attribute__((format(printf, 3, 4)))
check_same(const char *file, int line, const char *fmt, ...)
{
	char ours[256], theirs[256];
	va_list ap, ap2;
	int n_ours, n_theirs;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n_ours = vsnprintf(ours, sizeof(ours), fmt, ap);
	n_theirs = host_vsnprintf(theirs, sizeof(theirs), fmt, ap2);
	va_end(ap2);
	va_end(ap);

	if (unit_record(unit_streq(ours, theirs) && n_ours == n_theirs,
	    file, line))
		return;
	printf("format \"%s\": got \"%s\" (%d), glibc \"%s\" (%d)\n",
	    fmt, ours, n_ours, theirs, n_theirs);
}

#define SAME(...)	check_same(__FILE__, __LINE__, __VA_ARGS__)

static void
test_plain_and_percent(void)
{
	SAME("hello, world");
	SAME("100%%");
	SAME("%%%d%%", 5);
}

static void
test_signed(void)
{
	int values[] = { 0, 1, -1, 7, -42, 12345, INT_MAX, INT_MIN };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int v = values[i];

		SAME("%d", v);
		SAME("%i", v);
		SAME("[%5d]", v);
		SAME("[%-5d]", v);
		SAME("[%05d]", v);
		SAME("[%+d]", v);
		SAME("[% d]", v);
		SAME("[%+05d]", v);
		SAME("[% 05d]", v);
		SAME("[%.3d]", v);
		SAME("[%8.3d]", v);
		SAME("[%-8.3d]", v);
		SAME("[%.0d]", v);	/* zero prints no digits */
		SAME("[%5.0d]", v);
		SAME("[%-+12d]", v);
	}
}

/*
 * Flags that cancel each other are legal C, but gcc warns about them;
 * these tests use them on purpose.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
static void
test_flag_conflicts(void)
{
	int values[] = { 0, 5, -5, 123456 };

	SAME("");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int v = values[i];
		unsigned u = v;

		SAME("[%08.3d]", v);	/* precision disables '0' */
		SAME("[%+ d]", v);	/* '+' wins over ' ' */
		SAME("[%-05d]", v);	/* '-' wins over '0' */
		SAME("[%+u] [% x]", u, u);	/* no sign for unsigned */
		SAME("[%#u] [%#d]", u, v);	/* '#' means nothing here */
	}
}
#pragma GCC diagnostic pop

static void
test_unsigned(void)
{
	unsigned values[] = { 0, 1, 8, 9, 15, 16, 255, 0xdeadbeef, UINT_MAX };

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		unsigned v = values[i];

		SAME("%u %x %X %o", v, v, v, v);
		SAME("[%#x] [%#X] [%#o]", v, v, v);
		SAME("[%10u] [%-10x] [%010X] [%10o]", v, v, v, v);
		SAME("[%#10x] [%#010x] [%-#10x]", v, v, v);
		SAME("[%.5u] [%.5x] [%.5o] [%#.5o]", v, v, v, v);
		SAME("[%.0u] [%.0x] [%.0o] [%#.0o] [%#.0x]", v, v, v, v, v);
		SAME("[%#12.8x] [%#3o]", v, v);
	}
}

static void
test_lengths(void)
{
	SAME("%hhd %hhu %hhx", 300, 300, -1);
	SAME("%hhd", -129);
	SAME("%hd %hu %hx", 70000, 70000, -1);
	SAME("%hd", -32769);
	SAME("%ld %lu %lx", -123456789L, 123456789UL, 0xabcdefUL);
	SAME("%ld %ld", LONG_MAX, LONG_MIN);
	SAME("%zu %zx %zd", (size_t)12345, (size_t)0xfff, (size_t)-5);
	SAME("%zu", SIZE_MAX);
}

/* 64-bit values go through the hand-written long division. */
static void
test_long_long(void)
{
	long long svalues[] = { 0, 1, -1, 4294967295LL, 4294967296LL,
	    -4294967296LL, 1000000000000LL, 123456789012345678LL,
	    LLONG_MAX, LLONG_MIN };
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < sizeof(svalues) / sizeof(svalues[0]); i++) {
		long long v = svalues[i];

		SAME("%lld %llu %llx %llX %llo", v, (unsigned long long)v,
		    (unsigned long long)v, (unsigned long long)v,
		    (unsigned long long)v);
		SAME("[%+25lld] [%-25lld] [%025lld]", v, v, v);
		SAME("[%#llx] [%#llo] [%.20llu]", (unsigned long long)v,
		    (unsigned long long)v, (unsigned long long)v);
	}
	SAME("%llu", ULLONG_MAX);
	SAME("%llo", ULLONG_MAX);

	/* A pseudo-random walk over the whole 64-bit range. */
	for (int i = 0; i < 2000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		SAME("%llu %llo %llx %lld", (unsigned long long)x,
		    (unsigned long long)x, (unsigned long long)x, (long long)x);
		SAME("%llu", (unsigned long long)(x >> (i % 64)));
	}
}

static void
test_char_and_string(void)
{
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("[%5c] [%-5c]", 'x', 'y');
	SAME("%s", "text");
	SAME("[%10s] [%-10s]", "right", "left");
	SAME("[%.3s] [%10.3s] [%-10.3s]", "abcdef", "abcdef", "abcdef");
	SAME("[%.0s] [%.10s]", "gone", "short");
	SAME("[%s]", "");
	SAME("[%*s] [%-*s]", 6, "ab", 6, "cd");
	SAME("[%*s]", -6, "neg");	/* negative '*' width means '-' */
	SAME("[%.*s]", 2, "abcdef");
	SAME("[%.*s]", -1, "abcdef");	/* negative precision: ignored */
	SAME("[%*.*d]", 8, 4, 42);
	{
		/* glibc also prints (null); volatile hides the NULL from
		 * gcc's format checker, which would warn. */
		const char *volatile nothing = NULL;

		SAME("[%s] [%3.2s]", nothing, nothing);
	}
}

/* A precision lets %s read a buffer that has no terminator. */
static void
test_unterminated_string(void)
{
	char raw[4] = { 'a', 'b', 'c', 'd' };
	char buf[16];

	snprintf(buf, sizeof(buf), "%.4s|", raw);
	CHECK_STR(buf, "abcd|");
}

static void
test_pointer(void)
{
	int local;

	SAME("%p", (void *)&local);
	SAME("%p", (void *)0x1234);
	SAME("[%20p] [%-20p]", (void *)0xc0000000UL, (void *)0xbeefUL);
	/* glibc says "(nil)"; we print 0x0, which reads better in a panic. */
	{
		char buf[16];

		snprintf(buf, sizeof(buf), "%p", (void *)0);
		CHECK_STR(buf, "0x0");
	}
}

static void
test_truncation(void)
{
	char buf[8];
	int n;

	n = snprintf(buf, sizeof(buf), "hello, %s", "world");
	CHECK_EQ_INT(n, 12);
	CHECK_STR(buf, "hello, ");

	n = snprintf(buf, 1, "abc");
	CHECK_EQ_INT(n, 3);
	CHECK_STR(buf, "");

	buf[0] = 'Z';
	n = snprintf(buf, 0, "abc%d", 12);	/* size 0: buffer untouched */
	CHECK_EQ_INT(n, 5);
	CHECK_EQ_INT(buf[0], 'Z');

	n = snprintf(NULL, 0, "%08x", 1);
	CHECK_EQ_INT(n, 8);

	n = snprintf(buf, 4, "%d", 123);	/* exactly fills the buffer */
	CHECK_EQ_INT(n, 3);
	CHECK_STR(buf, "123");
}

/* format() itself: emit receives every character, in order. */
struct collect {
	char	text[64];
	int	n;
};

static void
collect_emit(char c, void *arg)
{
	struct collect *col = arg;

	if (col->n < (int)sizeof(col->text) - 1)
		col->text[col->n++] = c;
	col->text[col->n] = '\0';
}

static int
collect_format(struct collect *col, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format(collect_emit, col, fmt, ap);
	va_end(ap);
	return n;
}

static void
test_emit_callback(void)
{
	struct collect col = { "", 0 };

	CHECK_EQ_INT(collect_format(&col, "pid %d: %s", 7, "init"), 11);
	CHECK_STR(col.text, "pid 7: init");
	CHECK_EQ_INT(col.n, 11);
}

/* Malformed specifications must not crash or eat the argument list. */
static void
test_malformed(void)
{
	char buf[32];

	/* These are bad on purpose; keep the compiler from objecting. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	snprintf(buf, sizeof(buf), "abc%");
	CHECK_STR(buf, "abc%");
	snprintf(buf, sizeof(buf), "%y %d", 5);
	CHECK_STR(buf, "%y 5");
#pragma GCC diagnostic pop
}

int
main(void)
{
	test_plain_and_percent();
	test_signed();
	test_flag_conflicts();
	test_unsigned();
	test_lengths();
	test_long_long();
	test_char_and_string();
	test_unterminated_string();
	test_pointer();
	test_truncation();
	test_emit_callback();
	test_malformed();
	return unit_summary("test_format");
}
