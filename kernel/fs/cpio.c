/*
 * newc cpio parser (see cpio.h).  An entry is a 110-byte header of ASCII
 * hex fields, the path name (NUL-terminated, padded so header + name is a
 * multiple of 4), then the file body padded to a multiple of 4.
 */
#include "cpio.h"

#define HEADER_SIZE	110
#define FIELD(n)	(6 + 8 * (n))	/* offset of the n-th 8-digit field */
#define F_MODE		1
#define F_FILESIZE	6
#define F_NAMESIZE	11

static int
parse_hex(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		v = (v << 4) | (uint32_t)d;
	}
	*out = v;
	return 0;
}

static size_t
align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int
cpio_next(const void *archive, size_t size, size_t *offset, struct cpio_entry *out)
{
	const uint8_t *h = (const uint8_t *)archive + *offset;
	uint32_t namesize, filesize, mode;
	size_t name_end, data_end, i;
	static const char magic[] = "070701";
	static const char trailer[] = "TRAILER!!!";

	if (*offset > size || size - *offset < HEADER_SIZE)
		return -1;
	for (i = 0; i < 6; i++)
		if (h[i] != (uint8_t)magic[i])
			return -1;
	if (parse_hex(h + FIELD(F_MODE), &mode) < 0 ||
	    parse_hex(h + FIELD(F_FILESIZE), &filesize) < 0 ||
	    parse_hex(h + FIELD(F_NAMESIZE), &namesize) < 0)
		return -1;
	if (namesize == 0 || namesize > size - *offset - HEADER_SIZE)
		return -1;
	name_end = *offset + align4(HEADER_SIZE + namesize);
	if (name_end > size || filesize > size - name_end)
		return -1;
	data_end = name_end + filesize;
	if (h[HEADER_SIZE + namesize - 1] != '\0')
		return -1;

	out->name = (const char *)h + HEADER_SIZE;
	out->namelen = namesize - 1;
	out->data = (const uint8_t *)archive + name_end;
	out->size = filesize;
	out->mode = mode;
	*offset = align4(data_end) < size ? align4(data_end) : size;
	if (out->namelen == sizeof(trailer) - 1) {
		for (i = 0; i < out->namelen && out->name[i] == trailer[i]; i++)
			;
		if (i == out->namelen)
			return 0;
	}
	return 1;
}
