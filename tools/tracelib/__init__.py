# tools/tracelib: reading brinch's kernel event traces (kernel/trace.c) and
# turning them into viewer files and pictures; tools/trace is the command.
