package dev.approvals.local.cli;

import dev.approvals.local.lambda.LogSink;
import dev.approvals.local.stack.Banner;
import dev.approvals.local.stack.LocalStack;
import dev.approvals.local.stack.LocalStackConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code approvals-local run}: the whole stack, until Ctrl-C. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        sortOptions = false,
        description = {
            "Runs the whole API on this machine, the way AWS runs it, until Ctrl-C.",
            "",
            "Starts PostgreSQL (embedded unless --database-url), migrates it, starts the local RDS Data API and",
            "the Step Functions callback API, runs every function of template.yaml in its own JVMs under the AWS",
            "Lambda Runtime Interface Client (environment from the template, resolved to the local endpoints),",
            "and serves the template's HTTP API routes, a Lambda Invoke endpoint and an EventBridge stand-in (the",
            "template's rules and schedules). Prints the URLs, a dev JWT and ready-to-paste curl lines. Everything",
            "listens on 127.0.0.1 only.",
            ""})
public final class RunCommand implements Callable<Integer> {

    /** How many demo approvals --seed adds besides the sample events' ones. */
    static final int DEMO_APPROVALS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + LocalStackConfig.DEFAULT_HTTP_PORT,
            description = "HTTP API port (0: any free port). Default: ${DEFAULT-VALUE}, as sam local start-api.")
    int httpPort;

    @Option(names = "--lambda-port", paramLabel = "PORT", defaultValue = "" + LocalStackConfig.DEFAULT_LAMBDA_PORT,
            description = "Lambda Invoke endpoint port. Default: ${DEFAULT-VALUE}, as sam local start-lambda.")
    int lambdaPort;

    @Option(names = "--data-api-port", paramLabel = "PORT",
            defaultValue = "" + LocalStackConfig.DEFAULT_DATA_API_PORT,
            description = "RDS Data API port. Default: ${DEFAULT-VALUE}.")
    int dataApiPort;

    @Option(names = "--step-functions-port", paramLabel = "PORT",
            defaultValue = "" + LocalStackConfig.DEFAULT_STEP_FUNCTIONS_PORT,
            description = "Step Functions callback API port. Default: ${DEFAULT-VALUE}.")
    int stepFunctionsPort;

    @Option(names = "--events-port", paramLabel = "PORT", defaultValue = "" + LocalStackConfig.DEFAULT_EVENTS_PORT,
            description = "EventBridge stand-in port (PutEvents, GET /_local/events). Default: ${DEFAULT-VALUE}.")
    int eventsPort;

    @Option(names = "--schedule-speedup", paramLabel = "FACTOR", defaultValue = "1",
            description = {"Run the template's rate(...) schedules this many times faster (60: a",
                "rate(1 minute) schedule every second). Default: ${DEFAULT-VALUE}."})
    double scheduleSpeedup;

    @Option(names = "--seed", description = {"Make the approvals of events/*.json pending at version 1 (created or",
            "reset) and add " + DEMO_APPROVALS + " demo ones."})
    boolean seed;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "2",
            description = "Most JVMs (execution environments) per function. Default: ${DEFAULT-VALUE}.")
    int poolSize;

    @Option(names = "--prewarm", paramLabel = "N", defaultValue = "1",
            description = {"JVMs per function with HTTP routes started before 'Ready' (0: all on demand, as a",
                "cold Lambda). Default: ${DEFAULT-VALUE}."})
    int prewarm;

    @CommandLine.Mixin
    DatabaseOptions postgres = new DatabaseOptions();

    @Option(names = "--template", paramLabel = "FILE", description = "Default: template.yaml of this repository.")
    Path template;

    @Option(names = "--parameter-overrides", paramLabel = "NAME=VALUE", split = ",",
            description = "Template parameter values, e.g. ApproverGroup=approvers.")
    List<String> parameterOverrides = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "AWS_REGION of the functions and region of the ARNs. Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--integration-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long the HTTP API waits for a function before 503 (AWS: at most 30 s).")
    Duration integrationTimeout;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<LocalStack> started = new CompletableFuture<>();

    @Override
    public Integer call() throws InterruptedException {
        LocalStackConfig.Builder config = config();
        PrintWriter out = spec.commandLine().getOut();
        LogSink sink = line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
        LocalStack stack;
        Thread[] hook = new Thread[1];
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            // the hook is in place before anything starts: Ctrl-C during the start stops what has started
            stack = LocalStack.start(config.log(sink).build(), created -> {
                hook[0] = new Thread(() -> {
                    interrupted.set(true);
                    stop(created, sink);
                }, "approvals-local-stop");
                Runtime.getRuntime().addShutdownHook(hook[0]);
            });
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            if (!removeHook(hook[0]) || interrupted.get()) {
                return 130; // Ctrl-C while starting: the hook stopped what had started
            }
            throw e;
        }
        List<LocalStack.SeededApproval> seeded = seed ? stack.seed(DEMO_APPROVALS) : List.of();
        Banner.lines(stack, seeded).forEach(sink::line);
        started.complete(stack);
        stopped.await();
        if (removeHook(hook[0])) {
            stop(stack, sink);
        }
        return 0;
    }

    /** False when the JVM is already shutting down (Ctrl-C): then the hook does the stopping. */
    private static boolean removeHook(Thread hook) {
        try {
            return hook == null || Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** Completes with the running stack once it is ready (tests, embedding). */
    public CompletableFuture<LocalStack> started() {
        return started;
    }

    /** Stops a running {@link #call()} as Ctrl-C would. */
    public void stop() {
        stopped.countDown();
    }

    private static void stop(LocalStack stack, LogSink sink) {
        sink.line("[stack] stopping: HTTP endpoints, functions, Step Functions, Data API, PostgreSQL");
        LocalStack.ShutdownReport report = stack.report();
        List<ProcessHandle> left = report.processesLeft();
        left.forEach(ProcessHandle::destroyForcibly);
        String ports = "ports " + (report.portsStillBound().isEmpty() ? "free"
                : "STILL BOUND: " + report.portsStillBound());
        sink.line("[stack] stopped: " + (left.isEmpty() ? "no process left"
                : left.size() + " processes were left and are now killed: "
                + left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "))) + ", " + ports
                + ".");
    }

    private LocalStackConfig.Builder config() {
        for (int port : new int[] {httpPort, lambdaPort, dataApiPort, stepFunctionsPort, eventsPort}) {
            if (port < 0 || port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Ports must be between 0 and 65535");
            }
        }
        if (poolSize < 1 || prewarm < 0 || prewarm > poolSize) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Need --pool-size of at least 1 and --prewarm between 0 and --pool-size");
        }
        postgres.validate(spec.commandLine());
        if (integrationTimeout.isNegative() || integrationTimeout.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--integration-timeout must be positive");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : parameterOverrides) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--parameter-overrides takes NAME=VALUE, not '" + pair + "'");
            }
            parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Path root;
        try {
            root = RepositoryRoot.find();
        } catch (IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        LocalStackConfig.Builder builder = LocalStackConfig.builder(root)
                .template(template)
                .httpPort(httpPort).lambdaPort(lambdaPort).dataApiPort(dataApiPort)
                .stepFunctionsPort(stepFunctionsPort).eventsPort(eventsPort).scheduleSpeedup(scheduleSpeedup)
                .databaseUrl(postgres.url).databaseUser(postgres.user).databasePassword(postgres.password)
                .dataDirectory(postgres.dataDirectory)
                .poolSize(poolSize).prewarm(prewarm)
                .region(region)
                .integrationTimeout(integrationTimeout);
        parameters.forEach(builder::parameter);
        try {
            builder.build(); // checks the values now, as usage errors
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return builder;
    }
}
