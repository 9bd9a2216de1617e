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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
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
 * process group is read around each round to show where the time goes.
 * <pre>bench/run.sh throughput [approvals per round] [concurrency] [rounds] [pool size] [warm-up rounds]</pre>
 */
public final class ThroughputBenchmark {

    private record Attempt(UUID approval, Decision decision, String actor) {
    }

    /** The functions the decisions' HTTP routes invoke; the others run on the events the decisions publish. */
    private static final Set<String> DECISION_FUNCTIONS = Set.of("ApproveFunction", "RejectFunction");
    /** Environments per function: as {@code bin/approvals-local run} starts them. */
    private static final int DEFAULT_POOL_SIZE = 2;

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int approvals = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int poolSize = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_POOL_SIZE;
        int warmUps = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        // before the first HTTP connection: keep as many connections alive as there are clients, on both sides
        System.setProperty("http.maxConnections", Integer.toString(concurrency));
        Path root = BenchFunction.repositoryRoot();
        Path logs = Files.createDirectories(root.resolve("bench/target/bench-logs"));
        try (PrintStream log = new PrintStream(Files.newOutputStream(logs.resolve("throughput-stack.log")), true);
             LocalStack stack = LocalStack.start(LocalStackConfig.builder(root).anyFreePorts().poolSize(poolSize)
                     .prewarm(poolSize).log(LogSink.to(log)).build())) {
            ColdStartBenchmark.Report report = new ColdStartBenchmark.Report(root.resolve("bench/target/throughput.txt"));
            report.line("Throughput, %d approvals x 3 contenders per round, %d concurrent clients, pool %d (all warm)"
                    + " per function, %d untimed warm-up rounds of each; %s", approvals, concurrency, poolSize,
                    warmUps, Machine.describe());
            LocalDataApi dataApi = stack.dataApi();
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String actor : List.of("load-alice", "load-bob", "load-carol")) {
                tokens.put(actor, JwtTokens.unsigned(JwtTokens.devClaims(actor, actor, List.of("approvers"),
                        LocalStack.LOCAL_ISSUER, LocalStack.LOCAL_CLIENT_ID, Instant.now(), Duration.ofHours(2))));
            }
            Function<Attempt, Integer> throughStack = a -> post(URI.create(stack.httpEndpoint() + "/approvals/"
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
                for (int i = 0; i < warmUps; i++) { // untimed: the JITs of every JVM warm up
                    round(dataApi, approvals, concurrency, throughStack);
                    settle(stack);
                    round(dataApi, approvals, concurrency, dataApiAlone);
                    markPublished(dataApi);
                }
                timedRounds(report, stack, approvals, concurrency, rounds, dataApiAlone, throughStack);
            }
        }
    }

    /** Alternates a round of the Data API alone with one through the stack; a row each, then the median ratio. */
    private static void timedRounds(ColdStartBenchmark.Report report, LocalStack stack, int approvals,
                                    int concurrency, int rounds, Function<Attempt, Integer> dataApiAlone,
                                    Function<Attempt, Integer> throughStack) throws Exception {
        report.line("%n| round | Data API alone | whole stack | stack / alone | CPU per request, alone: this JVM"
                + " + PostgreSQL | CPU per request, stack: decision functions + event consumers + stack JVM"
                + " + PostgreSQL |");
        report.line("|---|---|---|---|---|---|");
        LocalDataApi dataApi = stack.dataApi();
        List<Double> ratios = new ArrayList<>();
        int requests = 3 * approvals;
        for (int i = 1; i <= rounds; i++) {
            Map<String, Double> start = cpuSeconds(stack);
            double alone = round(dataApi, approvals, concurrency, dataApiAlone);
            markPublished(dataApi);
            Map<String, Double> middle = cpuSeconds(stack);
            double whole = round(dataApi, approvals, concurrency, throughStack);
            settle(stack); // the events the decisions published are part of the stack round's CPU, not the next
            Map<String, Double> end = cpuSeconds(stack);
            ratios.add(whole / alone);
            report.line("| %d | %.0f req/s | %.0f req/s | %.2f | %.2f + %.2f ms | %.2f + %.2f + %.2f + %.2f ms |", i,
                    alone, whole, whole / alone, perRequest(start, middle, "stack", requests),
                    perRequest(start, middle, "postgres", requests),
                    perRequest(middle, end, "decisions", requests), perRequest(middle, end, "events", requests),
                    perRequest(middle, end, "stack", requests), perRequest(middle, end, "postgres", requests));
        }
        report.line("%nMedian ratio, whole stack / Data API alone: %.2f; load average %s at the end",
                Stats.median(ratios), Machine.loadAverage());
    }

    /**
     * Waits (untimed, at most a minute) until the function JVMs are idle: the decisions' events are delivered
     * asynchronously (the outbox and the executor functions), and that work must not run into the next round.
     */
    private static void settle(LocalStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        double before = functionCpu(stack);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            double now = functionCpu(stack);
            if (now - before < 0.02) {
                return;
            }
            before = now;
        }
    }

    /**
     * The Data API side writes its decisions' events to the outbox in the same statement but publishes none; left
     * unpublished, the stack's outbox sweep (every minute) would publish them, and their consumers would run, in
     * a later stack round. Marked published (untimed), they stay out of it.
     */
    private static void markPublished(LocalDataApi dataApi) throws java.sql.SQLException {
        try (java.sql.Connection connection = dataApi.dataSource(dataApi.databaseName()).getConnection();
             java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE ai_approval_outbox SET published_at = now() WHERE published_at IS NULL");
        }
    }

    private static double functionCpu(LocalStack stack) {
        Map<String, Double> cpu = cpuSeconds(stack);
        return cpu.get("decisions") + cpu.get("events");
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

    /**
     * One decision through the front door with a blocking {@link HttpURLConnection}: the same JDK HTTP client (and
     * keep-alive cache) as the SDK's UrlConnection client on the Data API side, so both sides pay for the same kind
     * of client. The answer is read to its end, which gives the connection back for the next request.
     */
    private static int post(URI uri, String token) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(60_000);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("Content-Type", "application/json");
            byte[] body = "{\"expectedVersion\": 1, \"reason\": \"load\"}".getBytes(StandardCharsets.UTF_8);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (answer != null) {
                    answer.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * CPU seconds so far: the function JVMs that answer the decisions, the other function JVMs (the events'
     * consumers), this JVM (the stack's servers and the clients), and the embedded PostgreSQL (its postmaster,
     * found by its port, and its backends; pg_ctl detaches it from this process).
     */
    private static Map<String, Double> cpuSeconds(LocalStack stack) {
        Set<Long> decisions = new java.util.HashSet<>();
        Set<Long> others = new java.util.HashSet<>();
        stack.functions().forEach((name, function) ->
                (DECISION_FUNCTIONS.contains(name) ? decisions : others).addAll(function.pids()));
        double decisionCpu = 0;
        double otherCpu = 0;
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            decisionCpu += decisions.contains(p.pid()) ? cpu(p) : 0;
            otherCpu += others.contains(p.pid()) ? cpu(p) : 0;
        }
        String port = "-p " + URI.create(stack.dataApi().jdbcUrl(stack.dataApi().databaseName()).substring(5)).getPort();
        double postgresCpu = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("postgres")
                        && p.info().commandLine().orElse("").contains(port))
                .mapToDouble(p -> cpu(p) + p.descendants().mapToDouble(ThroughputBenchmark::cpu).sum()).sum();
        double self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return Map.of("decisions", decisionCpu, "events", otherCpu, "stack", self, "postgres", postgresCpu);
    }

    private static double perRequest(Map<String, Double> before, Map<String, Double> after, String group,
                                     int requests) {
        return (after.get(group) - before.get(group)) * 1000 / requests;
    }

    private static double cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
