"""The benchmark's bookkeeping (src/bench/run.sh, repeat.sh): outcome counts and allocation from the
gateway's metrics, one table row per load run, redis-benchmark's figure, the Markdown table, the issue's
targets, and the summary of several runs.

  report.py scrape < metrics.txt
      -> JSON {"outcomes": {outcome: count} of AdminDisableUser, "allocated_bytes": the JVM's allocation so far}
  report.py row NAME EXPECTED LOAD_OUT BEFORE AFTER DISTINCT CPU_US ACCESS_LOG VS
      -> one JSON row (EXPECTED: outcomes, comma-separated; BEFORE/AFTER: scrapes; DISTINCT: how many distinct
         requests the file held, so that a run that had to repeat some is marked, or empty; CPU_US: the server's
         CPU time during the run; ACCESS_LOG: the gateway's log lines of the run, for the server-side latency;
         VS: the row whose req/s this one's is compared with, or empty)
  report.py live LOAD_OUT                              -> one line: the generator against /health/live
  report.py redis-rps CSV                              -> requests per second
  report.py table ROWS REDIS_RPS CONNECTIONS           -> Markdown
  report.py targets ROWS LIVE_LOAD_OUT RSS_MB STARTUPS_CDS STARTUPS_NO_CDS  -> JSON list of the issue's targets
  report.py targets-md TARGETS_JSON                    -> Markdown
  report.py https ROWS                                 -> one line: case 7 / case 6, pair by pair, and the median
  report.py summary RUN_DIR...                         -> Markdown: per row and target, the spread over the runs
  report.py stages ROUNDS TICKS_PER_SECOND NAME=SCRAPE... -> Markdown: src/bench/stages.sh's table (ROUNDS: lines
      of round, server, CPU ticks, RESULT line; the scrapes: each gateway's outcomes, which must be UserNotFound)
"""
import json
import re
import statistics
import sys

COUNT = re.compile(r'^idp_requests_seconds_count\{([^}]*)\} ([0-9.eE+]+)$')
# Micrometer's JvmGcMetrics: young-generation growth between collections, so it moves at each collection.
ALLOCATED = re.compile(r'^jvm_gc_memory_allocated_bytes_total(?:\{[^}]*\})? ([0-9.eE+]+)$')


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


def scrape(text):
    allocated = [float(m.group(1)) for m in map(ALLOCATED.match, text.splitlines()) if m]
    return {'outcomes': outcomes(text), 'allocated_bytes': sum(allocated) if allocated else None}


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


def row(name, expected, load_out, before, after, distinct, cpu_us, access_log, vs):
    result = load_result(load_out)
    before, after = json.loads(before), json.loads(after)
    delta = {k: after['outcomes'].get(k, 0) - before['outcomes'].get(k, 0) for k in after['outcomes']}
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
        'alloc_kb': (None if before['allocated_bytes'] is None or after['allocated_bytes'] is None
                     else (after['allocated_bytes'] - before['allocated_bytes']) / 1024 / max(1, answered)),
        'vs': vs or None,
    }


def live(load_out):
    r = load_result(load_out)
    return (f"- the same constant-rate generator against the management server's /health/live (no pipeline, no "
            f"Redis), for scale: p50 {int(r['p50_us']) / 1000:.2f} ms, p99 {int(r['p99_us']) / 1000:.2f} ms, "
            f"p99.9 {int(r['p999_us']) / 1000:.2f} ms")


def redis_rps(path):
    with open(path) as csv:
        lines = [line.strip() for line in csv if line.strip()]
    # "test","rps",... header, then one line per command
    return float(lines[-1].split(',')[1].strip('"'))


def read_rows(rows_path):
    with open(rows_path) as rows:
        return [json.loads(line) for line in rows]


def versus(r, by_case):
    """This row's req/s over its reference row's (VS), or None."""
    reference = by_case.get(r['vs']) if r['vs'] else None
    return r['rps'] / reference['rps'] if reference else None


