#!/usr/bin/env python3
"""selftest.py - the live fuzzer's planted-bug self-test and oracle controls.

  selftest.py plants   --siospec BIN [options]
      For each plant of plants.tsv (or --plants) and each seed, runs
      `siospec fuzz --target planted.json` with SIOSPEC_PLANT set and a fixed
      budget. A plant is FOUND in a run when the campaign reports a finding of
      the plant's class whose reproducer `siospec replay` confirms on the
      planted server and does not reproduce on the faithful one (the same
      server with SIOSPEC_PLANT unset): the finding is the plant's, not the
      base implementation's. The campaign is stopped as soon as that holds.
      Then a campaign against the faithful fixture must report no finding
      (except the base implementation's own, listed in faithful-known.tsv).
      must-find.txt lists the plants the engine must find: a listed plant
      fails when a seed misses it; an unlisted one found by some seeds is
      reported as such (list it once every seed finds it). Prints time to finding per plant and
      seed, the medians, cases/s, and "N passed, N failed".

  selftest.py controls --siospec BIN [options]
      The hang and leak oracles against real versions: sio4-eio666
      (engine.io 6.6.6, CVE-2026-59725: request hang) must give a
      hang-request finding, sio4-parser425 (socket.io-parser 4.2.5,
      CVE-2026-33151: attachment buffering) a leak-memory finding, each with
      a reproducer that replays on that target and not on sio4; and a
      campaign against sio4 (the current release) must flag neither class
      (except socket.io 4.8.4's own findings of faithful-known.tsv).
      must-find.txt says which controls the engine must flag today
      ("control:NAME" lines); a listed control that is not flagged fails.

  selftest.py triggers --siospec BIN
      Checks the fixture itself, without the generator: the hand-written
      trigger of every plant (triggers/PLANT.repro) reproduces with the plant
      and not without it; the leak triggers grow the server's memory,
      threads or fds (measured in /proc) with the plant and not without it.

Options: --targets-dir DIR (bundled targets; default: the repository's),
--seeds 1,2,3, --budget 25s (wall time per campaign), --max-cases N,
--faithful 20s (0: skip), --plants a,b, --must-find FILE, --out DIR,
--report FILE.md (a Markdown table of the results), --fuzz-arg ARG (passed
to every `siospec fuzz`, repeatable). Exit status: 0 all passed, 1 a check
failed, 2 usage error.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '../../..'))
FIXTURE = os.path.join(HERE, 'planted.json')

# Campaign settings shared by every run: short minimisation, 1 s request
# bound (as live_selftest.sh), frequent resource samples so that a leak can
# show within the budget.
FUZZ_COMMON = ['--min-time', '3s', '--request-ms', '1000', '--sample-every', '2s']

# The oracle controls: target, the class it must be flagged for, the CVE.
CONTROLS = [
    ('sio4-eio666', 'hang-request', 'CVE-2026-59725 (engine.io 6.6.6)'),
    ('sio4-parser425', 'leak-memory', 'CVE-2026-33151 (socket.io-parser 4.2.5)'),
]

FINDING_RE = re.compile(r'^fuzz: finding (\d+): ([a-z-]+): (.*) \(case (\d+), ([0-9.]+) s\)$')
PROGRESS_RE = re.compile(r'^fuzz: (\d+) cases, ([0-9.]+) cases/s')
EXPECT_RE = re.compile(r'^expect ([a-z-]+)(?: "(.*)")?\s*$', re.M)


def log(msg=''):
    print(msg, flush=True)


def parse_duration(s):
    m = re.fullmatch(r'([0-9.]+)(ms|s|m)?', s)
    if not m:
        raise argparse.ArgumentTypeError(f'bad duration {s!r}')
    v = float(m.group(1))
    return v / 1000 if m.group(2) == 'ms' else v * 60 if m.group(2) == 'm' else v


def read_plants():
    plants = []
    with open(os.path.join(HERE, 'plants.tsv'), encoding='utf-8') as f:
        for line in f.read().splitlines()[1:]:
            if line.strip():
                name, cls, trigger = line.split('\t', 2)
                plants.append({'name': name, 'cls': cls, 'trigger': trigger})
    return plants


def read_list(path):
    """Names in a must-find style file: one per line, '#' comments."""
    names = []
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if line:
                    names.append(line)
    return names


def read_known(path):
    """faithful-known.tsv: class<TAB>signature regex<TAB>reason."""
    known = []
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.startswith('#') or not line.strip():
                    continue
                cls, sig, _ = (line.rstrip('\n').split('\t') + ['', ''])[:3]
                known.append((cls, re.compile(sig)))
    return known


def fmt_t(t):
    return '-' if t is None else f'{t:.1f}'


class Server:
    """Where a campaign or a replay runs: a target plus its environment."""

    def __init__(self, target, targets_dir, plant=None):
        self.target = target
        self.targets_dir = targets_dir
        self.plant = plant

    def env(self):
        e = dict(os.environ)
        e.pop('SIOSPEC_PLANT', None)
        if self.plant:
            e['SIOSPEC_PLANT'] = self.plant
        return e

    def args(self):
        return ['--target', self.target, '--targets-dir', self.targets_dir]


def replay(opts, repro, server, times=1):
    """Exit status of `siospec replay` (1: reproduces, 0: does not)."""
    cmd = [opts.siospec, 'replay', repro, *server.args(), '--times', str(times),
           '--request-ms', '1000']
    try:
        p = subprocess.run(cmd, env=server.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=180, check=False)
    except subprocess.TimeoutExpired:
        return -1
    with open(repro + '.replay.txt', 'ab') as f:
        f.write(f'$ {" ".join(cmd)}  (SIOSPEC_PLANT={server.plant or ""})\n'.encode())
        f.write(p.stdout)
    return p.returncode


def repro_expect(path):
    """(class, signature) of a reproducer's expect line, or (None, None)."""
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            m = EXPECT_RE.search(f.read())
    except OSError:
        return None, None
    return (m.group(1), m.group(2)) if m else (None, None)


