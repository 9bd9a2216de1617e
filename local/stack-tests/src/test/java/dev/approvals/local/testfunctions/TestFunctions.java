package dev.approvals.local.testfunctions;

import dev.approvals.local.lambda.FunctionSpec;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.PoolSettings;
import dev.approvals.local.lambda.LambdaRuntimeLibrary;
import dev.approvals.local.lambda.LogSink;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs {@link TestHandler} (or any handler in the test classes) as a real Lambda function: its own JVMs under the
 * RIC, code loaded from target/test-classes as Lambda loads /var/task. Output goes to target/it-logs/.
 */
public final class TestFunctions implements AutoCloseable {

    public static final String HANDLER = TestHandler.class.getName() + "::handleRequest";

    private final Path scratch;
    private final LambdaRuntimeLibrary runtime;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<LambdaFunction> started = new ArrayList<>();
    private final PrintStream logFile;
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    public TestFunctions(String name) {
        try {
            scratch = Files.createTempDirectory("test-functions-");
            runtime = LambdaRuntimeLibrary.prepare(scratch.resolve("runtime"));
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            logFile = new PrintStream(Files.newOutputStream(logs.resolve(name + ".log")), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line the functions and the stack wrote, also in target/it-logs/<name>.log. */
    public LogSink log() {
        LogSink file = LogSink.to(logFile);
        return line -> {
            lines.add(line);
            file.line(line);
        };
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public LambdaRuntimeLibrary runtime() {
        return runtime;
    }

    public static Path testClasses() {
        try {
            return Path.of(TestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FunctionSpec spec(String name, String handler, Duration timeout, Map<String, String> environment) {
        return new FunctionSpec(name, handler, testClasses(), environment, timeout, 256, "java21",
                Optional.empty(), Optional.empty(), "eu-west-1", "123456789012");
    }

    public LambdaFunction start(FunctionSpec spec, PoolSettings settings) {
        LambdaFunction function = LambdaFunction.start(spec, settings, runtime, timers, scratch.resolve("env"), log());
        started.add(function);
        return function;
    }

    @Override
    public void close() {
        started.forEach(LambdaFunction::close);
        timers.shutdownNow();
        logFile.close();
    }
}
