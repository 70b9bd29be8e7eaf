/*
 * The trace port: the second serial port (COM2), where the kernel writes
 * its event trace so the console on COM1 is left alone.  QEMU writes it
 * to a host file (`-serial file:PATH` given second); docs/tracing.md.
 */
#ifndef TRACEPORT_H
#define TRACEPORT_H

int	traceport_init(void);		/* 1 if the UART answers */
int	traceport_present(void);
void	traceport_write(const char *s, int n);

#endif
