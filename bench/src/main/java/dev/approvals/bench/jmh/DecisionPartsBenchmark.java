package dev.approvals.bench.jmh;

import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.core.DecisionResult;
import dev.approvals.core.DecisionService;
import dev.approvals.http.HttpAnswers;
import dev.approvals.json.Json;
import dev.approvals.store.DataApiApprovalStore;
import dev.approvals.store.DatabaseTarget;
import dev.approvals.store.Sleeper;
import dev.approvals.wiring.CannedHttpClient;
import dev.approvals.wiring.DecisionPriming;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The parts of one winning decision, each alone, to see where {@link DecisionBenchmark}'s time goes: reading the
 * event, the SDK call (marshalling, signing, the canned answer unmarshalled, the row read into an approval),
 * building and writing the answer, and writing the log line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class DecisionPartsBenchmark {

    private byte[] event;
    private DecisionService service;
    private DecisionRequest request;
    private DecisionResult result;
    private Map<String, Object> logFields;
    private final PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());

    @Setup
    public void setUp() throws IOException {
        event = Files.readAllBytes(DecisionBenchmark.eventFile("approve-http.json"));
        RdsDataClient client = RdsDataClient.builder()
                .httpClient(new CannedHttpClient(List.of(DecisionPriming.statementResult(true, "approved", "alice"))))
                .region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build();
        service = new DecisionService(new DataApiApprovalStore(client, new DatabaseTarget(
                "arn:aws:rds:us-east-1:123456789012:cluster:approvals",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:approvals", "approvals"),
                Clock.systemUTC(), Sleeper.THREAD));
        request = new DecisionRequest(Decision.APPROVE, UUID.fromString(DecisionPriming.APPROVAL_ID), 1, "alice",
                "Refund amount matches the order", "key-1");
        result = statement();
        // what DecisionLog writes for a win
        logFields = new LinkedHashMap<>();
        for (String[] field : new String[][] {{"level", "INFO"}, {"message", "decision"},
                {"requestId", UUID.randomUUID().toString()}, {"function", "ApproveFunction"}, {"decision", "APPROVE"},
                {"shape", "HTTP_API"}, {"apiRequestId", "Vx1KqhHhoAMEVxw="}, {"approvalId", DecisionPriming.APPROVAL_ID},
                {"outcome", "won"}}) {
            logFields.put(field[0], field[1]);
        }
        logFields.put("expectedVersion", 1);
        logFields.put("version", 2);
        logFields.put("status", 200);
    }

    @Benchmark
    public Object eventParse() {
        return Json.parse(event);
    }

    @Benchmark
    public DecisionResult statement() {
        return service.decide(request, Instant.now().plusSeconds(20));
    }

    @Benchmark
    public byte[] answer() {
        return Json.writeBytes(HttpAnswers.decided(result));
    }

    @Benchmark
    public void logLine() {
        logFields.put("latencyMs", 1.25);
        nowhere.println(Json.write(logFields));
    }
}