def table(rows_path, redis, connections):
    redis = float(redis)
    rows = read_rows(rows_path)
    by_case = {r['case']: r for r in rows}
    lines = [
        '| case | req/s | vs | p50 ms | p99 ms | p99.9 ms | server p99 ms | server CPU us/req | alloc KB/req | errors '
        '| outcome (expected) | vs redis-benchmark |',
        '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
    ]
    for r in rows:
        if 'warm-up' in r['case']:
            continue
        server_p99 = '' if r['server_p99'] is None else f"{r['server_p99']:.2f}"
        alloc = '' if r['alloc_kb'] is None else f"{r['alloc_kb']:.1f}"
        ratio = versus(r, by_case)
        vs = '' if ratio is None else f"{ratio:.2f} x {r['vs']}"
        case = r['case'] + (f" (ran out of distinct users: {r['repeats']} repeats)" if r['repeats'] else '')
        lines.append(f"| {case} | {r['rps']:,.0f} | {vs} | {r['p50']:.2f} | {r['p99']:.2f} | {r['p999']:.2f} "
                     f"| {server_p99} | {r['cpu_us']:.0f} | {alloc} | {r['errors']} | {r['expected'].split(',')[0]} "
                     f"| {100 * r['rps'] / redis:.0f}% |")
    lines.append(f"| redis-benchmark EVALSHA disable, {connections} clients | {redis:,.0f} | | | | | | | | | | 100% |")
    return '\n'.join(lines)


def median(startups):
    return sorted(int(t) for t in startups.split())[1]


def targets(rows_path, live_load_out, rss_mb, startups_cds, startups_no_cds):
    """The issue's targets as measured in this run: name, value, the limit and which side of it passes."""
    rows = read_rows(rows_path)
    by_case = {r['case']: r for r in rows}

    def ratio_of(prefix):
        """The row's ratio to its reference, and why it cannot count (a row with unexpected answers), or None."""
        r = next(r for r in rows if r['case'].startswith(prefix))
        return versus(r, by_case), errors_in((r, by_case[r['vs']]))

    https_ratios, https_invalid = https_pairs(rows)
    constant = next(r for r in rows if r['case'].startswith('constant '))
    live = load_result(live_load_out)
    live_p99 = int(live['p99_us']) / 1000
    # The generator runs at the rate it is given unless the machine starves it: then both p99s are its own.
    live_rate = int(live['requests']) / (int(live['duration_us']) / 1e6)
    constant_rate = int(constant['rps'])
    starved = [f'{name} at {rate:,.0f} req/s' for name, rate in (('the run', constant_rate), ('/health/live', live_rate))
               if rate < 0.95 * constant_rate_asked(constant)]
    invalid_rate = ('errors in the constant-rate run' if constant['errors']
                    else 'the generator fell behind its rate: ' + ', '.join(starved) if starved else None)
    measured = [
        ('case 1 first disables / floor', *ratio_of('1 '), '>=', 0.80),
        ('case 3 UserNotFound / floor', *ratio_of('3 '), '>=', 0.85),
        ('HTTPS / plain, first disables (median of the case 7 / case 6 pairs)', statistics.median(https_ratios),
         https_invalid, '>=', 0.85),
        ('constant-rate p99 / /health/live p99', constant['p99'] / live_p99, invalid_rate, '<=', 2.0),
        ('cold start, first 5 s / warm case 1', *ratio_of('cold start'), None, None),
        ('gateway RSS under load, MB', float(rss_mb), None, '<=', 256),
        ('ready, class-data archive, median ms', median(startups_cds), None, '<=', 1000),
        ('ready, no archive, median ms', median(startups_no_cds), None, '<=', 1500),
    ]
    return [{'target': name, 'value': value, 'op': op, 'limit': limit, 'invalid': invalid,
             'pass': None if op is None else (not invalid and (value >= limit if op == '>=' else value <= limit))}
            for name, value, invalid, op, limit in measured]


def https_pairs(rows):
    """Each round of case 7 over its case 6 partner, in run order, and why they cannot count (unexpected answers)."""
    by_case = {r['case']: r for r in rows}
    pairs = [(r, by_case[r['vs']]) for r in rows if r['case'].startswith('7 ') and r['vs']]
    return [versus(r, by_case) for r, _ in pairs], errors_in([x for pair in pairs for x in pair])


def errors_in(rows):
    """Why these rows' ratios cannot count (rows with unexpected answers), or None."""
    faulty = [x['case'] for x in rows if x['errors']]
    return f"errors in {', '.join(faulty)}" if faulty else None


def https_md(rows_path):
    ratios, _ = https_pairs(read_rows(rows_path))
    return (f"- HTTPS / plain per pair, in run order: {', '.join(f'{r:.2f}' for r in ratios)} "
            f"(median {statistics.median(ratios):.2f})")


def constant_rate_asked(constant):
    """The rate in the constant-rate row's name ("constant 5000/s, ...")."""
    return int(re.match(r'constant (\d+)/s', constant['case']).group(1))


