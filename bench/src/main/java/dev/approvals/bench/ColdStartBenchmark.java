package dev.approvals.bench;

import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.LambdaFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time to first answer of the functions against the floor and naive baselines, interleaved: each run cold-starts
 * every function once (a new JVM under the Runtime Interface Client, init, one invocation with its sample event, as
 * its own database role: a decision of a pending approval, a read of it, a new proposal, a workflow's first step),
 * the order rotating from run to run; several batches of runs. Reports medians, ratios to floor and naive, the
 * classes loaded at the first answer, and where approve's classes and time go.
 * <pre>bench/run.sh cold [runs per batch] [batches] [function ...]</pre>
 * Functions by name (floor and naive are always measured, as the yardsticks); all of them by default.
 */
public final class ColdStartBenchmark {

    /** One cold start. */
    record Run(BenchFunction function, int batch, double firstAnswerMs, double initMs, double invokeMs,
               double cpuMs, ClassLoadLog classes) {
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<BenchFunction> functions = functions(args);
        try (RicHarness harness = new RicHarness()) {
            Report report = new Report(harness.root().resolve("bench/target/cold-start.txt"));
            report.line("Cold start under the RIC: %d batches x %d runs, interleaved; %s", batches, runs, Machine.describe());
            List<Run> all = new ArrayList<>();
            coldStart(harness, BenchFunction.FLOOR, 0); // untimed: the page cache and the Data API warm up
            for (int batch = 1; batch <= batches; batch++) {
                for (int run = 0; run < runs; run++) {
                    for (int k = 0; k < functions.size(); k++) {
                        BenchFunction function = functions.get((k + run) % functions.size());
                        all.add(coldStart(harness, function, batch));
                    }
                }
                int current = batch;
                report.table(functions, all.stream().filter(r -> r.batch() == current).toList(), "batch " + batch);
            }
            report.table(functions, all, "all batches");
            for (BenchFunction f : List.of(BenchFunction.APPROVE, BenchFunction.TYPED, BenchFunction.DATABIND)) {
                if (functions.contains(f)) {
                    report.breakdown(medianRun(all, f));
                }
            }
            report.zipSizes(harness.root(), functions);
            report.breakdown(medianRun(all, BenchFunction.FLOOR));
            harness.dataApi().close(); // its server and PostgreSQL: with them stopped the JVM ends by itself
        }
    }

    /** The functions named after the first two arguments, after the two baselines; all of them if none is named. */
    private static List<BenchFunction> functions(String[] args) {
        if (args.length <= 2) {
            return BenchFunction.ALL;
        }
        List<BenchFunction> named = new ArrayList<>(List.of(BenchFunction.FLOOR, BenchFunction.NAIVE));
        for (int i = 2; i < args.length; i++) {
            BenchFunction function = BenchFunction.named(args[i]);
            if (!named.contains(function)) {
                named.add(function);
            }
        }
        return named;
    }

    static Run coldStart(RicHarness harness, BenchFunction function, int batch) throws IOException {
        harness.pending(function);
        Path classLog = harness.newFile("classes-" + function.name(), ".log");
        try (LambdaFunction pool = harness.start(function, 0,
                Map.of("JAVA_TOOL_OPTIONS", ClassLoadLog.option(classLog)), false)) {
            long started = System.nanoTime();
            InvocationResult result = harness.invoke(pool, function, function.status());
            double firstAnswerMs = (System.nanoTime() - started) / 1e6;
            ClassLoadLog classes = ClassLoadLog.read(classLog); // at once: the JVM keeps running after its answer
            double cpuMs = cpuMs(pool.environments().getFirst().pid());
            double initMs = pool.environments().getFirst().initDurationMs();
            return new Run(function, batch, firstAnswerMs, initMs, result.durationMs(), cpuMs, classes);
        }
    }

    /**
     * The CPU time the function's JVM has used so far (all its threads, user and system): what a start costs
     * whatever else the machine runs, where wall time stretches with the load.
     */
    private static double cpuMs(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                .map(cpu -> cpu.toNanos() / 1e6).orElse(Double.NaN);
    }

    private static Run medianRun(List<Run> runs, BenchFunction function) {
        List<Run> sorted = runs.stream().filter(r -> r.function() == function)
                .sorted(Comparator.comparingDouble(Run::firstAnswerMs)).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Writes to standard output and to a file. */
    static final class Report {
        private final Path file;

        Report(Path file) throws IOException {
            this.file = file;
            Files.writeString(file, "");
        }

        void line(String format, Object... args) throws IOException {
            String text = String.format(Locale.ROOT, format, args);
            System.out.println(text);
            Files.writeString(file, text + "\n", java.nio.file.StandardOpenOption.APPEND);
        }

        void table(List<BenchFunction> functions, List<Run> runs, String title) throws IOException {
            Map<BenchFunction, Double> firstAnswer = new LinkedHashMap<>();
            for (BenchFunction f : functions) {
                firstAnswer.put(f, Stats.median(values(runs, f, Run::firstAnswerMs)));
            }
            double floor = firstAnswer.get(BenchFunction.FLOOR);
            double naive = firstAnswer.get(BenchFunction.NAIVE);
            line("%n%s (%d runs each): medians", title, runs.size() / functions.size());
            double floorCpu = Stats.median(values(runs, BenchFunction.FLOOR, Run::cpuMs));
            double naiveCpu = Stats.median(values(runs, BenchFunction.NAIVE, Run::cpuMs));
            line("| | first answer | x floor | x naive | init | first invoke | classes at first answer"
                    + " | CPU to first answer | CPU x floor | CPU x naive |");
            line("|---|---|---|---|---|---|---|---|---|---|");
            for (BenchFunction f : functions) {
                double ms = firstAnswer.get(f);
                double cpu = Stats.median(values(runs, f, Run::cpuMs));
                line("| %s | %.0f ms | %.2f | %.2f | %.0f ms | %.0f ms | %,.0f | %.0f ms | %.2f | %.2f |", f.name(), ms,
                        ms / floor, ms / naive, Stats.median(values(runs, f, Run::initMs)),
                        Stats.median(values(runs, f, Run::invokeMs)),
                        Stats.median(values(runs, f, r -> r.classes().count())), cpu, cpu / floorCpu, cpu / naiveCpu);
            }
        }

        void zipSizes(Path root, List<BenchFunction> functions) throws IOException {
            line("%n| zip | bytes |");
            line("|---|---|");
            for (BenchFunction f : functions) {
                line("| %s | %,d |", f.name(), Files.size(f.zip(root)));
            }
        }

        void breakdown(Run run) throws IOException {
            long boundary = (long) (run.initMs() * 1e6);
            line("%nWhere %s's classes and time go (its median run: first answer %.0f ms, init %.0f ms, first"
                    + " invoke %.0f ms); each class is charged the time since the previous one:", run.function().name(),
                    run.firstAnswerMs(), run.initMs(), run.invokeMs());
            line("| origin | classes in init | ms in init | classes in first invoke | ms in first invoke |");
            line("|---|---|---|---|---|");
            var costs = run.classes().costByOrigin(boundary).entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> -e.getValue().totalNanos())).toList();
            for (var e : costs) {
                var c = e.getValue();
                line("| %s | %d | %.0f | %d | %.0f |", e.getKey(), c.initClasses(), c.initNanos() / 1e6,
                        c.invokeClasses(), c.invokeNanos() / 1e6);
            }
        }

        private static List<Double> values(List<Run> runs, BenchFunction f, java.util.function.ToDoubleFunction<Run> metric) {
            return runs.stream().filter(r -> r.function() == f).map(r -> metric.applyAsDouble(r)).toList();
        }
    }
}
