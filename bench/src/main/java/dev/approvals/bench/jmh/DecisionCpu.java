package dev.approvals.bench.jmh;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The same decision as {@link DecisionBenchmark}, measured by the thread's own CPU time and allocated bytes rather
 * than by wall time, so that other processes on the machine (a shared build machine) do not inflate it: JMH's
 * average time is wall time, which on a busy 2-core machine counts the time the thread waited for a core.
 * <pre>bench/run.sh cpu [decisions per round] [rounds]                    (this JVM's flags: full tiering)
 * JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" bench/run.sh cpu   (C1 only, as on Lambda)</pre>
 * Warm-up: as many decisions as one round, twice; then the rounds, each reporting CPU and bytes per decision; the
 * median round is the figure.
 */
public final class DecisionCpu {

    private DecisionCpu() {
    }

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        System.out.printf(Locale.ROOT, "Decision CPU per call (thread CPU time, allocated bytes); %s; flags %s%n",
                dev.approvals.bench.Machine.describe(), ManagementFactory.getRuntimeMXBean().getInputArguments());
        for (String outcome : List.of("won", "conflict")) {
            DecisionBenchmark benchmark = new DecisionBenchmark();
            benchmark.outcome = outcome;
            benchmark.setUp();
            for (int i = 0; i < 2 * perRound; i++) {
                benchmark.decision();
            }
            List<double[]> results = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long bytes = threads.getThreadAllocatedBytes(thread);
                for (int i = 0; i < perRound; i++) {
                    benchmark.decision();
                }
                results.add(new double[]{(threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / perRound,
                        (threads.getThreadAllocatedBytes(thread) - bytes) / 1024.0 / perRound});
            }
            results.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] median = results.get(rounds / 2);
            System.out.printf(Locale.ROOT, "%-8s CPU per decision: median %.1f µs (min %.1f, max %.1f); allocated %.1f KB%n",
                    outcome, median[0], results.getFirst()[0], results.getLast()[0], median[1]);
        }
    }
}
