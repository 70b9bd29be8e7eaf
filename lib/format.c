/*
 * The printf engine (see lib/format.h), used by the kernel's kprintf and
 * by the user library's printf family.  No floating point, and no libgcc:
 * 64-bit numbers are divided by hand so -nostdlib links still work.
 */
#include <stdint.h>
#include "lib/format.h"
#include "lib/string.h"

/* Where the characters go, plus how many we have sent so far. */
struct output {
	format_emit_fn	 emit;
	void		*arg;
	int		 count;
};

/* One parsed conversion specification, e.g. "%-08.3llx". */
struct spec {
	int	left;		/* '-': pad on the right */
	int	zero;		/* '0': pad numbers with zeros */
	int	plus;		/* '+': always print a sign */
	int	space;		/* ' ': blank where a '+' would go */
	int	alt;		/* '#': 0x prefix / leading octal 0 */
	int	width;		/* minimum field width, 0 if none */
	int	precision;	/* -1 if none */
	int	length;		/* one of the LEN_* below */
};

enum { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static void
put(struct output *out, char c)
{
	out->emit(c, out->arg);
	out->count++;
}

static void
put_repeated(struct output *out, char c, int n)
{
	while (n-- > 0)
		put(out, c);
}

/*
 * Divide *n by base (2..16) in place and return the remainder.  i686 has
 * no 64-by-64 divide, and gcc would call libgcc's __udivdi3, which we do
 * not link.  So do schoolbook long division on 16-bit "digits": the
 * partial remainder stays below base, so every step fits in 32 bits.
 */
static unsigned
divide_small(uint64_t *n, unsigned base)
{
	uint64_t quotient = 0;
	uint32_t rem = 0;
	int shift;

	if (*n <= UINT32_MAX) {		/* the common case: plain 32-bit */
		uint32_t v = (uint32_t)*n;

		*n = v / base;
		return v % base;
	}
	for (shift = 48; shift >= 0; shift -= 16) {
		uint32_t part = (rem << 16) | (uint32_t)((*n >> shift) & 0xffff);

		quotient |= (uint64_t)(part / base) << shift;
		rem = part % base;
	}
	*n = quotient;
	return rem;
}

/*
 * Emit one integer conversion.  `magnitude` is the absolute value and
 * `sign` the sign character to print (or 0).  Layout, left to right:
 * [spaces] [sign or 0x] [zeros] digits [spaces when left-aligned].
 */
static void
put_number(struct output *out, const struct spec *sp, uint64_t magnitude,
    char sign, unsigned base, int upper)
{
	const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];		/* 2^64 in octal is 22 digits */
	char prefix[3];
	int ndigits = 0, nprefix = 0, precision = sp->precision;
	int nzeros, npad;
	uint64_t v = magnitude;

	/* C: a zero value with precision 0 prints no digits at all. */
	if (!(magnitude == 0 && precision == 0)) {
		do
			digits[ndigits++] = digit_chars[divide_small(&v, base)];
		while (v != 0);
	}

	if (sign != 0)
		prefix[nprefix++] = sign;
	if (sp->alt && base == 16 && magnitude != 0) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = upper ? 'X' : 'x';
	}
	/* '#' with octal means "first digit is 0": raise the precision. */
	if (sp->alt && base == 8 && precision <= ndigits &&
	    (ndigits == 0 || digits[ndigits - 1] != '0'))
		precision = ndigits + 1;

	nzeros = precision > ndigits ? precision - ndigits : 0;
	/* '0' pads to the width, unless '-' or a precision says otherwise. */
	if (sp->zero && !sp->left && sp->precision < 0 &&
	    sp->width > nprefix + ndigits + nzeros)
		nzeros = sp->width - nprefix - ndigits;
	npad = sp->width - nprefix - nzeros - ndigits;

	if (!sp->left)
		put_repeated(out, ' ', npad);
	for (int i = 0; i < nprefix; i++)
		put(out, prefix[i]);
	put_repeated(out, '0', nzeros);
	while (ndigits > 0)
		put(out, digits[--ndigits]);
	if (sp->left)
		put_repeated(out, ' ', npad);
}

/* Emit the first `len` bytes of s, padded to the field width. */
static void
put_padded(struct output *out, const struct spec *sp, const char *s, size_t len)
{
	int npad = sp->width > (int)len ? sp->width - (int)len : 0;

	if (!sp->left)
		put_repeated(out, ' ', npad);
	for (size_t i = 0; i < len; i++)
		put(out, s[i]);
	if (sp->left)
		put_repeated(out, ' ', npad);
}

/* Fetch a signed argument of the size the length modifier names,
 * sign-extended to 64 bits. */
static int64_t
fetch_signed(va_list *ap, int length)
{
	switch (length) {
	case LEN_CHAR:	return (signed char)va_arg(*ap, int);
	case LEN_SHORT:	return (short)va_arg(*ap, int);
	case LEN_LONG:	return va_arg(*ap, long);
	case LEN_LLONG:	return va_arg(*ap, long long);
	case LEN_SIZE:	return va_arg(*ap, ptrdiff_t);	/* signed size_t */
	default:	return va_arg(*ap, int);
	}
}

