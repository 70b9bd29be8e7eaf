/*
 * A tiny unit-test framework for host-built tests of lib/ (tests/unit/).
 * Failed checks print file:line and carry on; unit_summary() prints
 * "NAME: N passed, M failed" and returns the exit status for main().
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <stdio.h>

static int unit_passed, unit_failed;

/*
 * String equality written out here rather than calling strcmp: a test
 * of lib/string.c may have renamed strcmp to the very code under test.
 */
static int __attribute__((unused))
unit_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int
unit_record(int ok, const char *file, int line)
{
	if (ok)
		unit_passed++;
	else {
		unit_failed++;
		printf("%s:%d: FAILED: ", file, line);
	}
	return ok;
}

#define CHECK(cond) do {						\
	if (!unit_record(!!(cond), __FILE__, __LINE__))			\
		printf("%s\n", #cond);					\
} while (0)

/* Both sides are evaluated exactly once. */
#define CHECK_EQ_INT(got, want) do {					\
	long long unit_got_ = (long long)(got);				\
	long long unit_want_ = (long long)(want);			\
	if (!unit_record(unit_got_ == unit_want_, __FILE__, __LINE__))	\
		printf("%s: got %lld, want %lld\n", #got, unit_got_,	\
		    unit_want_);					\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *unit_got_ = (got);					\
	const char *unit_want_ = (want);				\
	if (!unit_record(unit_streq(unit_got_, unit_want_),		\
	    __FILE__, __LINE__))					\
		printf("%s: got \"%s\", want \"%s\"\n", #got,		\
		    unit_got_ ? unit_got_ : "(null)",			\
		    unit_want_ ? unit_want_ : "(null)");		\
} while (0)

/* Print the summary line the Makefile and CI look for; use as
 * `return unit_summary("test_format");` at the end of main(). */
static int
unit_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}

#endif
