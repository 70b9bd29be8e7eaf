/* ksyms_empty.c: an empty kernel symbol table for the Makefile's first link
 * pass; tools/mksyms.py writes the real one (build/ksyms.c) for the second.
 * Same three definitions, same section, as the generated file. */
#include "ksyms.h"
__attribute__((section(".ksyms"))) const unsigned int ksym_count = 0;
__attribute__((section(".ksyms"))) const struct ksym ksym_table[1] = { {0, 0} };
__attribute__((section(".ksyms"))) const char ksym_names[] = "";
