/*
 * exit() and number parsing for user programs.  exit() has nothing to
 * flush, because stdio does not buffer between calls.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

void
exit(int status)
{
	_exit(status);
}

int
abs(int v)
{
	return v < 0 ? -v : v;
}

int
atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

static int
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;			/* larger than any base */
}

/*
 * C's strtol: optional blanks and sign, then digits in base 2..36; base
 * 0 means "0x..." is hex, "0..." octal, else decimal.  *end, if given,
 * points after the last digit used (at s if there were none).  On
 * overflow returns LONG_MAX or LONG_MIN and sets errno to ERANGE.
 */
long
strtol(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long limit, value = 0;
	int negative = 0, any = 0, overflow = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '-' || *p == '+')
		negative = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = p[0] == '0' ? 8 : 10;
	if (base < 2 || base > 36) {
		errno = EINVAL;
		if (end != NULL)
			*end = (char *)s;
		return 0;
	}

	/* LONG_MIN's magnitude is one more than LONG_MAX's. */
	limit = negative ? (unsigned long)LONG_MAX + 1 : LONG_MAX;
	for (; digit_value(*p) < base; p++) {
		unsigned d = digit_value(*p);

		any = 1;
		if (value > (limit - d) / base)
			overflow = 1;
		else
			value = value * base + d;
	}
	if (end != NULL)
		*end = (char *)(any ? p : s);
	if (overflow) {
		errno = ERANGE;
		return negative ? LONG_MIN : LONG_MAX;
	}
	return negative ? -(long)(value - 1) - 1 : (long)value;
}
