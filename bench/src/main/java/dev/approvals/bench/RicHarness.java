package dev.approvals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.seeds.ApprovalSeeds;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.lambda.FunctionSpec;
import dev.approvals.local.lambda.InvocationResult;
import dev.approvals.local.lambda.InvokeRequest;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.PoolSettings;
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
 * Data API over embedded PostgreSQL, each function as its own database role (as deployed and as the local stack runs
 * them). Function output goes to {@code bench/target/bench-logs/}.
 */
public final class RicHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the template's CursorSigningKey secret holds, locally (the read function requires 32 characters). */
    private static final String CURSOR_SIGNING_KEY = "bench-cursor-signing-key-".repeat(3).substring(0, 64);
    /** As template.yaml declares the functions. */
    private static final int MEMORY_MB = 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(25);

    private final Path root;
    private final Path scratch;
    private final LocalDataApi dataApi;
    private final DataSource jdbc;
    /** Secret ARN by database role. */
    private final Map<String, String> roleSecrets;
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
            roleSecrets = DatabaseRoles.registerAll(dataApi, dataApi.databaseName());
            runtime = LambdaRuntimeLibrary.prepare(scratch.resolve("runtime"));
            Path logs = Files.createDirectories(root.resolve("bench/target/bench-logs"));
            logFile = new PrintStream(Files.newOutputStream(logs.resolve("functions.log")), true);
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
                "DB_SECRET_ARN", roleSecrets.get(function.role()),
                "DB_NAME", dataApi.databaseName(),
                "DATA_API_ENDPOINT", dataApi.endpoint().toString(),
                "APPROVER_GROUP", "",
                "ALLOW_ANY_APPROVER", "true",
                "PROPOSER_GROUP", "",
                "STEP_FUNCTIONS_ENDPOINT", "",
                "CURSOR_SIGNING_KEY", CURSOR_SIGNING_KEY,
                "AUTO_APPROVED_ACTION_TYPES", ""));
        env.put("WORKFLOW_ACTOR", "workflow:auto-approval-policy");
        env.putAll(extraEnvironment);
        Path unpacked = code.computeIfAbsent(function, f -> TemplateFunctions.unpack(f.zip(root),
                scratch.resolve("code-" + f.name())));
        FunctionSpec spec = new FunctionSpec(function.name(), function.handler(), unpacked, env, TIMEOUT,
                MEMORY_MB, "java25", Optional.empty(), Optional.empty(), dataApi.region(), "123456789012");
        PoolSettings settings = new PoolSettings(minEnvironments, 1, Duration.ofSeconds(60),
                snapStart);
        return LambdaFunction.start(spec, settings, runtime, timers, scratch.resolve("env"),
                LogSink.to(logFile).prefixed(function.name()));
    }

    /**
     * One invocation with the function's event ({@link BenchFunction#event}); fails unless the answer has the status
     * expected ({@link BenchFunction#DIRECT}: any answer but an error).
     */
    public InvocationResult invoke(LambdaFunction function, BenchFunction which, int expectedStatus) {
        try {
            // Through the alias the event's real caller invokes (docs/security.md): the state machine `workflow`,
            // API Gateway the function's `http` (the decision functions refuse anything else; the others ignore it).
            String alias = expectedStatus == BenchFunction.DIRECT ? ":workflow" : ":http";
            InvocationResult result = function.invoke(InvokeRequest.of(which.event(root), function.spec().arn() + alias))
                    .get(2, TimeUnit.MINUTES);
            JsonNode answer = JSON.readTree(result.payload());
            if (result.functionError() || (expectedStatus != BenchFunction.DIRECT
                    && answer.path("statusCode").asInt() != expectedStatus)) {
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

    /**
     * The approval of this function's event, pending at version 1 (so the next invocation decides, or reads, for
     * real); nothing for an event that names no approval (a proposal, a workflow's first step).
     */
    public void pending(BenchFunction function) {
        approvalId(function).ifPresent(ApprovalSeeds.into(jdbc)::pending);
    }

    /**
     * The approval of this function's event, decided by someone else at version 2: every invocation is then a
     * conflict answered from one statement (no replay: another actor, another key).
     */
    public void decidedByAnother(BenchFunction function) {
        UUID id = approvalId(function).orElseThrow();
        ApprovalSeeds.into(jdbc).pending(id);
        try (Connection c = jdbc.getConnection(); PreparedStatement s = c.prepareStatement("UPDATE ai_approvals"
                + " SET status = 'approved', version = 2, decided_by = 'bench-other', decided_at = now()"
                + " WHERE id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<UUID> approvalId(BenchFunction function) {
        try {
            JsonNode id = JSON.readTree(root.resolve(function.event()).toFile()).at("/pathParameters/id");
            return id.isTextual() ? Optional.of(UUID.fromString(id.asText())) : Optional.empty();
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
