/*
 * free: physical memory, kernel heap and process table usage, from the
 * meminfo() system call.  The exact wording is relied on by the tests
 * (the leak check in tests/integration/conftest.py reads every line).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <brinch.h>

int
main(void)
{
	struct meminfo mi;
	unsigned kib_per_frame;

	if (meminfo(&mi) < 0) {
		dprintf(2, "free: %s\n", strerror(errno));
		return 1;
	}
	kib_per_frame = mi.page_size / 1024;
	printf("memory: %u KiB total, %u KiB free\n",
	    (unsigned)(mi.total_frames * kib_per_frame),
	    (unsigned)(mi.free_frames * kib_per_frame));
	printf("frames: %u total, %u free (%u bytes each)\n",
	    (unsigned)mi.total_frames, (unsigned)mi.free_frames,
	    (unsigned)mi.page_size);
	printf("heap: %u bytes in use\n", (unsigned)mi.heap_bytes);
	printf("procs: %u of %u in use\n", (unsigned)mi.nproc,
	    (unsigned)mi.nproc_max);
	printf("cow: %s, %u frames shared, %u copies saved, %u pages copy-on-write\n",
	    mi.cow ? "on" : "off (cow=0)", (unsigned)mi.shared_frames,
	    (unsigned)mi.shared_refs, (unsigned)mi.cow_pages);
	printf("reserved: %u pages, no frame until touched\n",
	    (unsigned)mi.reserved_pages);
	printf("kernel: %u frames in use outside processes, %u in processes\n",
	    (unsigned)(mi.total_frames - mi.free_frames - mi.proc_frames),
	    (unsigned)mi.proc_frames);
	/* Pids are handed out in increasing order: any process with a
	 * larger pid was started after this line (the leak check's mark). */
	printf("pid: %d (free's own)\n", getpid());
	return 0;
}
