package dev.approvals.bench;

import dev.approvals.local.lambda.LambdaFunction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU per invocation of one function JVM under the RIC, window by window (its process CPU from /proc, and by thread
 * name), sequential invocations on the conflict path: how the cost falls as the JVM warms up.
 * <pre>bench/run.sh probe [invocations] [window] [function...]</pre>
 * {@code -Dprobe.toolOptions=...} (through {@code JAVA_OPTS}, {@code _} for spaces) passes {@code JAVA_TOOL_OPTIONS}
 * to the function's JVM, e.g. other compiler thresholds for a diagnostic run.
 */
public final class FunctionCpuProbe {

    /** /proc counts CPU time in clock ticks, 100 a second (USER_HZ) on Linux. */
    private static final double MS_PER_TICK = 10.0;

    private FunctionCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        int invocations = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        List<BenchFunction> functions = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            functions.add(BenchFunction.named(args[i]));
        }
        if (functions.isEmpty()) {
            functions = List.of(BenchFunction.FLOOR, BenchFunction.APPROVE);
        }
        String extra = System.getProperty("probe.toolOptions", "").replace('_', ' ');
        try (RicHarness harness = new RicHarness()) {
            System.out.printf(Locale.ROOT, "Probe: %d invocations in windows of %d; JAVA_TOOL_OPTIONS=%s; %s%n",
                    invocations, window, extra, Machine.describe());
            for (BenchFunction function : functions) {
                probe(harness, function, invocations, window, extra);
            }
            harness.dataApi().close();
        }
    }

    private static void probe(RicHarness harness, BenchFunction function, int invocations, int window,
                              String toolOptions) throws Exception {
        harness.decidedByAnother(function);
        LambdaFunction pool = harness.start(function, 1, toolOptions.isEmpty() ? Map.of()
                : Map.of("JAVA_TOOL_OPTIONS", toolOptions), false);
        try {
            harness.invoke(pool, function, 409);
            long pid = pool.pids().getFirst();
            long before = ticks(pid);
            for (int done = 0; done < invocations; done += window) {
                boolean last = done + window >= invocations;
                Map<String, Long> threadsBefore = last ? threads(pid) : Map.of();
                long t0 = System.nanoTime();
                for (int i = 0; i < window; i++) {
                    harness.invoke(pool, function, 409);
                }
                long now = ticks(pid);
                System.out.printf(Locale.ROOT, "%s invocations %5d-%5d: %.2f ms CPU per invocation, %.2f ms wall;"
                                + " load %s%n", function.name(), done, done + window,
                        (now - before) * MS_PER_TICK / window, (System.nanoTime() - t0) / 1e6 / window,
                        Machine.loadAverage());
                before = now;
                if (last) {
                    threads(pid).forEach((name, t) -> {
                        long d = t - threadsBefore.getOrDefault(name, 0L);
                        if (d > 0) {
                            System.out.printf(Locale.ROOT, "   last-window thread %-24s %.3f ms per invocation%n",
                                    name, d * MS_PER_TICK / window);
                        }
                    });
                }
            }
        } finally {
            pool.close();
        }
    }

    private static long ticks(long pid) throws Exception {
        String[] f = stat(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String[] stat(Path file) throws Exception {
        String s = Files.readString(file);
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static Map<String, Long> threads(long pid) throws Exception {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String[] f = stat(task.resolve("stat"));
                    byName.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (java.io.IOException gone) {
                    // the thread ended
                }
            }
        }
        return byName;
    }

}