class Campaign:
    """One `siospec fuzz` run, watched: it stops early once a finding of
    class |cls| has a reproducer that verify(repro) accepts."""

    def __init__(self, opts, server, seed, out, cls, verify):
        self.opts, self.server, self.seed, self.out = opts, server, seed, out
        self.cls, self.verify = cls, verify
        self.lines = []          # (wall time, stderr line)
        self.found = None        # dict when a verified finding came in
        self.candidates = []     # reproducers of the class that did not verify
        self.rate = None
        self.cases = None
        self.killed = False

    def _reader(self, stream):
        for raw in iter(stream.readline, b''):
            line = raw.decode('utf-8', 'replace').rstrip('\n')
            self.lines.append((time.monotonic(), line))
            m = PROGRESS_RE.match(line)
            if m:
                self.cases, self.rate = int(m.group(1)), float(m.group(2))

    def finding_line(self, fid):
        for _, line in self.lines:
            m = FINDING_RE.match(line)
            if m and int(m.group(1)) == fid:
                return m
        return None

    def run(self):
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out)
        cmd = [self.opts.siospec, 'fuzz', *self.server.args(), '--seed', str(self.seed),
               '--duration', f'{self.opts.budget:g}s', *FUZZ_COMMON, '--out', self.out,
               '--case-log', *self.opts.fuzz_arg]
        if self.opts.max_cases:
            cmd += ['--max-cases', str(self.opts.max_cases)]
        self.t0 = time.monotonic()
        with open(os.path.join(self.out, 'stdout.txt'), 'wb') as so:
            p = subprocess.Popen(cmd, env=self.server.env(), stdout=so, stderr=subprocess.PIPE)
            reader = threading.Thread(target=self._reader, args=(p.stderr,), daemon=True)
            reader.start()
            seen, sizes = set(), {}
            hard = self.t0 + self.opts.budget + 240  # replays and minimisation run past --duration
            while True:
                done = p.poll() is not None
                for name in sorted(os.listdir(self.out)):
                    if not re.fullmatch(r'finding-\d+\.repro', name) or name in seen:
                        continue
                    path = os.path.join(self.out, name)
                    size = os.path.getsize(path)
                    if sizes.get(name) != size and not done:  # still being written
                        sizes[name] = size
                        continue
                    seen.add(name)
                    self._consider(path, int(name[8:11]))
                    if self.found:
                        break
                if self.found and not done:
                    self.killed = True
                    p.send_signal(signal.SIGTERM)  # siospec stops its server on SIGTERM
                if done or self.found:
                    break
                if time.monotonic() > hard:
                    self.killed = True
                    p.send_signal(signal.SIGTERM)
                    break
                time.sleep(0.25)
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            reader.join(timeout=5)
        self.wall = time.monotonic() - self.t0
        self._report()
        self._fill_time()
        return self

    def _consider(self, path, fid):
        cls, sig = repro_expect(path)
        if cls != self.cls:
            return
        if self.verify(path):
            m = self.finding_line(fid)
            self.found = {'repro': path, 'sig': sig, 'fid': fid,
                          't': float(m.group(5)) if m else None,
                          'case': int(m.group(4)) if m else None,
                          'seen': time.monotonic() - self.t0}
        else:
            self.candidates.append(path)

    def _report(self):
        """Fills the figures from findings.json when the campaign ended on
        its own (a stopped campaign writes no report)."""
        self.report = None
        try:
            with open(os.path.join(self.out, 'findings.json'), encoding='utf-8') as f:
                self.report = json.load(f)
        except (OSError, ValueError):
            return
        self.rate = self.report.get('cases_per_s', self.rate)
        self.cases = self.report.get('cases', self.cases)

    def _fill_time(self):
        """Time to finding when no progress line gave it: the report's, else
        the wall time at which the reproducer appeared (an upper bound)."""
        if not self.found or self.found['t'] is not None:
            return
        for f in (self.report or {}).get('findings', []):
            if f.get('id') == self.found['fid']:
                self.found['t'] = f.get('time_to_finding_ms', 0) / 1000
                self.found['case'] = f.get('first_case')
                return
        self.found['t'] = self.found['seen']

    def unreplayable(self):
        """Findings of the class without a reproducer (campaign-level)."""
        if not self.report:
            return []
        return [f for f in self.report.get('findings', [])
                if f.get('class') == self.cls and not f.get('reproducer')]

    def findings(self):
        if self.report:
            return self.report.get('findings', [])
        out = []
        for _, line in self.lines:
            m = FINDING_RE.match(line)
            if m:
                out.append({'class': m.group(2), 'signature': m.group(3),
                            'time_to_finding_ms': int(float(m.group(5)) * 1000)})
        return out


