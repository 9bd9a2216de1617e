#!/usr/bin/env bash
# Where `./mvnw verify` spends its time: wall and CPU time, the reactor's per-module times (modules run in parallel,
# .mvn/maven.config), then the slowest test classes (Surefire and Failsafe reports) with their test counts.
# With ACCOUNTING=1 (root, Debian's `acct` package) the build runs under process accounting, which counts what the
# CPU line cannot: the PostgreSQL servers and their backends (one process per connection), and every process by parent.
# Writes bench/target/suite-timing.txt.
# Usage: [ACCOUNTING=1] bench/suite-timing.sh [--clean | --no-run]   (--clean: `clean verify`; --no-run: the last
#        build's reports)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bin/jdk-home); export JAVA_HOME
out=$(mktemp)
log=$(mktemp)
pacct=""
if [[ "${ACCOUNTING:-}" == 1 && "${1:-}" != "--no-run" ]]; then
  command -v accton >/dev/null || { echo "ACCOUNTING=1 needs accton (apt-get install acct) and root" >&2; exit 1; }
  pacct=$(mktemp); accton "$pacct" >/dev/null
  trap 'accton off >/dev/null 2>&1 || true' EXIT
fi
if [[ "${1:-}" != "--no-run" ]]; then
  goals=verify
  [[ "${1:-}" == "--clean" ]] && goals="clean verify"
  echo "./mvnw -B $goals; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$out"
  start=$(date +%s)
  ./mvnw -B $goals > "$log" 2>&1 || { tail -50 "$log"; exit 1; }
  # CPU time of the build and every process it waited for (test JVMs, function JVMs, browsers, CLIs; not the
  # PostgreSQL servers, which pg_ctl detaches): less sensitive to other builds on the machine than wall time.
  times > "$out.times" # the shell's own builtin: in a pipeline or $(...) it would report a subshell's children
  cpu=$(tail -1 "$out.times" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%.0f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
  echo "wall time: $(( $(date +%s) - start )) s; CPU (user + sys): $cpu s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
  grep -E "^\[INFO\] Approvals.*(SUCCESS|FAILURE) \[" "$log" | sed 's/^\[INFO\] //' >> "$out"
fi
if [[ -n "$pacct" ]]; then
  accton off >/dev/null
  dump-acct "$pacct" > "$pacct.txt"
  python3 - "$pacct.txt" >> "$out" <<'PY'
import collections, sys
# dump-acct: command | version | user | system (ticks of 10 ms) | elapsed | ... | pid | ppid | ...
procs = {}
for line in open(sys.argv[1]):
    f = [x.strip() for x in line.split('|')]
    procs[int(f[9])] = dict(comm=f[0], cpu=(float(f[2]) + float(f[3])) / 100, secs=float(f[4]) / 100, ppid=int(f[10]))
children = collections.defaultdict(list)
for pid, p in procs.items():
    children[p['ppid']].append(pid)
def tree(pid):
    return procs[pid]['cpu'] + sum(tree(c) for c in children[pid])
servers = [pid for pid, p in procs.items() if p['comm'] == 'postgres' and p['ppid'] not in procs]
backends = [c for s in servers for c in children[s]]
short = sum(1 for b in backends if procs[b]['secs'] < 1)
print(f"process accounting: {len(procs)} processes, {sum(p['cpu'] for p in procs.values()):.0f} s of CPU in all; "
      f"PostgreSQL {sum(tree(s) for s in servers):.0f} s ({len(servers)} servers, {len(backends)} backends, "
      f"{short} of them living under 1 s)")
# A JVM's process is named after the thread that exits last: test JVMs are the processes Maven starts through sh.
forks = [pid for pid, p in procs.items() if procs.get(p['ppid'], {}).get('comm') == 'sh'
         and procs.get(procs[p['ppid']]['ppid'], {}).get('secs', 0) > 60 and tree(pid) >= 5]
print("test JVMs over 5 s of CPU, with what they started (function JVMs, CLIs, browsers):")
for pid in sorted(forks, key=tree, reverse=True):
    p = procs[pid]
    print(f"  {p['secs']:5.0f} s long, {p['cpu']:4.0f} s own CPU, {tree(pid):4.0f} s with its {len(children[pid])} children")
PY
fi
python3 - "$out" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
rows = []
for f in glob.glob('**/target/*-reports/TEST-*.xml', recursive=True):
    s = ET.parse(f).getroot()
    rows.append((float(s.get('time', 0)), int(s.get('tests', 0)), s.get('name'), f.split('/target/')[0]))
rows.sort(reverse=True)
with open(sys.argv[1], 'a') as out:
    out.write(f"{len(rows)} test classes, {sum(r[1] for r in rows)} tests, {sum(r[0] for r in rows):.0f} s in test classes\n")
    out.write("| test class | module | tests | seconds |\n|---|---|---|---|\n")
    for t, n, name, module in rows[:20]:
        out.write(f"| {name.rsplit('.', 1)[-1]} | {module} | {n} | {t:.1f} |\n")
PY
mkdir -p bench/target
cp "$out" bench/target/suite-timing.txt
cat "$out"
