#!/usr/bin/env bash
# Fresh-JVM time to the first answer of the approve, read and propose functions against the local Data API.
# Usage: bench/cold-start.sh [runs]   (default 5; builds what it needs first)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bin/jdk-home); export JAVA_HOME
# One reactor build: the sibling modules resolve from it (nothing is installed into ~/.m2).
./mvnw -q -B -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.approvals.bench.ColdStartBenchmark "${1:-5}"
