package dev.approvals.bench;

import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.LambdaFunction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first invocation of a function after an unprimed init (on demand: no CRaC hook is registered) and after a
 * primed one (a SnapStart init: the runtime runs the hook before the checkpoint; locally no snapshot is taken, the
 * same JVM goes on), alternating, each a fresh JVM under the Runtime Interface Client answering its sample event
 * (approve decides a pending approval). On Lambda the primed init happens once per published version, and every
 * restore starts where it ended.
 * <pre>bench/run.sh priming [runs] [function ...]</pre>
 * Functions by name, approve by default; several are measured in turns.
 */
public final class PrimingBenchmark {

    private record Run(double initMs, double firstInvokeMs) {
    }

    private PrimingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<BenchFunction> functions = args.length > 1
                ? Arrays.stream(args).skip(1).map(BenchFunction::named).toList() : List.of(BenchFunction.APPROVE);
        try (RicHarness harness = new RicHarness()) {
            ColdStartBenchmark.Report report = new ColdStartBenchmark.Report(
                    harness.root().resolve("bench/target/priming.txt"));
            report.line("First invocation after an unprimed and a primed init, %d runs each, alternating; %s", runs,
                    Machine.describe());
            Map<BenchFunction, List<Run>> unprimed = new LinkedHashMap<>();
            Map<BenchFunction, List<Run>> primed = new LinkedHashMap<>();
            for (BenchFunction function : functions) {
                firstInvocation(harness, function, false); // untimed warm-up of the page cache and the Data API
                unprimed.put(function, new ArrayList<>());
                primed.put(function, new ArrayList<>());
            }
            for (int i = 0; i < runs; i++) {
                for (BenchFunction function : functions) {
                    unprimed.get(function).add(firstInvocation(harness, function, false));
                    primed.get(function).add(firstInvocation(harness, function, true));
                }
            }
            report.line("%n| function | init | init, median | first invocation (Duration), median | min-max |");
            report.line("|---|---|---|---|---|");
            for (BenchFunction function : functions) {
                row(report, function, "on demand (unprimed)", unprimed.get(function));
                row(report, function, "SnapStart init (primed before the checkpoint)", primed.get(function));
            }
            harness.dataApi().close(); // its server and PostgreSQL: with them stopped the JVM ends by itself
        }
    }

    private static Run firstInvocation(RicHarness harness, BenchFunction function, boolean snapStart) {
        harness.pending(function);
        try (LambdaFunction pool = harness.start(function, 1, Map.of(), snapStart)) {
            double initMs = pool.environments().getFirst().initDurationMs();
            InvocationResult first = harness.invoke(pool, function, function.status());
            return new Run(initMs, first.durationMs());
        }
    }

    private static void row(ColdStartBenchmark.Report report, BenchFunction function, String init, List<Run> runs)
            throws Exception {
        List<Double> first = runs.stream().map(Run::firstInvokeMs).toList();
        report.line("| %s | %s | %.0f ms | %.0f ms | %.0f-%.0f ms |", function.name(), init,
                Stats.median(runs.stream().map(Run::initMs).toList()), Stats.median(first),
                first.stream().mapToDouble(d -> d).min().orElseThrow(), first.stream().mapToDouble(d -> d).max().orElseThrow());
    }
}
