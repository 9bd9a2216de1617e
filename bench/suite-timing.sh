#!/usr/bin/env bash
# Where `./mvnw verify` spends its time: wall and CPU time, the reactor's per-module times (modules run in parallel,
# .mvn/maven.config), then the slowest test classes (Surefire and Failsafe reports) with their test counts.
# Writes bench/target/suite-timing.txt.
# Usage: bench/suite-timing.sh [--clean | --no-run]   (--clean: `clean verify`; --no-run: the last build's reports)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bin/jdk-home); export JAVA_HOME
out=$(mktemp)
log=$(mktemp)
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
