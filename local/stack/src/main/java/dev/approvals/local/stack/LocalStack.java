package dev.approvals.local.stack;

import dev.approvals.local.apigateway.DevSignIn;
import dev.approvals.local.apigateway.HttpApiEvents;
import dev.approvals.local.apigateway.HttpApiServer;
import dev.approvals.local.apigateway.JwtTokens;
import dev.approvals.local.apigateway.Route;
import dev.approvals.local.apigateway.RouteTable;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.dataapi.LocalDataApiConfig;
import dev.approvals.local.events.LocalEventBridge;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.PoolSettings;
import dev.approvals.local.lambda.LambdaInvokeServer;
import dev.approvals.local.lambda.LambdaRuntimeLibrary;
import dev.approvals.local.lambda.LogSink;
import dev.approvals.local.stepfunctions.LocalStepFunctions;
import dev.approvals.local.template.IntrinsicResolver;
import dev.approvals.local.template.SamTemplate;
import dev.approvals.migrator.MigrationResult;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The whole approvals stack on this machine, the way AWS runs it: PostgreSQL (embedded, or any by URL) behind the
 * local RDS Data API, migrated; the local Step Functions callback API; every function of {@code template.yaml} in
 * its own JVMs under the AWS Lambda Runtime Interface Client, with the environment the template declares resolved
 * to those local endpoints; the HTTP API front door with the template's routes; and a Lambda Invoke endpoint.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStackConfig.builder(root).anyFreePorts().build())) {
 *     stack.seed();
 *     // POST stack.httpEndpoint() + "/approvals/{id}/approve" with "Authorization: Bearer " + stack.devToken()
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    public static final String ACCOUNT_ID = "123456789012";
    /** Issuer and client id of the dev tokens (the template's JwtIssuer/JwtAudience parameters, locally). */
    public static final String LOCAL_ISSUER = "https://approvals.local/dev-issuer";
    public static final String LOCAL_CLIENT_ID = "approvals-local";
    public static final String DEV_SUBJECT = "dev-alice";
    public static final String DEV_USERNAME = "alice";
    public static final List<String> DEV_GROUPS = List.of("approvers");

    /** What closing left behind; both lists are empty after a clean stop. */
    public record ShutdownReport(List<ProcessHandle> processesLeft, List<Integer> portsStillBound) {
        public boolean clean() {
            return processesLeft.isEmpty() && portsStillBound.isEmpty();
        }
    }

    /** A seeded approval and where its id comes from (an event file, or "demo"). */
    public record SeededApproval(UUID id, String status, int version, String actionType, String source) {
    }

    private final LocalStackConfig config;
    private final LogSink log;
    private final Path scratch;
    private final Set<Long> preexistingDescendants;
    private final ScheduledExecutorService timers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private volatile boolean stopRequested;
    private LocalDataApi dataApi;
    private LocalStepFunctions stepFunctions;
    private LocalEventBridge events;
    private LambdaRuntimeLibrary runtime;
    private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
    private final List<TemplateFunctions.TemplateFunction> templateFunctions = new ArrayList<>();
    private LambdaInvokeServer invokeServer;
    private HttpApiServer httpApi;
    private MigrationResult migration;
    private TemplateSecrets secrets;
    private String devToken;
    private Instant devTokenExpiry;

    private LocalStack(LocalStackConfig config, Path scratch) {
        this.config = config;
        this.log = config.log();
        this.scratch = scratch;
        this.preexistingDescendants = Leftovers.descendantPids();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "local-stack-timers");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts everything, in dependency order; on any failure stops what had started and rethrows.
     *
     * @throws IllegalStateException when a configured port is taken (checked before anything starts)
     */
    public static LocalStack start(LocalStackConfig config) {
        return start(config, stack -> { });
    }

    /**
     * {@link #start(LocalStackConfig)}, handing the stack to {@code created} before anything starts, e.g. to
     * register a shutdown hook that {@link #close() closes} it: closing while it starts stops the start at the
     * next step and then stops what had started.
     */
    public static LocalStack start(LocalStackConfig config, java.util.function.Consumer<LocalStack> created) {
        Ports.checkFree(config);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("approvals-local-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a scratch directory: " + e.getMessage(), e);
        }
        LocalStack stack = new LocalStack(config, scratch);
        created.accept(stack);
        try {
            synchronized (stack.lifecycle) {
                stack.startAll();
            }
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        LogSink stackLog = log.prefixed("stack");
        startDatabase(stackLog);
        stepFunctions = LocalStepFunctions.start(config.stepFunctionsPort());
        readTemplate(stackLog);
        checkNotStopping();
        stackLog.line("starting " + templateFunctions.size() + " functions under the Lambda RIC " + runtime.ricVersion()
                + " (Java " + Runtime.version().feature() + ")");
        startFunctions();
        checkNotStopping();
        startEndpoints();
        Instant now = Instant.now();
        devTokenExpiry = now.plus(config.tokenValidity());
        devToken = JwtTokens.unsigned(JwtTokens.devClaims(DEV_SUBJECT, DEV_USERNAME, DEV_GROUPS, LOCAL_ISSUER,
                LOCAL_CLIENT_ID, now, config.tokenValidity()));
    }

    /** PostgreSQL and the Data API over it, migrated. */
    private void startDatabase(LogSink stackLog) {
        stackLog.line(config.database().isEmbedded() ? "starting embedded PostgreSQL and the Data API"
                : "starting the Data API over " + config.database());
        dataApi = LocalDataApi.start(LocalDataApiConfig.defaults().with(config.database())
                .withCluster(cluster -> cluster.withPort(config.dataApiPort()).withRegion(config.region(), ACCOUNT_ID)));
        checkNotStopping();
        migration = dataApi.migrate(dataApi.databaseName());
        stackLog.line("migrated " + dataApi.databaseName() + ": applied " + migration.appliedVersions()
                + ", already applied " + migration.skippedVersions());
        checkNotStopping();
    }

    /** The template's database secrets, functions and routes, resolved for this machine; the Lambda runtime. */
    private void readTemplate(LogSink stackLog) {
        SamTemplate template = SamTemplate.read(config.template());
        secrets = TemplateSecrets.register(template, dataApi, dataApi.databaseName());
        stackLog.line("database roles " + new java.util.TreeSet<>(secrets.roles().values())
                + ": a secret each, passwords set through the Data API");
        IntrinsicResolver resolver = LocalTemplateValues.resolver(template, dataApi, secrets, config);
        events = StackEvents.start(template, resolver, config, functions, log.prefixed("events"));
        Map<String, String> endpoints = Map.of(
                "DATA_API_ENDPOINT", dataApi.endpoint().toString(),
                "STEP_FUNCTIONS_ENDPOINT", stepFunctions.endpoint().toString(),
                "EVENTS_ENDPOINT", events.endpoint().toString());
        templateFunctions.addAll(TemplateFunctions.read(template, config.repositoryRoot(), resolver, endpoints,
                secrets::resolveDynamicReferences, scratch.resolve("code"), config.region(), ACCOUNT_ID).stream()
                .map(f -> f.withVariable(StackEvents.ENDPOINT_VARIABLE, events.endpoint().toString())).toList());
        runtime = LambdaRuntimeLibrary.prepare(scratch.resolve("runtime"));
    }

    /** Every function's pool, cold-started side by side: on 2 cores that still halves the wait. */
    private void startFunctions() {
        List<CompletableFuture<LambdaFunction>> starting = new ArrayList<>();
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (TemplateFunctions.TemplateFunction function : templateFunctions) {
                int warm = function.routes().isEmpty() ? 0 : config.prewarm();
                PoolSettings settings = new PoolSettings(warm, config.poolSize(),
                        Duration.ofSeconds(10).plus(function.spec().timeout()));
                starting.add(CompletableFuture.supplyAsync(() -> LambdaFunction.start(function.spec(), settings,
                        runtime, timers, scratch.resolve("environments"), log), threads));
            }
            RuntimeException failure = null;
            for (CompletableFuture<LambdaFunction> future : starting) {
                try {
                    LambdaFunction function = future.join();
                    functions.put(function.spec().name(), function);
                } catch (CompletionException e) {
                    failure = failure != null ? failure : e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            threads.shutdown();
        }
    }

    /** The Lambda Invoke endpoint and the HTTP API in front of the functions. */
    private void startEndpoints() {
        Map<String, Set<String>> aliases = new HashMap<>();
        templateFunctions.forEach(f -> aliases.put(f.spec().name(), Set.copyOf(f.aliases())));
        invokeServer = LambdaInvokeServer.start(config.lambdaPort(), functions, aliases, config.region(), ACCOUNT_ID,
                log.prefixed("lambda"));
        events.startSchedules();
        List<Route> routes = templateFunctions.stream().flatMap(f -> f.routes().stream()).toList();
        httpApi = HttpApiServer.start(config.httpPort(), new RouteTable(routes), functions,
                new HttpApiServer.Settings(config.integrationTimeout(),
                        new HttpApiEvents.ApiContext(ACCOUNT_ID, "local", "$default"))
                        .withDevSignIn(new DevSignIn(LOCAL_ISSUER, LOCAL_CLIENT_ID, Clock.systemUTC())),
                Clock.systemUTC(), log.prefixed("http"));
    }

    private void checkNotStopping() {
        if (stopRequested) {
            throw new IllegalStateException("Stopped while starting");
        }
    }

    // ---- what a caller needs ---------------------------------------------------------------------------------

    public URI httpEndpoint() {
        return httpApi.endpoint();
    }

    public URI lambdaEndpoint() {
        return invokeServer.endpoint();
    }

    public LocalDataApi dataApi() {
        return dataApi;
    }

    public LocalStepFunctions stepFunctions() {
        return stepFunctions;
    }

    /** The EventBridge stand-in: what it received, its rules and schedules, its endpoint. */
    public LocalEventBridge events() {
        return events;
    }

    public LambdaRuntimeLibrary runtime() {
        return runtime;
    }

    /** By name, in template order. */
    public Map<String, LambdaFunction> functions() {
        return java.util.Collections.unmodifiableMap(functions);
    }

    public List<TemplateFunctions.TemplateFunction> templateFunctions() {
        return List.copyOf(templateFunctions);
    }

    public List<Route> routes() {
        return httpApi.routes().routes();
    }

    public MigrationResult migration() {
        return migration;
    }

    /** Database role by the local secret ARN that names it (each function's DB_SECRET_ARN is one of these). */
    public Map<String, String> databaseRoles() {
        return secrets.roles();
    }

    public LocalStackConfig config() {
        return config;
    }

    /** An unsigned JWT ({@code alg: none}) for {@code Authorization: Bearer}: sub dev-alice, group approvers. */
    public String devToken() {
        return devToken;
    }

    public Instant devTokenExpiry() {
        return devTokenExpiry;
    }

    /** Process ids of the function JVMs now. */
    public List<Long> functionPids() {
        return functions.values().stream().flatMap(f -> f.pids().stream()).toList();
    }

    /**
     * Makes the approvals of the sample events pending at version 1 (created, or reset), plus {@code demo} new
     * ones with random ids.
     */
    public List<SeededApproval> seed(int demo) {
        return StackSeeds.seed(dataApi, config.repositoryRoot().resolve("events"), demo);
    }

    /**
     * Stops everything: the HTTP endpoints first (no new work), then the functions (SIGTERM, SIGKILL after 3 s),
     * Step Functions, the Data API and PostgreSQL; then checks that no process the stack started is alive and
     * that its ports are free.
     */
    @Override
    public void close() {
        report();
    }

    /** {@link #close()}, returning what it found afterwards. */
    public ShutdownReport report() {
        stopRequested = true;
        synchronized (lifecycle) { // a start under way stops at its next step; then everything it started stops
            return stopAll();
        }
    }

    private ShutdownReport stopAll() {
        if (!closed.compareAndSet(false, true)) {
            return new ShutdownReport(List.of(), List.of());
        }
        Set<Long> started = Leftovers.descendantPids();
        started.removeAll(preexistingDescendants);
        List<Integer> ports = new ArrayList<>();
        if (httpApi != null) {
            ports.add(httpApi.port());
            quietly(httpApi::close);
        }
        if (invokeServer != null) {
            ports.add(invokeServer.port());
            quietly(invokeServer::close);
        }
        if (events != null) { // no new deliveries or schedule firings into stopping functions
            ports.add(events.port());
            quietly(events::close);
        }
        functions.values().parallelStream().forEach(f -> quietly(f::close));
        if (stepFunctions != null) {
            ports.add(stepFunctions.endpoint().getPort());
            quietly(stepFunctions::close);
        }
        if (dataApi != null) {
            ports.add(dataApi.endpoint().getPort());
            quietly(dataApi::close);
        }
        timers.shutdownNow();
        Leftovers.deleteQuietly(scratch);
        List<ProcessHandle> left = stillAliveAfterGrace(started);
        List<Integer> bound = ports.stream().filter(port -> !Ports.isFree(port)).toList();
        return new ShutdownReport(left, bound);
    }

    /**
     * A process told to stop (or killed) can take a few seconds to be gone on a starved machine; only one still
     * there after a grace period is a leftover.
     */
    private static List<ProcessHandle> stillAliveAfterGrace(Set<Long> pids) {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        List<ProcessHandle> left = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(process -> {
                try {
                    process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // still there: judged below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (process.isAlive()) {
                    left.add(process);
                }
            });
        }
        return left;
    }

    private void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.prefixed("stack").line("while stopping: " + e);
        }
    }
}