def verdict(t):
    if t.get('invalid'):
        return f"FAIL ({t['invalid']})"
    return 'reported' if t['pass'] is None else ('PASS' if t['pass'] else 'FAIL')


def figure(value):
    return f'{value:.2f}' if value < 10 else f'{value:,.0f}'


def targets_md(targets_path):
    with open(targets_path) as file:
        measured = json.load(file)
    lines = ['| target | measured | limit | |', '|---|---:|---:|---|']
    for t in measured:
        limit = '' if t['op'] is None else f"{t['op']} {figure(t['limit'])}"
        lines.append(f"| {t['target']} | {figure(t['value'])} | {limit} | {verdict(t)} |")
    return '\n'.join(lines)


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return ''
    low, high = min(values), max(values)
    return figure(low) if figure(low) == figure(high) else f'{figure(low)} - {figure(high)}'


def summary(*run_dirs):
    """Per row: the range of req/s and of its ratio over the runs; per target: each run's figure and verdict."""
    runs = [read_rows(f'{d}/rows') for d in run_dirs]
    lines = [f'{len(run_dirs)} runs: ' + ', '.join(run_dirs), '',
             '| case | req/s (min - max) | vs (min - max) | reference |', '|---|---:|---:|---|']
    for r in runs[0]:
        if 'warm-up' in r['case']:
            continue
        same = [next((x for x in rows if x['case'] == r['case']), None) for rows in runs]
        ratios = [versus(x, {y['case']: y for y in rows}) for x, rows in zip(same, runs) if x]
        lines.append(f"| {r['case']} | {spread([x['rps'] for x in same if x])} | {spread(ratios)} | {r['vs'] or ''} |")
    lines += ['', '| target | limit | ' + ' | '.join(f'run {i + 1}' for i in range(len(run_dirs))) + ' |',
              '|---|---:|' + '---|' * len(run_dirs)]
    measured = []
    for d in run_dirs:
        with open(f'{d}/targets.json') as file:
            measured.append(json.load(file))
    for i, t in enumerate(measured[0]):
        limit = '' if t['op'] is None else f"{t['op']} {figure(t['limit'])}"
        cells = [f"{figure(m[i]['value'])} {verdict(m[i])}" for m in measured]
        lines.append(f"| {t['target']} | {limit} | " + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def stages(rounds_path, ticks_per_second, *scrapes):
    """Per server: req/s as a ratio to the floor's in the same round, and CPU per request (median, range)."""
    for named in scrapes:
        name, _, scraped = named.partition('=')
        counts = {outcome: n for outcome, n in json.loads(scraped)['outcomes'].items() if n}
        if set(counts) != {'UserNotFoundException'}:
            raise SystemExit(f'{name}: outcomes {counts}, not UserNotFoundException only')
    runs = {}
    with open(rounds_path) as lines:
        for line in lines:
            round_no, server, ticks, result = line.rstrip('\n').split('\t')
            fields = dict(field.split('=') for field in result.split()[1:])
            requests, seconds = int(fields['requests']), int(fields['duration_us']) / 1e6
            runs.setdefault(server, {})[round_no] = (requests / seconds,
                                                     int(ticks) / int(ticks_per_second) * 1e6 / requests)
    floor = runs['floor']
    lines = ['| server | req/s vs the floor (median, range) | CPU µs per request (median, range) |', '|---|---:|---:|']
    for server, by_round in runs.items():
        ratios = sorted(rps / floor[r][0] for r, (rps, _) in by_round.items())
        cpu = sorted(us for _, us in by_round.values())
        lines.append(f'| {server} | {figure(ratios[len(ratios) // 2])} ({spread(ratios)}) | '
                     f'{cpu[len(cpu) // 2]:.1f} ({cpu[0]:.1f} - {cpu[-1]:.1f}) |')
    return '\n'.join(lines)


if __name__ == '__main__':
    command, args = sys.argv[1], sys.argv[2:]
    if command == 'scrape':
        print(json.dumps(scrape(sys.stdin.read())))
    elif command == 'row':
        print(json.dumps(row(*args)))
    elif command == 'redis-rps':
        print(f'{redis_rps(*args):.0f}')
    elif command == 'live':
        print(live(*args))
    elif command == 'targets':
        print(json.dumps(targets(*args)))
    elif command == 'https':
        print(https_md(*args))
    elif command == 'targets-md':
        print(targets_md(*args))
    elif command == 'summary':
        print(summary(*args))
    elif command == 'stages':
        print(stages(*args))
    elif command == 'table':
        print(table(*args))
    else:
        raise SystemExit(__doc__)
