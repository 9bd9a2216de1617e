#!/usr/bin/env bash
# The performance harnesses (docs/performance.md has their figures and what each measures).
# Usage: bench/run.sh cold [runs per batch] [batches]      time to first answer under the RIC (default 7 x 3)
#        bench/run.sh warm [invocations] [round size]      warm invocations under the RIC (default 1000, 100)
#        bench/run.sh priming [runs]                       first invocation after a primed vs an unprimed init
#        bench/run.sh throughput [approvals] [concurrency] [rounds] [pool size] [warm-ups]  Data API alone vs the whole local stack
#        bench/run.sh plans [calls] [more SQL]             PostgreSQL's planning and execution of the conflict path's statements
#        bench/run.sh probe [invocations] [window] [function...]  CPU per invocation of one function JVM under the RIC, by window
#        bench/run.sh jmh [JMH options]                    CPU and allocation per decision (canned HTTP client)
#        bench/run.sh cpu [decisions per round] [rounds]   the same by thread CPU time (robust to a busy machine)
# Builds what it needs first (never installs).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bin/jdk-home); export JAVA_HOME
what=${1:?"Usage: bench/run.sh cold|warm|priming|throughput|plans|probe|cpu|jmh [arguments]"}
shift
./mvnw -q -B -DskipTests -pl bench -am package
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
case "$what" in
  cold) main=dev.approvals.bench.ColdStartBenchmark ;;
  warm) main=dev.approvals.bench.WarmBenchmark ;;
  priming) main=dev.approvals.bench.PrimingBenchmark ;;
  throughput) main=dev.approvals.bench.ThroughputBenchmark ;;
  plans) main=dev.approvals.bench.StatementPlans ;;
  probe) main=dev.approvals.bench.FunctionCpuProbe ;;
  cpu) exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$cp" dev.approvals.bench.jmh.DecisionCpu "$@" ;;
  jmh) exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$@" ;;
  *) echo "Unknown harness: $what" >&2; exit 2 ;;
esac
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -cp "$cp" "$main" "$@"