# ---------------------------------------------------------------------------
# plants


def run_plants(opts):
    plants = read_plants()
    if opts.plants:
        want = opts.plants.split(',')
        unknown = [p for p in want if p not in {x['name'] for x in plants}]
        if unknown:
            log(f'selftest: unknown plant(s): {", ".join(unknown)}')
            return 2
        plants = [p for p in plants if p['name'] in want]
    must = set(read_list(opts.must_find))
    known = read_known(os.path.join(HERE, 'faithful-known.tsv'))
    fixture = os.path.abspath(opts.fixture)
    log(f'selftest: {len(plants)} plants x seeds {",".join(map(str, opts.seeds))}, '
        f'budget {opts.budget:g} s per campaign{f", at most {opts.max_cases} cases" if opts.max_cases else ""}; '
        f'must find: {", ".join(sorted(p for p in must if not p.startswith("control:"))) or "none"}')
    results = []  # (plant, seed, campaign)
    for pl in plants:
        planted = Server(fixture, opts.targets_dir, pl['name'])
        faithful = Server(fixture, opts.targets_dir, None)

        def verify(repro, planted=planted, faithful=faithful):
            return replay(opts, repro, planted, 2) == 1 and replay(opts, repro, faithful, 2) == 0

        for seed in opts.seeds:
            out = os.path.join(opts.out, f'{pl["name"]}-seed{seed}')
            c = Campaign(opts, planted, seed, out, pl['cls'], verify).run()
            results.append((pl, seed, c))
            note = ''
            if c.found:
                what = f'FOUND after {fmt_t(c.found["t"])} s (case {c.found["case"]})'
                note = f'  {os.path.relpath(c.found["repro"], opts.out)}'
            elif c.unreplayable():
                f = c.unreplayable()[0]
                what = (f'not found: {pl["cls"]} seen at {f["time_to_finding_ms"] / 1000:.1f} s '
                        f'but campaign-level, no reproducer')
            elif c.candidates:
                what = f'not found ({len(c.candidates)} {pl["cls"]} reproducer(s) did not verify)'
            else:
                what = 'not found'
            speed = f'{c.cases} cases, {c.rate:.1f} cases/s, ' if c.rate is not None else ''
            log(f'  {pl["name"]:<24} {pl["cls"]:<26} seed {seed}: {what}; {speed}'
                f'{c.wall:.0f} s wall{note}')

    faithful_ok, faithful_line = True, None
    if opts.faithful > 0:
        out = os.path.join(opts.out, 'faithful')
        fopts = argparse.Namespace(**vars(opts))
        fopts.budget, fopts.max_cases = opts.faithful, 0
        c = Campaign(fopts, Server(fixture, opts.targets_dir, None), opts.seeds[0], out,
                     '-', lambda r: False).run()
        bad = [f for f in c.findings()
               if not any(k[0] == f['class'] and k[1].search(f['signature']) for k in known)]
        inherited = len(c.findings()) - len(bad)
        faithful_ok = not bad
        faithful_line = (f'faithful fixture, seed {opts.seeds[0]}, {opts.faithful:g} s: '
                         f'{c.cases} cases, {len(bad)} finding(s)'
                         f'{f" (+{inherited} known of the base implementation)" if inherited else ""}')
        for f in bad:
            faithful_line += f'\n    {f["class"]}: {f["signature"]}'

    return summarise_plants(opts, plants, must, results, faithful_ok, faithful_line)


