/*
 * rpcd's parts: main.c (options, registration), services.c (rps and
 * rfile: the node's processes and initrd), demo.c (vec, counter, echo),
 * kv.c (the rpc lab's key-value store).
 */
#ifndef RPCD_H
#define RPCD_H

#include "rps.h"
#include "rfile.h"
#include "vec.h"
#include "counter.h"
#include "echo.h"
#include "kv.h"

/* The counter lives in shared memory with a semaphore, so that the
 * client and call models' worker processes all add to the same one. */
int	counter_init(void);

#endif
