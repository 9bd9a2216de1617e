package dev.approvals.bench;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.core.DecisionService;
import dev.approvals.errors.ApprovalException;
import dev.approvals.local.apigateway.JwtTokens;
import dev.approvals.local.seeds.ApprovalSeeds;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.lambda.LogSink;
import dev.approvals.local.stack.LocalStack;
import dev.approvals.local.stack.LocalStackConfig;
import dev.approvals.store.DataApiApprovalStore;
import dev.approvals.store.DatabaseTarget;
import dev.approvals.store.Sleeper;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Throughput of the whole local stack (HTTP API, function JVMs under the RIC, Data API, PostgreSQL) against the
 * local Data API alone sending the same decision statement, at the same concurrency, alternating in one run. Each
 * round decides fresh approvals, three contenders each (two approve, one rejects), as LoadIT does. CPU time per
 * process group is read around each stack round to show where the time goes.
 * <pre>bench/run.sh throughput [approvals per round] [concurrency] [rounds]</pre>
 */
public final class ThroughputBenchmark {

    private record Attempt(UUID approval, Decision decision, String actor) {
    }

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int approvals = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path root = BenchFunction.repositoryRoot();
        Path logs = Files.createDirectories(root.resolve("bench/target/bench-logs"));
        try (PrintStream log = new PrintStream(Files.newOutputStream(logs.resolve("throughput-stack.log")), true);
             LocalStack stack = LocalStack.start(LocalStackConfig.builder(root).anyFreePorts().poolSize(4).prewarm(2)
                     .log(LogSink.to(log)).build())) {
            ColdStartBenchmark.Report report = new ColdStartBenchmark.Report(root.resolve("bench/target/throughput.txt"));
            report.line("Throughput, %d approvals x 3 contenders per round, %d concurrent clients, pool 4 (2 warm) per"
                    + " function; %s", approvals, concurrency, Machine.describe());
            LocalDataApi dataApi = stack.dataApi();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String actor : List.of("load-alice", "load-bob", "load-carol")) {
                tokens.put(actor, JwtTokens.unsigned(JwtTokens.devClaims(actor, actor, List.of("approvers"),
                        LocalStack.LOCAL_ISSUER, LocalStack.LOCAL_CLIENT_ID, Instant.now(), Duration.ofHours(2))));
            }
            Function<Attempt, Integer> throughStack = a -> post(http, URI.create(stack.httpEndpoint() + "/approvals/"
                    + a.approval() + "/" + a.decision().name().toLowerCase(java.util.Locale.ROOT)), tokens.get(a.actor()));
            try (RdsDataClient client = dataApi.newClient()) {
                DecisionService service = new DecisionService(new DataApiApprovalStore(client, new DatabaseTarget(
                        dataApi.clusterArn(), dataApi.secretArn(), dataApi.databaseName()), Clock.systemUTC(),
                        Sleeper.THREAD));
                Function<Attempt, Integer> dataApiAlone = a -> {
                    try {
                        service.decide(new DecisionRequest(a.decision(), a.approval(), 1, a.actor(), "load",
                                UUID.randomUUID().toString()), Instant.now().plusSeconds(20));
                        return 200;
                    } catch (ApprovalException conflict) {
                        return 409;
                    }
                };
                for (int i = 0; i < 2; i++) { // untimed: the pools scale up, the JITs warm up
                    round(dataApi, approvals, concurrency, throughStack);
                    round(dataApi, approvals, concurrency, dataApiAlone);
                }
                report.line("%n| round | Data API alone | whole stack | stack / alone | CPU per request, alone:"
                        + " this JVM + PostgreSQL | CPU per request, stack: function JVMs + stack JVM + PostgreSQL |");
                report.line("|---|---|---|---|---|---|");
                List<Double> ratios = new ArrayList<>();
                int requests = 3 * approvals;
                for (int i = 1; i <= rounds; i++) {
                    Map<String, Double> start = cpuSeconds(stack);
                    double alone = round(dataApi, approvals, concurrency, dataApiAlone);
                    Map<String, Double> middle = cpuSeconds(stack);
                    double whole = round(dataApi, approvals, concurrency, throughStack);
                    Map<String, Double> end = cpuSeconds(stack);
                    ratios.add(whole / alone);
                    report.line("| %d | %.0f req/s | %.0f req/s | %.2f | %.2f + %.2f ms | %.2f + %.2f + %.2f ms |", i,
                            alone, whole, whole / alone, perRequest(start, middle, "stack", requests),
                            perRequest(start, middle, "postgres", requests),
                            perRequest(middle, end, "functions", requests), perRequest(middle, end, "stack", requests),
                            perRequest(middle, end, "postgres", requests));
                }
                report.line("%nMedian ratio, whole stack / Data API alone: %.2f", Stats.median(ratios));
            }
        }
        System.exit(0);
    }

    /** Decides {@code approvals} fresh approvals, three contenders each, with {@code concurrency} clients; req/s. */
    private static double round(LocalDataApi dataApi, int approvals, int concurrency, Function<Attempt, Integer> send)
            throws Exception {
        ApprovalSeeds seeds = ApprovalSeeds.into(dataApi.dataSource(dataApi.databaseName()));
        List<Attempt> attempts = new ArrayList<>();
        for (ApprovalSeeds.Seed seed : seeds.pendingRandom(approvals)) {
            attempts.add(new Attempt(seed.id(), Decision.APPROVE, "load-alice"));
            attempts.add(new Attempt(seed.id(), Decision.APPROVE, "load-bob"));
            attempts.add(new Attempt(seed.id(), Decision.REJECT, "load-carol"));
        }
        Collections.shuffle(attempts, new Random(42));
        ConcurrentLinkedQueue<Attempt> work = new ConcurrentLinkedQueue<>(attempts);
        AtomicInteger winners = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            running.add(clients.submit(() -> {
                for (Attempt a; (a = work.poll()) != null; ) {
                    int status = send.apply(a);
                    if (status == 200) {
                        winners.incrementAndGet();
                    } else if (status != 409) {
                        unexpected.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : running) {
            client.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        clients.shutdown();
        if (winners.get() != approvals || unexpected.get() != 0) {
            throw new IllegalStateException("Expected one winner per approval and only 409s otherwise: " + winners
                    + " winners, " + unexpected + " other answers");
        }
        return attempts.size() / seconds;
    }

    private static int post(HttpClient http, URI uri, String token) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"expectedVersion\": 1, \"reason\": \"load\"}"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * CPU seconds so far: the function JVMs, this JVM (the stack's servers and the clients), and the embedded
     * PostgreSQL (its postmaster, found by its port, and its backends; pg_ctl detaches it from this process).
     */
    private static Map<String, Double> cpuSeconds(LocalStack stack) {
        Set<Long> functions = Set.copyOf(stack.functionPids());
        double functionCpu = ProcessHandle.current().descendants().filter(p -> functions.contains(p.pid()))
                .mapToDouble(ThroughputBenchmark::cpu).sum();
        String port = "-p " + URI.create(stack.dataApi().jdbcUrl(stack.dataApi().databaseName()).substring(5)).getPort();
        double postgresCpu = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("postgres")
                        && p.info().commandLine().orElse("").contains(port))
                .mapToDouble(p -> cpu(p) + p.descendants().mapToDouble(ThroughputBenchmark::cpu).sum()).sum();
        double self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return Map.of("functions", functionCpu, "stack", self, "postgres", postgresCpu);
    }

    private static double perRequest(Map<String, Double> before, Map<String, Double> after, String group,
                                     int requests) {
        return (after.get(group) - before.get(group)) * 1000 / requests;
    }

    private static double cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
