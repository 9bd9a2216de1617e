package dev.approvals.bench.jmh;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The same decision as {@link DecisionBenchmark}, measured by the thread's own CPU time and allocated bytes rather
 * than by wall time, so that other processes on the machine (a shared build machine) do not inflate it: JMH's
 * average time is wall time, which on a busy 2-core machine counts the time the thread waited for a core. The floor
 * baseline's handler ({@link FloorDecision}) runs in the same loop over the same canned HTTP client, its rounds
 * alternating with approve's, as the same-machine reference; the JVM's CPU time (all threads: the SDK's own threads,
 * but also the compiler's and the collector's) and that of its other Java threads (the SDK's call timers,
 * not the compiler or the collector) are reported next to the calling thread's.
 * <pre>bench/run.sh cpu [decisions per round] [rounds]                    (this JVM's flags: full tiering)
 * JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" bench/run.sh cpu   (C1 only, as on Lambda)</pre>
 * Warm-up: as many decisions as one round, twice, each subject; then the rounds, each reporting CPU and bytes per
 * decision; the median round is the figure.
 */
public final class DecisionCpu {

    /** Something that decides once per call. */
    interface Subject {
        void decide() throws Exception;
    }

    private record Named(String name, Subject subject) {
    }

    private DecisionCpu() {
    }

    /**
     * The CPU time so far of every live Java thread but this one: the SDK's own threads (its call timers) and the
     * JDK's, not the compiler's or the collector's, which the JVM's figure also counts.
     */
    private static long othersCpu(com.sun.management.ThreadMXBean threads, long self) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = id == self ? -1 : threads.getThreadCpuTime(id);
            total += Math.max(cpu, 0);
        }
        return total;
    }

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long thread = Thread.currentThread().threadId();
        System.out.printf(Locale.ROOT, "Decision CPU per call (thread CPU time, allocated bytes; the JVM's CPU time"
                + " and other Java threads' in brackets); %s; flags %s%n", dev.approvals.bench.Machine.describe(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        for (String outcome : List.of("won", "conflict")) {
            DecisionBenchmark benchmark = new DecisionBenchmark();
            benchmark.outcome = outcome;
            benchmark.setUp();
            FloorDecision floor = new FloorDecision(outcome.equals("won"));
            List<Named> subjects = List.of(new Named(outcome, benchmark::decision),
                    new Named("floor " + outcome, floor::decide));
            for (Named named : subjects) {
                for (int i = 0; i < 2 * perRound; i++) {
                    named.subject().decide();
                }
            }
            List<List<double[]>> results = new ArrayList<>();
            subjects.forEach(s -> results.add(new ArrayList<>()));
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < subjects.size(); s++) {
                    Subject subject = subjects.get(s).subject();
                    long jvm = process.getProcessCpuTime();
                    long others = othersCpu(threads, thread);
                    long cpu = threads.getCurrentThreadCpuTime();
                    long bytes = threads.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < perRound; i++) {
                        subject.decide();
                    }
                    results.get(s).add(new double[]{(threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / perRound,
                            (threads.getThreadAllocatedBytes(thread) - bytes) / 1024.0 / perRound,
                            (process.getProcessCpuTime() - jvm) / 1000.0 / perRound,
                            (othersCpu(threads, thread) - others) / 1000.0 / perRound});
                }
                ratios.add(results.get(0).getLast()[0] / results.get(1).getLast()[0]);
            }
            for (int s = 0; s < subjects.size(); s++) {
                List<double[]> sorted = new ArrayList<>(results.get(s));
                sorted.sort((a, b) -> Double.compare(a[0], b[0]));
                double[] median = sorted.get(rounds / 2);
                System.out.printf(Locale.ROOT, "%-14s CPU per decision: median %.1f µs (min %.1f, max %.1f) [JVM %.1f µs,"
                        + " other Java threads %.1f µs]; allocated %.1f KB%n", subjects.get(s).name(), median[0],
                        sorted.getFirst()[0], sorted.getLast()[0], median[2], median[3], median[1]);
            }
            ratios.sort(Double::compare);
            System.out.printf(Locale.ROOT, "%-14s approve ÷ floor, per round: median %.2f (min %.2f, max %.2f)%n",
                    outcome, ratios.get(rounds / 2), ratios.getFirst(), ratios.getLast());
        }
    }
}
