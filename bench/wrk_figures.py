#!/usr/bin/env python3
"""Reads `wrk --latency`'s report on standard input and prints
"req/s p99-in-ms errors" (errors: non-2xx responses plus socket errors),
for the bench scripts that run wrk (http_bench.sh, haproxy_bench.sh)."""
import re
import sys

out = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
value, unit = re.search(r"\n\s+99%\s+([\d.]+)(us|ms|s)", out).groups()
p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
print(rps, p99, errors)
