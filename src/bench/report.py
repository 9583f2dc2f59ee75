"""The benchmark's bookkeeping (src/bench/run.sh): outcome counts from the gateway's metrics, one
table row per wrk run, redis-benchmark's figure, and the Markdown table.

  report.py outcomes < metrics.txt                     -> JSON {outcome: count} of AdminDisableUser
  report.py row NAME EXPECTED WRK_OUT BEFORE AFTER [DISTINCT]
      -> one JSON row (EXPECTED: outcomes, comma-separated; DISTINCT: how many distinct requests the file
         held, so that a run that had to repeat some is marked)
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


def row(name, expected, wrk_out, before, after, distinct=None):
    result = None
    with open(wrk_out) as out:
        for line in out:
            if line.startswith('RESULT '):
                result = dict(field.split('=') for field in line.split()[1:])
    if result is None:
        raise SystemExit(f'no RESULT line in {wrk_out}')
    before, after = json.loads(before), json.loads(after)
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    unexpected = sum(v for k, v in delta.items() if k not in expected.split(','))
    seconds = int(result['duration_us']) / 1e6
    if distinct and sum(delta.values()) > int(distinct):
        name += f" (ran out of distinct users: {sum(delta.values()) - int(distinct)} repeats)"
    return {
        'case': name, 'expected': expected,
        'rps': int(result['requests']) / seconds,
        'p50': int(result['p50_us']) / 1000, 'p99': int(result['p99_us']) / 1000,
        'p999': int(result['p999_us']) / 1000,
        'errors': unexpected + int(result['socket_errors']),
        'answered': sum(delta.values()), 'outcomes': {k: v for k, v in delta.items() if v},
    }


def redis_rps(path):
    with open(path) as csv:
        lines = [line.strip() for line in csv if line.strip()]
    # "test","rps",... header, then one line per command
    return float(lines[-1].split(',')[1].strip('"'))


def table(rows_path, redis, connections):
    redis = float(redis)
    lines = [
        '| case | req/s | p50 ms | p99 ms | p99.9 ms | errors | outcome (expected) | vs redis-benchmark |',
        '|---|---:|---:|---:|---:|---:|---|---:|',
    ]
    with open(rows_path) as rows:
        for line in rows:
            r = json.loads(line)
            if r['case'] == 'warm-up':
                continue
            lines.append(f"| {r['case']} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['p999']:.2f} "
                         f"| {r['errors']} | {r['expected'].split(',')[0]} | {100 * r['rps'] / redis:.0f}% |")
    lines.append(f"| redis-benchmark EVALSHA disable, {connections} clients | {redis:,.0f} | | | | | | 100% |")
    return '\n'.join(lines)


if __name__ == '__main__':
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'outcomes':
        print(json.dumps(outcomes(sys.stdin.read())))
    elif command == 'row':
        print(json.dumps(row(*args)))
    elif command == 'redis-rps':
        print(f'{redis_rps(*args):.0f}')
    elif command == 'table':
        print(table(*args))
    else:
        raise SystemExit(__doc__)
