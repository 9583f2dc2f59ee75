"""The benchmark's bookkeeping (src/bench/run.sh): outcome counts from the gateway's metrics, one
table row per wrk run, redis-benchmark's figure, and the Markdown table.

  report.py outcomes < metrics.txt                     -> JSON {outcome: count} of AdminDisableUser
  report.py row NAME EXPECTED LOAD_OUT BEFORE AFTER DISTINCT CPU_US ACCESS_LOG
      -> one JSON row (EXPECTED: outcomes, comma-separated; DISTINCT: how many distinct requests the file
         held, so that a run that had to repeat some is marked, or empty; CPU_US: the gateway's CPU time
         during the run; ACCESS_LOG: the gateway's log lines of the run, for the server-side latency)
  report.py floor LOAD_OUT                             -> one line: the generator against a trivial endpoint
  report.py redis-rps CSV                              -> requests per second
  report.py table ROWS REDIS_RPS CONNECTIONS           -> Markdown
"""
import json
import re
import sys

COUNT = re.compile(r'^idp_requests_seconds_count\{([^}]*)\} ([0-9.eE+]+)$')


def outcomes(text):
    counts = {}
    for line in text.splitlines():
        match = COUNT.match(line)
        if not match:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if labels.get('operation') in ('AdminDisableUser', 'unknown'):
            outcome = labels.get('outcome', '?')
            counts[outcome] = counts.get(outcome, 0) + int(float(match.group(2)))
    return counts


def load_result(path):
    """The RESULT line of presigned.lua (wrk) or ConstantRate."""
    with open(path) as out:
        for line in out:
            if line.startswith('RESULT '):
                return dict(field.split('=') for field in line.split()[1:])
    raise SystemExit(f'no RESULT line in {path}')


def server_latencies(access_log):
    """latency_ms of the run's access log lines (JSON), sorted: receipt to response, inside the gateway."""
    latencies = []
    with open(access_log) as lines:
        for line in lines:
            if '"latency_ms"' in line:
                latencies.append(json.loads(line)['latency_ms'])
    return sorted(latencies)


def percentile(sorted_values, percent):
    return sorted_values[min(len(sorted_values) - 1, max(0, int(len(sorted_values) * percent / 100 + 0.5) - 1))]


def row(name, expected, load_out, before, after, distinct, cpu_us, access_log):
    result = load_result(load_out)
    before, after = json.loads(before), json.loads(after)
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    unexpected = sum(v for k, v in delta.items() if k not in expected.split(','))
    answered = sum(delta.values())
    seconds = int(result['duration_us']) / 1e6
    server = server_latencies(access_log)
    return {
        'case': name, 'expected': expected,
        'cpu_us': int(cpu_us) / max(1, answered),
        'server_p99': percentile(server, 99) if server else None,
        'rps': int(result['requests']) / seconds,
        'p50': int(result['p50_us']) / 1000, 'p99': int(result['p99_us']) / 1000,
        'p999': int(result['p999_us']) / 1000,
        'errors': unexpected + int(result['socket_errors']),
        'answered': answered, 'outcomes': {k: v for k, v in delta.items() if v},
        'repeats': max(0, answered - int(distinct)) if distinct else 0,
    }


def floor(load_out):
    r = load_result(load_out)
    return (f"- the same constant-rate generator against the management server's /health/live (no pipeline, no "
            f"Redis), for scale: p50 {int(r['p50_us']) / 1000:.2f} ms, p99 {int(r['p99_us']) / 1000:.2f} ms, "
            f"p99.9 {int(r['p999_us']) / 1000:.2f} ms")


def redis_rps(path):
    with open(path) as csv:
        lines = [line.strip() for line in csv if line.strip()]
    # "test","rps",... header, then one line per command
    return float(lines[-1].split(',')[1].strip('"'))


def table(rows_path, redis, connections):
    redis = float(redis)
    lines = [
        '| case | req/s | p50 ms | p99 ms | p99.9 ms | server p99 ms | gateway CPU us/req | errors | outcome (expected) '
        '| vs redis-benchmark |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ]
    with open(rows_path) as rows:
        for line in rows:
            r = json.loads(line)
            if r['case'] == 'warm-up':
                continue
            server_p99 = '' if r['server_p99'] is None else f"{r['server_p99']:.2f}"
            case = r['case'] + (f" (ran out of distinct users: {r['repeats']} repeats)" if r['repeats'] else '')
            lines.append(f"| {case} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['p999']:.2f} "
                         f"| {server_p99} | {r['cpu_us']:.0f} | {r['errors']} | {r['expected'].split(',')[0]} "
                         f"| {100 * r['rps'] / redis:.0f}% |")
    lines.append(f"| redis-benchmark EVALSHA disable, {connections} clients | {redis:,.0f} | | | | | | | | 100% |")
    return '\n'.join(lines)


if __name__ == '__main__':
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'outcomes':
        print(json.dumps(outcomes(sys.stdin.read())))
    elif command == 'row':
        print(json.dumps(row(*args)))
    elif command == 'redis-rps':
        print(f'{redis_rps(*args):.0f}')
    elif command == 'floor':
        print(floor(*args))
    elif command == 'table':
        print(table(*args))
    else:
        raise SystemExit(__doc__)