def summarise_plants(opts, plants, must, results, faithful_ok, faithful_line):
    log('')
    log(f'{"plant":<24} {"class":<26} {"found":>6} {"median s":>9} {"times (s) per seed":<24} verdict')
    passed = failed = 0
    rows = []
    all_times = []
    for pl in plants:
        rs = [(s, c) for p, s, c in results if p is pl]
        times = [c.found['t'] for _, c in rs if c.found and c.found['t'] is not None]
        nfound = sum(1 for _, c in rs if c.found)
        all_times += times
        listed = pl['name'] in must
        if listed:
            ok = nfound == len(rs)
            why = 'must find: ok' if ok else f'FAIL: listed in must-find.txt, missed by {len(rs) - nfound} seed(s)'
        else:
            # Found by some seeds only: reported, not required (a list
            # entry must hold for every seed, or CI would flake).
            ok = True
            why = 'not listed: ok (not found)' if nfound == 0 else \
                f'not listed: found by {nfound}/{len(rs)} seed(s) (list it once every seed finds it)'
        passed, failed = passed + ok, failed + (not ok)
        med = statistics.median(times) if times else None
        per_seed = ' '.join(f'{s}:{fmt_t(c.found["t"]) if c.found else "-"}' for s, c in rs)
        log(f'{pl["name"]:<24} {pl["cls"]:<26} {nfound:>2}/{len(rs):<3} {fmt_t(med):>9} {per_seed:<24} {why}')
        rows.append((pl, nfound, len(rs), med, per_seed, ok, why))
    # Throughput: campaigns that ran their whole budget (a stopped one ends
    # with replays and minimisation, which are not cases).
    rates = [c.rate for _, _, c in results if c.rate and not c.killed]
    whole = bool(rates)
    rates = rates or [c.rate for _, _, c in results if c.rate]
    log('')
    if all_times:
        log(f'time to finding: median {statistics.median(all_times):.1f} s over {len(all_times)} '
            f'finding(s)')
    if rates:
        log(f'speed: {statistics.median(rates):.1f} cases/s (median over {len(rates)} campaign(s)'
            f'{" that ran their whole budget" if whole else ", all stopped early"})')
    if faithful_line is not None:
        log(('' if faithful_ok else 'FAIL: ') + faithful_line)
        passed, failed = passed + faithful_ok, failed + (not faithful_ok)
    if opts.report:
        write_report(opts, rows, all_times, rates, faithful_line)
    log(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 else 1


def write_report(opts, rows, all_times, rates, faithful_line):
    with open(opts.report, 'w', encoding='utf-8') as f:
        f.write(f'Seeds {", ".join(map(str, opts.seeds))}; budget {opts.budget:g} s per campaign.\n\n')
        f.write('| plant | class | found (seeds) | median time to finding | per seed (s) |\n')
        f.write('| --- | --- | --- | --- | --- |\n')
        for pl, nfound, n, med, per_seed, _, _ in rows:
            f.write(f'| `{pl["name"]}` | {pl["cls"]} | {nfound}/{n} | '
                    f'{fmt_t(med) + " s" if med is not None else "-"} | {per_seed} |\n')
        f.write('\n')
        if all_times:
            f.write(f'Median time to finding: {statistics.median(all_times):.1f} s. ')
        if rates:
            f.write(f'Speed: {statistics.median(rates):.1f} cases/s (median over campaigns).')
        f.write('\n')
        if faithful_line:
            f.write(f'\n{faithful_line}\n')


# ---------------------------------------------------------------------------
# controls


def run_controls(opts):
    must = set(n[len('control:'):] for n in read_list(opts.must_find) if n.startswith('control:'))
    passed = failed = 0
    log(f'selftest controls: budget {opts.budget:g} s per campaign, seed {opts.seeds[0]}; '
        f'must flag: {", ".join(sorted(must)) or "none"}')
    sio4 = Server('sio4', opts.targets_dir)
    for name, cls, what in CONTROLS:
        bad = Server(name, opts.targets_dir)

        def verify(repro, bad=bad):
            return replay(opts, repro, bad, 2) == 1 and replay(opts, repro, sio4, 2) == 0

        c = Campaign(opts, bad, opts.seeds[0], os.path.join(opts.out, name), cls, verify).run()
        if c.found:
            res = f'flagged: {cls} after {fmt_t(c.found["t"])} s (case {c.found["case"]}), ' \
                  f'reproducer replays on {name} and not on sio4'
        elif c.unreplayable():
            res = f'{cls} seen at {c.unreplayable()[0]["time_to_finding_ms"] / 1000:.1f} s ' \
                  f'but without a reproducer: not counted'
        else:
            res = f'not flagged ({cls}) in {c.cases} cases'
        listed = name in must
        ok = bool(c.found) or not listed
        why = ('ok' if ok and (listed or not c.found) else
               'ok (flagged, not listed: list control:' + name + ' once it holds)' if ok else
               'FAIL: listed in must-find.txt but not flagged')
        speed = f'; {c.rate:.1f} cases/s' if c.rate is not None else ''
        log(f'  {name:<16} {what}: {res}{speed} -> {why}')
        others = sorted({(f['class'], f['signature']) for f in c.findings() if f['class'] != cls})
        for ocls, osig in others:
            log(f'      (also, not counted for this oracle: {ocls}: {osig})')
        passed, failed = passed + ok, failed + (not ok)

    # The current release: neither class may be flagged.
    classes = {cls for _, cls, _ in CONTROLS}
    c = Campaign(opts, sio4, opts.seeds[0], os.path.join(opts.out, 'sio4'), '-',
                 lambda r: False).run()
    # socket.io 4.8.4's own findings (faithful-known.tsv, each checked on
    # sio4 with its reason) are the release's, not false alarms.
    known = read_known(os.path.join(HERE, 'faithful-known.tsv'))
    hits = [f for f in c.findings() if f['class'] in classes and
            not any(k == f['class'] and rx.search(f['signature']) for k, rx in known)]
    ok = not hits
    log(f'  {"sio4":<16} current release: {c.cases} cases, '
        f'{"no " + " / ".join(sorted(classes)) + " finding" if ok else "FAIL: flagged"}'
        + ''.join(f'\n      {f["class"]}: {f["signature"]}' for f in hits))
    passed, failed = passed + ok, failed + (not ok)
    log(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 else 1


# ---------------------------------------------------------------------------
# triggers (the fixture's own check)

# Leak triggers: the resource, and the growth the plant must cause.
LEAK_CHECKS = {
    'leak-join': ('rss_kb', 20000),
    'leak-fd-binary': ('fds', 50),
    'leak-thread-connect': ('threads', 10),
}


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def proc_sample(pid):
    out = {}
    with open(f'/proc/{pid}/status', encoding='utf-8') as f:
        for line in f:
            k, _, v = line.partition(':')
            if k == 'VmRSS':
                out['rss_kb'] = int(v.split()[0])
            elif k == 'Threads':
                out['threads'] = int(v.strip())
    out['fds'] = len(os.listdir(f'/proc/{pid}/fd'))
    return out


def leak_growth(opts, repro, plant):
    """Starts the fixture by hand, replays |repro| (--url), returns the growth
    of each resource measured after a 1 s idle pause."""
    port = free_port()
    env = dict(os.environ, PORT=str(port), HOST='127.0.0.1')
    env.pop('SIOSPEC_PLANT', None)
    if plant:
        env['SIOSPEC_PLANT'] = plant
    p = subprocess.Popen(['node', 'server.js'], cwd=HERE, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f'http://127.0.0.1:{port}'
        subprocess.run([opts.siospec, 'replay', repro, '--url', url], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120, check=False)  # warm-up
        time.sleep(1)
        before = proc_sample(p.pid)
        subprocess.run([opts.siospec, 'replay', repro, '--url', url, '--times', '2'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
        time.sleep(1)
        after = proc_sample(p.pid)
        return {k: after[k] - before[k] for k in before}
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=10)


def run_triggers(opts):
    passed = failed = 0
    fixture = os.path.abspath(opts.fixture)
    listed = subprocess.run(['node', 'server.js', '--list'], cwd=HERE, stdout=subprocess.PIPE,
                            check=False).stdout.decode()
    with open(os.path.join(HERE, 'plants.tsv'), encoding='utf-8') as f:
        ok = f.read() == listed
    log(f'  plants.tsv {"is" if ok else "FAIL: is not"} the output of node server.js --list')
    passed, failed = passed + ok, failed + (not ok)
    for pl in read_plants():
        repro = os.path.join(HERE, 'triggers', pl['name'] + '.repro')
        if not os.path.exists(repro):
            log(f'  {pl["name"]:<24} FAIL: no trigger file triggers/{pl["name"]}.repro')
            failed += 1
            continue
        tmp = os.path.join(opts.out, 'triggers', pl['name'] + '.repro')
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
        shutil.copy(repro, tmp)
        if pl['name'] in LEAK_CHECKS:
            key, need = LEAK_CHECKS[pl['name']]
            on, off = leak_growth(opts, tmp, pl['name']), leak_growth(opts, tmp, None)
            ok = on[key] >= need and off[key] < need / 4
            res = f'{key} +{on[key]} with the plant, +{off[key]} without (need +{need})'
        else:
            a = replay(opts, tmp, Server(fixture, opts.targets_dir, pl['name']), 2)
            b = replay(opts, tmp, Server(fixture, opts.targets_dir, None), 2)
            ok = a == 1 and b == 0
            res = f'replay exit {a} with the plant, {b} without'
        log(f'  {pl["name"]:<24} {pl["cls"]:<26} {res}: {"ok" if ok else "FAIL"}')
        passed, failed = passed + ok, failed + (not ok)
    log(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('mode', choices=['plants', 'controls', 'triggers'])
    ap.add_argument('--siospec', required=True)
    ap.add_argument('--targets-dir', default=os.path.join(REPO, 'harness/targets'))
    ap.add_argument('--fixture', default=FIXTURE)
    ap.add_argument('--seeds', default='1')
    ap.add_argument('--budget', type=parse_duration, default=25.0)
    ap.add_argument('--max-cases', type=int, default=0)
    ap.add_argument('--faithful', type=parse_duration, default=20.0)
    ap.add_argument('--plants', default='')
    ap.add_argument('--must-find', default=os.path.join(HERE, 'must-find.txt'))
    ap.add_argument('--out', default='planted-out')
    ap.add_argument('--report', default='')
    ap.add_argument('--fuzz-arg', action='append', default=[])
    opts = ap.parse_args()
    try:
        opts.seeds = [int(s) for s in opts.seeds.split(',') if s]
    except ValueError:
        ap.error('--seeds takes a comma-separated list of integers')
    if not opts.seeds:
        ap.error('--seeds is empty')
    opts.siospec = os.path.abspath(opts.siospec)
    opts.out = os.path.abspath(opts.out)
    opts.targets_dir = os.path.abspath(opts.targets_dir)
    os.makedirs(opts.out, exist_ok=True)
    return {'plants': run_plants, 'controls': run_controls, 'triggers': run_triggers}[opts.mode](opts)


if __name__ == '__main__':
    sys.exit(main())
