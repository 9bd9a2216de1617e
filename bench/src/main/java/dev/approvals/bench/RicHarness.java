package dev.approvals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.dataapi.ApprovalSeeds;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.lambda.FunctionSpec;
import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.InvokeRequest;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.LambdaRuntimeLibrary;
import dev.approvals.local.lambda.LogSink;
import dev.approvals.local.stack.TemplateFunctions;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The functions under the real Lambda Runtime Interface Client, exactly as the local stack runs them (one JVM per
 * execution environment, the java25 runtime's JVM flags, the local Runtime API), against the project's local
 * Data API over embedded PostgreSQL. Function output goes to {@code bench/target/bench-logs/}.
 */
public final class RicHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** As template.yaml declares the decision functions. */
    private static final int MEMORY_MB = 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(25);

    private final Path root;
    private final Path scratch;
    private final LocalDataApi dataApi;
    private final DataSource jdbc;
    private final LambdaRuntimeLibrary runtime;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Map<BenchFunction, Path> code = new HashMap<>();
    private final PrintStream logFile;
    private final java.util.concurrent.atomic.AtomicInteger files = new java.util.concurrent.atomic.AtomicInteger();

    public RicHarness() {
        try {
            root = BenchFunction.repositoryRoot();
            scratch = Files.createTempDirectory("bench-");
            dataApi = LocalDataApi.shared();
            jdbc = dataApi.dataSource(dataApi.databaseName());
            runtime = LambdaRuntimeLibrary.prepare(scratch.resolve("runtime"));
            Path logs = Files.createDirectories(root.resolve("bench/target/bench-logs"));
            logFile = new PrintStream(Files.newOutputStream(logs.resolve("functions.log")), true);
            for (BenchFunction function : BenchFunction.ALL) {
                code.put(function, TemplateFunctions.unpack(function.zip(root), scratch.resolve("code-" + function.name())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public Path scratch() {
        return scratch;
    }

    /** A path in the scratch directory that does not exist yet (the JVM's log output rotates existing files). */
    public Path newFile(String prefix, String suffix) {
        return scratch.resolve(prefix + "-" + files.incrementAndGet() + suffix);
    }

    public LocalDataApi dataApi() {
        return dataApi;
    }

    /**
     * Starts a function's pool.
     *
     * @param minEnvironments 0 for a cold start on the first invocation, 1 for a warm JVM started up front
     * @param extraEnvironment added to the function's variables, e.g. {@code JAVA_TOOL_OPTIONS}
     */
    public LambdaFunction start(BenchFunction function, int minEnvironments, Map<String, String> extraEnvironment,
                                boolean snapStart) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_CLUSTER_ARN", dataApi.clusterArn(),
                "DB_SECRET_ARN", dataApi.secretArn(),
                "DB_NAME", dataApi.databaseName(),
                "DATA_API_ENDPOINT", dataApi.endpoint().toString(),
                "APPROVER_GROUP", "",
                "STEP_FUNCTIONS_ENDPOINT", ""));
        env.putAll(extraEnvironment);
        FunctionSpec spec = new FunctionSpec(function.name(), function.handler(), code.get(function), env, TIMEOUT,
                MEMORY_MB, "java25", Optional.empty(), Optional.empty(), dataApi.region(), "123456789012");
        LambdaFunction.Settings settings = new LambdaFunction.Settings(minEnvironments, 1, Duration.ofSeconds(60),
                snapStart);
        return LambdaFunction.start(spec, settings, runtime, timers, scratch.resolve("env"),
                LogSink.to(logFile).prefixed(function.name()));
    }

    /** One invocation with the function's sample event; fails unless the answer has the status expected. */
    public InvocationResult invoke(LambdaFunction function, BenchFunction which, int expectedStatus) {
        try {
            byte[] event = Files.readAllBytes(root.resolve(which.event()));
            InvocationResult result = function.invoke(InvokeRequest.of(event, function.spec().arn()))
                    .get(2, TimeUnit.MINUTES);
            JsonNode answer = JSON.readTree(result.payload());
            if (result.functionError() || answer.path("statusCode").asInt() != expectedStatus) {
                throw new IllegalStateException(which.name() + " answered " + result.payloadText() + ", not "
                        + expectedStatus);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(which.name() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The approval of this function's event, pending at version 1 (so the next invocation decides for real). */
    public void pending(BenchFunction function) {
        ApprovalSeeds.into(jdbc).pending(approvalId(function));
    }

    /**
     * The approval of this function's event, decided by someone else at version 2: every invocation is then a
     * conflict answered from one statement (no replay: another actor, another key).
     */
    public void decidedByAnother(BenchFunction function) {
        pending(function);
        try (Connection c = jdbc.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE ai_approvals"
                + " SET status = 'approved', version = 2, decided_by = 'bench-other', decided_at = now()"
                + " WHERE id = ?")) {
            s.setObject(1, approvalId(function));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private UUID approvalId(BenchFunction function) {
        try {
            return UUID.fromString(JSON.readTree(root.resolve(function.event()).toFile())
                    .at("/pathParameters/id").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        logFile.close();
    }
}
