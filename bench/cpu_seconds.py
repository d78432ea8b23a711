#!/usr/bin/env python3
"""Prints the CPU seconds used so far by groups of processes, and by the
whole machine, for bench scripts that split a measurement's CPU between the
parts sharing the cores (haproxy_bench.sh).

    bench/cpu_seconds.py quire=PID,PID haproxy=PID postgres=@postgres

A group is a list of pids, or `@NAME`: every process whose command name
starts with NAME. The last figure, `machine`, is every core's busy time
(/proc/stat), so what the groups leave of it is the load tool's and anything
else running. One line: `name=seconds ...`."""
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def seconds(pid):
    """utime + stime of one process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def named(prefix):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as comm:
                    if comm.read().startswith(prefix):
                        pids.append(entry)
            except OSError:
                pass
    return pids


out = []
for group in sys.argv[1:]:
    name, members = group.split("=", 1)
    pids = named(members[1:]) if members.startswith("@") else [p for p in members.split(",") if p]
    out.append(f"{name}={sum(seconds(pid) for pid in pids):.2f}")
with open("/proc/stat") as stat:
    values = [int(v) for v in stat.readline().split()[1:]]
idle = values[3] + values[4]  # idle + iowait
out.append(f"machine={(sum(values[:8]) - idle) / TICK:.2f}")
print(" ".join(out))
