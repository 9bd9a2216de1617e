package dev.approvals.bench;

import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.LambdaFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first invocation of approve after an unprimed init (on demand: the CRaC hook is registered, never run) and
 * after a primed one (a SnapStart init: the runtime runs the hook before the checkpoint; locally no snapshot is
 * taken, the same JVM goes on), alternating, each a fresh JVM under the Runtime Interface Client that decides a
 * pending approval. On Lambda the primed init happens once per published version, and every restore starts
 * where it ended.
 * <pre>bench/run.sh priming [runs]</pre>
 */
public final class PrimingBenchmark {

    private record Run(double initMs, double firstInvokeMs) {
    }

    private PrimingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        try (RicHarness harness = new RicHarness()) {
            ColdStartBenchmark.Report report = new ColdStartBenchmark.Report(
                    harness.root().resolve("bench/target/priming.txt"));
            report.line("Approve's first invocation after an unprimed and a primed init, %d runs each, alternating;"
                    + " %s", runs, Machine.describe());
            List<Run> unprimed = new ArrayList<>();
            List<Run> primed = new ArrayList<>();
            firstInvocation(harness, false); // untimed warm-up of the page cache and the Data API
            for (int i = 0; i < runs; i++) {
                unprimed.add(firstInvocation(harness, false));
                primed.add(firstInvocation(harness, true));
            }
            report.line("%n| init | init, median | first invocation (Duration), median | min-max |");
            report.line("|---|---|---|---|");
            row(report, "on demand (unprimed)", unprimed);
            row(report, "SnapStart init (primed before the checkpoint)", primed);
        }
        System.exit(0); // the shared local Data API stops in its shutdown hook
    }

    private static Run firstInvocation(RicHarness harness, boolean snapStart) {
        harness.pending(BenchFunction.APPROVE);
        try (LambdaFunction approve = harness.start(BenchFunction.APPROVE, 1, Map.of(), snapStart)) {
            double initMs = approve.environments().getFirst().initDurationMs();
            InvocationResult first = harness.invoke(approve, BenchFunction.APPROVE, 200);
            return new Run(initMs, first.durationMs());
        }
    }

    private static void row(ColdStartBenchmark.Report report, String name, List<Run> runs) throws Exception {
        List<Double> first = runs.stream().map(Run::firstInvokeMs).toList();
        report.line("| %s | %.0f ms | %.0f ms | %.0f-%.0f ms |", name,
                Stats.median(runs.stream().map(Run::initMs).toList()), Stats.median(first),
                first.stream().mapToDouble(d -> d).min().orElseThrow(), first.stream().mapToDouble(d -> d).max().orElseThrow());
    }
}
