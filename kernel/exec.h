/*
 * Loading a program: exec_image() replaces p's address space with a fresh
 * one holding the ELF file at path and a stack with argv.  Used by the
 * exec system call and to start init.
 */
#ifndef EXEC_H
#define EXEC_H

struct proc;

/* argv: argc kernel strings.  On failure (-ENOENT, -ENOEXEC, -ENOMEM,
 * -E2BIG, -EISDIR) p is left exactly as it was. */
int	exec_image(struct proc *p, const char *path, char *const argv[], int argc);

int	exec_text_page(const char *path, uint32_t va, void *dst);

#endif
