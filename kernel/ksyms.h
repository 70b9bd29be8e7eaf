/*
 * The kernel's own symbol table, generated at build time by
 * tools/mksyms.py and linked into the .ksyms section; panic.c uses it to
 * print symbolic backtraces.
 */
#ifndef KSYMS_H
#define KSYMS_H

struct ksym {
	unsigned int addr;	/* start address of a function */
	unsigned int name;	/* byte offset of its name in ksym_names */
};

extern const unsigned int ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];

#endif