static uint64_t
fetch_unsigned(va_list *ap, int length)
{
	switch (length) {
	case LEN_CHAR:	return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:	return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:	return va_arg(*ap, unsigned long);
	case LEN_LLONG:	return va_arg(*ap, unsigned long long);
	case LEN_SIZE:	return va_arg(*ap, size_t);
	default:	return va_arg(*ap, unsigned);
	}
}

/*
 * Parse flags, width, precision and length after a '%'.  Returns the
 * pointer to the conversion character.
 */
static const char *
parse_spec(const char *p, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->precision = -1;

	for (;; p++) {
		if (*p == '-')
			sp->left = 1;
		else if (*p == '0')
			sp->zero = 1;
		else if (*p == '+')
			sp->plus = 1;
		else if (*p == ' ')
			sp->space = 1;
		else if (*p == '#')
			sp->alt = 1;
		else
			break;
	}

	if (*p == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {	/* C: negative '*' width means '-' */
			sp->left = 1;
			sp->width = -sp->width;
		}
		p++;
	} else {
		while (*p >= '0' && *p <= '9')
			sp->width = sp->width * 10 + (*p++ - '0');
	}

	if (*p == '.') {
		p++;
		sp->precision = 0;
		if (*p == '*') {
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)	/* C: as if omitted */
				sp->precision = -1;
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				sp->precision = sp->precision * 10 + (*p++ - '0');
		}
	}

	if (p[0] == 'h' && p[1] == 'h') {
		sp->length = LEN_CHAR;
		p += 2;
	} else if (p[0] == 'h') {
		sp->length = LEN_SHORT;
		p++;
	} else if (p[0] == 'l' && p[1] == 'l') {
		sp->length = LEN_LLONG;
		p += 2;
	} else if (p[0] == 'l') {
		sp->length = LEN_LONG;
		p++;
	} else if (p[0] == 'z') {
		sp->length = LEN_SIZE;
		p++;
	}
	return p;
}

int
format(format_emit_fn emit, void *arg, const char *fmt, va_list ap_in)
{
	struct output out = { emit, arg, 0 };
	struct spec sp;
	va_list ap;
	const char *p;

	/* Helpers take a va_list pointer; copying first makes that portable
	 * (on x86-64 a va_list parameter is really an array pointer). */
	va_copy(ap, ap_in);
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			put(&out, *p);
			continue;
		}
		const char *start = p;

		p = parse_spec(p + 1, &sp, &ap);
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&ap, sp.length);
			char sign = v < 0 ? '-' : sp.plus ? '+' : sp.space ? ' ' : 0;
			/* Negate as unsigned so INT64_MIN does not overflow. */
			uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;

			put_number(&out, &sp, magnitude, sign, 10, 0);
			break;
		}
		case 'u':
			put_number(&out, &sp, fetch_unsigned(&ap, sp.length), 0, 10, 0);
			break;
		case 'x':
		case 'X':
			put_number(&out, &sp, fetch_unsigned(&ap, sp.length), 0, 16,
			    *p == 'X');
			break;
		case 'o':
			put_number(&out, &sp, fetch_unsigned(&ap, sp.length), 0, 8, 0);
			break;
		case 'p': {
			/* Like glibc for non-NULL pointers: 0x then lowercase hex. */
			uintptr_t v = (uintptr_t)va_arg(ap, void *);

			sp.alt = 1;
			sp.length = LEN_LONG;
			if (v == 0) {
				put_padded(&out, &sp, "0x0", 3);
				break;
			}
			put_number(&out, &sp, v, 0, 16, 0);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_padded(&out, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t len;

			/* Friendlier than a fault.  Like glibc, print nothing
			 * when the precision cannot fit all of "(null)". */
			if (s == NULL)
				s = sp.precision >= 0 && sp.precision < 6 ?
				    "" : "(null)";
			/* strnlen: with a precision, s need not be terminated. */
			len = sp.precision >= 0 ? strnlen(s, sp.precision) : strlen(s);
			put_padded(&out, &sp, s, len);
			break;
		}
		case '%':
			put(&out, '%');
			break;
		case '\0':
			/* A lone '%' at the end: print it and stop. */
			for (; *start != '\0'; start++)
				put(&out, *start);
			p--;
			break;
		default:
			/* Unknown conversion: print it verbatim so the bug shows. */
			for (; start <= p; start++)
				put(&out, *start);
			break;
		}
	}
	va_end(ap);
	return out.count;
}

/* State for emitting into a bounded buffer. */
struct buffer {
	char	*buf;
	size_t	 size;
	size_t	 used;		/* characters stored, excluding the NUL */
};

static void
emit_to_buffer(char c, void *arg)
{
	struct buffer *b = arg;

	/* Keep one byte for the NUL; drop what does not fit. */
	if (b->used + 1 < b->size)
		b->buf[b->used++] = c;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = { buf, size, 0 };
	int n;

	n = format(emit_to_buffer, &b, fmt, ap);
	if (size > 0)
		buf[b.used] = '\0';
	return n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
