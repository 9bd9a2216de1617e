package dev.approvals.bench.jmh;

import com.amazonaws.services.lambda.runtime.Context;
import dev.approvals.core.Decision;
import dev.approvals.functions.approve.ApproveHandler;
import dev.approvals.invocation.DecisionLog;
import dev.approvals.testing.TestContext;
import dev.approvals.wiring.CannedHttpClient;
import dev.approvals.wiring.DecisionConfig;
import dev.approvals.wiring.DecisionPriming;
import dev.approvals.wiring.FunctionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One decision through the approve handler (HTTP API event in, answer out, log line written to nowhere) over the
 * production object graph, with an SDK HTTP client that answers from memory: the handler's own CPU and
 * allocation per decision, no network, no database. {@code won}: the statement updated the row (200);
 * {@code conflict}: someone else had decided it (409). Single-threaded average time is CPU time.
 * <pre>bench/run.sh jmh DecisionBenchmark -prof gc                                  (full tiering)
 * bench/run.sh jmh DecisionBenchmark -prof gc -jvmArgsAppend "-XX:+UseSerialGC -Xmx512m -XX:TieredStopAtLevel=1"
 * (C1 only, as on Lambda; -jvmArgsAppend replaces the flags below)</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class DecisionBenchmark {

    @Param({"won", "conflict"})
    public String outcome;

    private ApproveHandler handler;
    private byte[] event;
    private Context context;

    @Setup
    public void setUp() throws IOException {
        byte[] answer = outcome.equals("won")
                ? DecisionPriming.statementResult(true, "approved", "8f3a2b1c-4d5e-4f60-8172-93a4b5c6d7e8")
                : DecisionPriming.statementResult(false, "approved", "someone-else");
        handler = new ApproveHandler(FunctionFactory.decisionFunction(Decision.APPROVE, config(),
                new CannedHttpClient(List.of(answer)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")),
                new DecisionLog(new PrintStream(OutputStream.nullOutputStream()))));
        event = Files.readAllBytes(eventFile("approve-http.json"));
        context = TestContext.through("http");
    }

    @Benchmark
    public byte[] decision() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        handler.handleRequest(new ByteArrayInputStream(event), out, context);
        return out.toByteArray();
    }

    static DecisionConfig config() {
        return DecisionConfig.fromEnvironment(Map.of(
                "DB_CLUSTER_ARN", "arn:aws:rds:us-east-1:123456789012:cluster:approvals",
                "DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:approvals",
                "DB_NAME", "approvals",
                "AWS_REGION", "us-east-1",
                "APPROVER_GROUP", "approvers"));
    }

    /** {@code events/<name>} of the repository (JMH forks run in its root, where bench/run.sh starts). */
    static Path eventFile(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("events").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("events/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
