"""What this machine adds by itself to the latency of any process on it: a thread asks to sleep 1 ms,
over and over, and records how late it wakes. A late wake-up is time in which no process could run
on that core: the other busy processes, or the kernel's own threads.

  stalls.py SECONDS   -> one Markdown line: wake-ups, how many came 5 ms or more late, the largest,
                         and the median time between two such stalls (a period points at its cause)
"""
import statistics
import sys
import time

SLEEP = 0.001
STALL = 0.005


def measure(seconds):
    lateness = []
    stalls_at = []
    start = time.perf_counter()
    now = start
    while now - start < seconds:
        time.sleep(SLEEP)
        woke = time.perf_counter()
        late = woke - now - SLEEP
        lateness.append(late)
        if late >= STALL:
            stalls_at.append(woke)
        now = woke
    return lateness, stalls_at


def summary(lateness, stalls_at):
    period = (f", one every {statistics.median(b - a for a, b in zip(stalls_at, stalls_at[1:])):.2f} s (median)"
              if len(stalls_at) > 2 else '')
    return (f"- this machine's own stalls during that run (src/bench/stalls.py: a thread sleeping 1 ms at a time): "
            f"{len(lateness):,} wake-ups, {len(stalls_at)} of them 5 ms or more late{period}, "
            f"the largest {max(lateness) * 1000:.1f} ms late")


if __name__ == '__main__':
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    print(summary(*measure(float(sys.argv[1]))))
