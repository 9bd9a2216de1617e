package dev.approvals.bench;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.store.DataApiApprovalStore;
import dev.approvals.store.DatabaseTarget;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Warm invocations: one JVM per function under the Runtime Interface Client (C1 only, as Lambda's java runtime),
 * invoked one at a time in rounds that alternate between the functions; the second half of the rounds is timed.
 * Every invocation is a conflict (the approval was decided by someone else), answered from one statement. Then the
 * two statements alone (floor's UPDATE and approve's decision statement) from this JVM, to separate the database's
 * share from the handler's.
 * <pre>bench/run.sh warm [invocations per function] [round size]</pre>
 */
public final class WarmBenchmark {

    private WarmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int invocations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int roundSize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        try (RicHarness harness = new RicHarness()) {
            ColdStartBenchmark.Report report = new ColdStartBenchmark.Report(
                    harness.root().resolve("bench/target/warm.txt"));
            report.line("Warm invocations under the RIC: %d per function in rounds of %d, second half timed"
                    + " (conflict path); %s", invocations, roundSize, Machine.describe());
            Map<BenchFunction, LambdaFunction> pools = new LinkedHashMap<>();
            Map<BenchFunction, List<Double>> durations = new LinkedHashMap<>();
            Map<BenchFunction, List<Double>> roundTrips = new LinkedHashMap<>();
            Map<BenchFunction, List<Double>> handlerTimes = new LinkedHashMap<>();
            Map<BenchFunction, List<Double>> sdkTimes = new LinkedHashMap<>();
            List<BenchFunction> functions = new ArrayList<>(BenchFunction.DECIDERS);
            functions.add(BenchFunction.FLOOR_STATEMENT);
            try {
                for (BenchFunction function : functions) {
                    harness.decidedByAnother(function);
                    pools.put(function, harness.start(function, 1, function == BenchFunction.FLOOR_STATEMENT
                            ? Map.of("FLOOR_SQL", decisionSql()) : Map.of(), false));
                    durations.put(function, new ArrayList<>());
                    roundTrips.put(function, new ArrayList<>());
                    handlerTimes.put(function, new ArrayList<>());
                    sdkTimes.put(function, new ArrayList<>());
                }
                int rounds = invocations / roundSize;
                for (int round = 0; round < rounds; round++) {
                    boolean timed = round >= rounds / 2;
                    for (int k = 0; k < functions.size(); k++) {
                        BenchFunction function = functions.get((k + round) % functions.size());
                        for (int i = 0; i < roundSize; i++) {
                            long started = System.nanoTime();
                            InvocationResult result = harness.invoke(pools.get(function), function, 409);
                            if (timed) {
                                roundTrips.get(function).add((System.nanoTime() - started) / 1e6);
                                durations.get(function).add(result.durationMs());
                                handlerLatency(result).ifPresent(ms -> handlerTimes.get(function).add(ms));
                                sdkCall(result).ifPresent(ms -> sdkTimes.get(function).add(ms));
                            }
                        }
                    }
                }
            } finally {
                pools.values().forEach(LambdaFunction::close);
            }
            double floor = Stats.median(durations.get(BenchFunction.FLOOR));
            report.line("%n| | Duration (Runtime API), median | x floor | p99 | invoke round trip, median | p99 |"
                    + " handler's own latencyMs (its log line), median | its Data API call, median |");
            report.line("|---|---|---|---|---|---|---|---|");
            for (BenchFunction f : functions) {
                double median = Stats.median(durations.get(f));
                List<Double> handler = handlerTimes.get(f);
                List<Double> sdk = sdkTimes.get(f);
                report.line("| %s | %.2f ms | %.2f | %.2f ms | %.2f ms | %.2f ms | %s | %s |", f.name(), median,
                        median / floor, Stats.percentile(durations.get(f), 99), Stats.median(roundTrips.get(f)),
                        Stats.percentile(roundTrips.get(f), 99), handler.isEmpty() ? "(no log line)"
                                : String.format(java.util.Locale.ROOT, "%.2f ms", Stats.median(handler)),
                        sdk.isEmpty() ? "(not told)" : String.format(java.util.Locale.ROOT, "%.2f ms", Stats.median(sdk)));
            }
            statementsAlone(harness, report, invocations);
            harness.dataApi().close(); // its server and PostgreSQL: with them stopped the JVM ends by itself
        }
    }

    /** The decision functions' statement, exactly as their store sends it (package-private there). */
    static String decisionSql() {
        try {
            var field = DataApiApprovalStore.class.getDeclaredField("DECIDE_SQL");
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code latencyMs} of a decision function's log line: its time from reading the event to the line. */
    private static java.util.Optional<Double> handlerLatency(InvocationResult result) {
        for (String line : result.log()) {
            var m = LATENCY.matcher(line);
            if (line.contains("\"message\":\"decision\"") && m.find()) {
                return java.util.Optional.of(Double.parseDouble(m.group(1)));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The function's own time in its Data API call: a decision function's {@code DataApiLatency} (its log line), or
     * the {@code x-sdk-ms} header of floor-statement's answer (which writes no log line).
     */
    private static java.util.Optional<Double> sdkCall(InvocationResult result) {
        for (String line : result.log()) {
            var m = DATA_API_LATENCY.matcher(line);
            if (line.contains("\"message\":\"decision\"") && m.find()) {
                return java.util.Optional.of(Double.parseDouble(m.group(1)));
            }
        }
        var m = SDK_HEADER.matcher(new String(result.payload(), java.nio.charset.StandardCharsets.UTF_8));
        return m.find() ? java.util.Optional.of(Double.parseDouble(m.group(1))) : java.util.Optional.empty();
    }

    private static final java.util.regex.Pattern DATA_API_LATENCY =
            java.util.regex.Pattern.compile("\"DataApiLatency\":\\[([0-9.Ee+-]+)");
    private static final java.util.regex.Pattern SDK_HEADER =
            java.util.regex.Pattern.compile("\"x-sdk-ms\":\"([0-9.Ee+-]+)\"");

    private static final java.util.regex.Pattern LATENCY =
            java.util.regex.Pattern.compile("\"latencyMs\":([0-9.Ee+-]+)");

    /**
     * Each function's statement on the conflict path, sent from here with the SDK (full JIT, not the function's), as
     * the approve function's database role.
     */
    private static void statementsAlone(RicHarness harness, ColdStartBenchmark.Report report, int times)
            throws Exception {
        var dataApi = harness.dataApi();
        String secretArn = DatabaseRoles.secretArn(dataApi, DatabaseRoles.APPROVER);
        try (RdsDataClient client = dataApi.newClient()) {
            UUID id = UUID.fromString("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f");
            harness.decidedByAnother(BenchFunction.APPROVE);
            Supplier<Object> floorStatement = () -> client.executeStatement(r -> r.resourceArn(dataApi.clusterArn())
                    .secretArn(secretArn).database(dataApi.databaseName())
                    .sql("UPDATE ai_approvals SET status = 'approved', version = version + 1, decided_by = :actor,"
                            + " decided_at = now(), updated_at = now() WHERE id = :id AND version = :expectedVersion"
                            + " AND status = 'pending' RETURNING version")
                    .parameters(SqlParameter.builder().name("id").typeHint(TypeHint.UUID)
                                    .value(Field.builder().stringValue(id.toString()).build()).build(),
                            SqlParameter.builder().name("expectedVersion").value(Field.builder().longValue(1L).build()).build(),
                            SqlParameter.builder().name("actor").value(Field.builder().stringValue("bench").build()).build()));
            var store = new DataApiApprovalStore(client, new DatabaseTarget(dataApi.clusterArn(), secretArn,
                    dataApi.databaseName()), Clock.systemUTC(), Sleeper.THREAD);
            DecisionRequest request = new DecisionRequest(Decision.APPROVE, id, 1, "bench", "bench", "bench-key");
            Supplier<Object> approveStatement = () -> store.decide(request, Instant.now().plusSeconds(20));
            report.line("%nThe statement alone, from the harness JVM (same SDK client, %d calls each, alternating,"
                    + " second half timed):", times);
            report.line("| statement | median | p99 |");
            report.line("|---|---|---|");
            Map<String, Supplier<Object>> statements = new LinkedHashMap<>();
            statements.put("floor's UPDATE ... RETURNING version", floorStatement);
            statements.put("approve's decision statement (its store's call)", approveStatement);
            Map<String, List<Double>> timings = new LinkedHashMap<>();
            statements.keySet().forEach(name -> timings.put(name, new ArrayList<>()));
            for (int i = 0; i < times; i++) {
                for (var statement : statements.entrySet()) {
                    long started = System.nanoTime();
                    statement.getValue().get();
                    if (i >= times / 2) {
                        timings.get(statement.getKey()).add((System.nanoTime() - started) / 1e6);
                    }
                }
            }
            for (var timing : timings.entrySet()) {
                report.line("| %s | %.2f ms | %.2f ms |", timing.getKey(), Stats.median(timing.getValue()),
                        Stats.percentile(timing.getValue(), 99));
            }
        }
    }
}
