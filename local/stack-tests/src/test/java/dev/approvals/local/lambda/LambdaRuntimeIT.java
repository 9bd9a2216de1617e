package dev.approvals.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.approvals.local.testfunctions.TestFunctions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local Lambda runtime with real JVMs under the real Runtime Interface Client: what a function sees (context,
 * environment, class loading), errors as the runtime reports them, timeouts and crashes (the environment is killed
 * and replaced), init failures, and more than one environment serving at once.
 */
class LambdaRuntimeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCKING_INIT = "dev.approvals.local.testfunctions.BlockingInitHandler::handleRequest";
    private static TestFunctions functions;
    private static LambdaFunction echo;

    @BeforeAll
    static void start() {
        functions = new TestFunctions("lambda-runtime");
        echo = functions.start(TestFunctions.spec("EchoFunction", TestFunctions.HANDLER, Duration.ofSeconds(20),
                Map.of("TEST_VARIABLE", "from the template", "AWS_REGION", "xx-user-1")), PoolSettings.of(1, 1));
    }

    @AfterAll
    static void stop() {
        if (functions != null) {
            functions.close();
        }
    }

    private static InvocationResult invoke(LambdaFunction function, String payload) throws Exception {
        return function.invoke(InvokeRequest.of(payload.getBytes(StandardCharsets.UTF_8), function.spec().arn()))
                .get(60, TimeUnit.SECONDS);
    }

    /** Waits (bounded) for a process to end; true once it has. */
    private static boolean awaitExit(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    @Test
    void invocation_shouldGiveTheFunctionWhatLambdaGivesIt() throws Exception {
        // GIVEN a client context and a qualified ARN, as the Invoke API passes them
        String clientContext = "{\"custom\":{\"tenant\":\"acme\"},\"client\":{},\"env\":{}}";
        InvokeRequest request = new InvokeRequest("{\"action\":\"echo\",\"n\":1}".getBytes(StandardCharsets.UTF_8),
                echo.spec().arn() + ":live", Optional.of("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
                Optional.of(clientContext), Optional.empty());

        // WHEN
        InvocationResult result = echo.invoke(request).get(60, TimeUnit.SECONDS);

        // THEN
        assertThat(result.functionError()).as(result.payloadText()).isFalse();
        JsonNode seen = JSON.readTree(result.payload());
        assertThat(seen.path("event").asText()).isEqualTo("{\"action\":\"echo\",\"n\":1}");
        assertThat(seen.path("requestId").asText()).isEqualTo(result.requestId());
        assertThat(seen.path("functionName").asText()).isEqualTo("EchoFunction");
        assertThat(seen.path("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(seen.path("memoryLimitMb").asInt()).isEqualTo(256);
        assertThat(seen.path("remainingMs").asLong()).isPositive().isLessThanOrEqualTo(20_000);
        assertThat(seen.path("invokedArn").asText())
                .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:EchoFunction:live");
        assertThat(seen.path("logGroup").asText()).isEqualTo("/aws/lambda/EchoFunction");
        assertThat(seen.path("clientContextCustom").asText()).isEqualTo("{tenant=acme}");
        assertThat(seen.path("traceHeader").asText()).startsWith("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=")
                .endsWith(";Sampled=0");
        // Lambda's reserved variables win over the template's; the template's own arrive as declared
        assertThat(seen.path("env.TEST_VARIABLE").asText()).isEqualTo("from the template");
        assertThat(seen.path("env.AWS_REGION").asText()).isEqualTo("eu-west-1");
        assertThat(seen.path("env.AWS_LAMBDA_FUNCTION_NAME").asText()).isEqualTo("EchoFunction");
        assertThat(seen.path("env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE").asText()).isEqualTo("256");
        assertThat(seen.path("env._HANDLER").asText()).isEqualTo(TestFunctions.HANDLER);
        assertThat(seen.path("env.AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_java21");
        assertThat(seen.path("env.AWS_LAMBDA_RUNTIME_API").asText()).startsWith("127.0.0.1:");
        assertThat(seen.path("env.AWS_ACCESS_KEY_ID").asText()).isEqualTo("local");
        // the stack's own environment stays out, as the developer's shell has nothing to do with Lambda's
        assertThat(seen.path("env.PATH").asText()).isEqualTo("/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        assertThat(Path.of(seen.path("env.HOME").asText()).resolve(".aws")).doesNotExist();
        // the code is the task root (working directory), loaded by the RIC's class loader, not the system one
        assertThat(Path.of(seen.path("userDir").asText())).isEqualTo(TestFunctions.testClasses());
        assertThat(Path.of(seen.path("env.LAMBDA_TASK_ROOT").asText())).isEqualTo(TestFunctions.testClasses());
        assertThat(seen.path("systemClassPath").asText()).contains("aws-lambda-java-runtime-interface-client")
                .doesNotContain("test-classes");
        assertThat(seen.path("maxHeapMb").asLong()).isLessThanOrEqualTo(256);
        // the log lines of this invocation, then Lambda's REPORT line
        assertThat(result.log()).contains("test-handler " + result.requestId());
        assertThat(result.log().getLast()).startsWith("REPORT RequestId: " + result.requestId() + "\tDuration: ")
                .contains("\tMemory Size: 256 MB");
    }

    @Test
    void firstInvocationOfAnEnvironment_shouldReportItsInitDurationOnce() throws Exception {
        LambdaFunction function = functions.start(TestFunctions.spec("InitReportFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(20), Map.of()), PoolSettings.of(1, 1));
        double init = function.environments().getFirst().initDurationMs();
        assertThat(init).isPositive();

        InvocationResult first = invoke(function, "{}");
        InvocationResult second = invoke(function, "{}");

        assertThat(first.log().getLast()).contains(String.format(java.util.Locale.ROOT, "\tInit Duration: %.2f ms", init));
        assertThat(second.log().getLast()).doesNotContain("Init Duration");
        assertThat(functions.lines()).anyMatch(l -> l.startsWith("[InitReportFunction#1] ready: Init Duration "));
    }

    @Test
    void thrownException_shouldComeBackAsTheRuntimesErrorPayload() throws Exception {
        InvocationResult result = invoke(echo, "{\"action\":\"fail\"}");

        assertThat(result.functionError()).isTrue();
        assertThat(result.errorType()).contains("java.lang.IllegalStateException");
        JsonNode error = JSON.readTree(result.payload());
        assertThat(error.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.path("errorMessage").asText()).isEqualTo("boom: the test function failed on purpose");
        assertThat(error.path("stackTrace").isArray()).isTrue();
        // the environment survives a handled error and serves the next invocation
        assertThat(invoke(echo, "{}").functionError()).isFalse();
    }

    @Test
    void timeout_shouldKillTheEnvironmentAnswerSandboxTimedoutAndReplaceIt() throws Exception {
        LambdaFunction function = functions.start(TestFunctions.spec("TimeoutFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(2), Map.of()), PoolSettings.of(1, 1));
        long before = function.pids().getFirst();

        InvocationResult result = invoke(function, "{\"action\":\"sleep\",\"sleepMs\":30000}");

        assertThat(result.functionError()).isTrue();
        assertThat(result.errorType()).contains("Sandbox.Timedout");
        assertThat(JSON.readTree(result.payload()).path("errorMessage").asText())
                .isEqualTo("RequestId: " + result.requestId() + " Error: Task timed out after 2.00 seconds");
        assertThat(result.log().getLast()).contains("\tStatus: timeout");
        assertThat(awaitExit(before)).as("the timed-out JVM is killed").isTrue();
        // a new environment serves the next invocation
        InvocationResult next = invoke(function, "{}");
        assertThat(next.functionError()).isFalse();
        assertThat(JSON.readTree(next.payload()).path("pid").asLong()).isNotEqualTo(before);
        assertThat(function.coldStarts()).isEqualTo(2);
    }

    @Test
    void crash_shouldAnswerRuntimeExitErrorAndReplaceTheEnvironment() throws Exception {
        LambdaFunction function = functions.start(TestFunctions.spec("CrashFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(20), Map.of()), PoolSettings.of(1, 1));

        InvocationResult result = invoke(function, "{\"action\":\"exit\"}");

        assertThat(result.errorType()).contains("Runtime.ExitError");
        assertThat(JSON.readTree(result.payload()).path("errorMessage").asText())
                .isEqualTo("RequestId: " + result.requestId() + " Error: Runtime exited with error: exit status 3");
        assertThat(invoke(function, "{}").functionError()).isFalse();
    }

    @Test
    void initFailure_shouldFailTheStartWithTheRuntimesInitError() {
        assertThatThrownBy(() -> functions.start(TestFunctions.spec("BrokenFunction",
                "dev.approvals.local.testfunctions.BrokenInitHandler::handleRequest", Duration.ofSeconds(20),
                Map.of()), PoolSettings.of(1, 1)))
                .isInstanceOf(FunctionInitException.class)
                .hasMessageContaining("BrokenFunction failed to initialise")
                .hasMessageContaining("java.lang.IllegalStateException")
                .hasMessageContaining("Environment variable NEEDED is not set");
    }

    @Test
    void initFailure_onDemand_shouldAnswerTheWaitingInvocationWithTheInitError() throws Exception {
        LambdaFunction function = functions.start(TestFunctions.spec("BrokenOnDemandFunction",
                "dev.approvals.local.testfunctions.BrokenInitHandler::handleRequest", Duration.ofSeconds(20),
                Map.of()), PoolSettings.of(0, 1));

        InvocationResult result = invoke(function, "{}");

        assertThat(result.functionError()).isTrue();
        assertThat(result.payloadText()).contains("Environment variable NEEDED is not set");
    }

    @Test
    void initTimeout_onDemand_shouldFailTheInvocationTheEnvironmentWasStartedFor(@TempDir Path scratch)
            throws Exception {
        Path block = java.nio.file.Files.createFile(scratch.resolve("block-init"));
        LambdaFunction function = functions.start(TestFunctions.spec("HangingInitFunction", BLOCKING_INIT,
                Duration.ofSeconds(20), Map.of("BLOCK_INIT_FILE", block.toString())),
                new PoolSettings(0, 1, Duration.ofSeconds(2)));

        InvocationResult result = invoke(function, "{}");

        assertThat(result.errorType()).contains("Runtime.InitTimeout");
        assertThat(JSON.readTree(result.payload()).path("errorMessage").asText())
                .isEqualTo("Init did not complete within 2000 ms");
    }

    @Test
    void initTimeoutOfAScaleUpEnvironment_shouldNeverFailARequestQueuedBehindAWarmEnvironment(@TempDir Path scratch)
            throws Exception {
        // GIVEN one warm environment, and new ones whose init hangs until the 3.5 s init timeout kills them
        Path block = scratch.resolve("block-init");
        LambdaFunction function = functions.start(TestFunctions.spec("ScaleUpTimeoutFunction", BLOCKING_INIT,
                Duration.ofSeconds(30), Map.of("BLOCK_INIT_FILE", block.toString())),
                new PoolSettings(1, 2, Duration.ofMillis(3_500)));
        java.nio.file.Files.createFile(block);
        // A keeps the warm environment busy for 2 s
        CompletableFuture<InvocationResult> a = function.invoke(request(function, "{\"action\":\"sleep\",\"sleepMs\":2000}"));
        awaitInvocations(function, 1);
        // B starts a second environment (it hangs in init); C queues behind both, no third JVM allowed
        CompletableFuture<InvocationResult> b = function.invoke(request(function, "{\"action\":\"sleep\",\"sleepMs\":3000}"));
        CompletableFuture<InvocationResult> c = function.invoke(request(function, "{\"action\":\"echo\"}"));

        // WHEN A is done at 2 s the warm environment takes B (until 5 s), and at 3.5 s the second environment's init
        // times out while C still waits for the warm one
        List<InvocationResult> results = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS),
                c.get(60, TimeUnit.SECONDS));

        // THEN nothing fails: the request that environment was started for (B) is already served elsewhere, and C
        // had nothing to do with it
        assertThat(results).allSatisfy(r -> assertThat(r.functionError()).as(r.payloadText()).isFalse());
        assertThat(functions.lines()).anyMatch(l -> l.startsWith("[ScaleUpTimeoutFunction#2] init failed")
                && l.contains("Runtime.InitTimeout"));
    }

    @Test
    void snapStart_shouldRunTheCheckpointAndRestoreHooksDuringInit() throws Exception {
        String handler = "dev.approvals.local.testfunctions.SnapStartHandler::handleRequest";
        LambdaFunction snapStart = functions.start(TestFunctions.spec("SnapStartFunction", handler,
                Duration.ofSeconds(20), Map.of()), new PoolSettings(1, 1, Duration.ofSeconds(60), true));
        LambdaFunction onDemand = functions.start(TestFunctions.spec("OnDemandFunction", handler,
                Duration.ofSeconds(20), Map.of()), PoolSettings.of(1, 1));

        JsonNode restored = JSON.readTree(invoke(snapStart, "{}").payload());
        JsonNode initialised = JSON.readTree(invoke(onDemand, "{}").payload());

        assertThat(restored.path("hooks").asText()).isEqualTo("beforeCheckpoint afterRestore");
        assertThat(restored.path("initializationType").asText()).isEqualTo("snap-start");
        assertThat(initialised.path("hooks").asText()).isEmpty();
        assertThat(initialised.path("initializationType").asText()).isEqualTo("on-demand");
    }

    private static InvokeRequest request(LambdaFunction function, String payload) {
        return InvokeRequest.of(payload.getBytes(StandardCharsets.UTF_8), function.spec().arn());
    }

    private static void awaitInvocations(LambdaFunction function, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (function.environments().stream().mapToInt(LambdaFunction.EnvironmentInfo::invocations).sum() < count) {
            assertThat(System.nanoTime()).as("no environment took the invocation").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void concurrentInvocations_shouldBeServedByMoreThanOneEnvironmentUpToThePoolSize(@TempDir Path barrier)
            throws Exception {
        // GIVEN a function of at most 2 environments whose invocations each wait for another one running at once
        LambdaFunction function = functions.start(TestFunctions.spec("PoolFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(40), Map.of("BARRIER_DIR", barrier.toString())), PoolSettings.of(1, 2));

        // WHEN three arrive together
        List<CompletableFuture<InvocationResult>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(function.invoke(InvokeRequest.of("{\"action\":\"barrier\"}".getBytes(StandardCharsets.UTF_8),
                    function.spec().arn())));
        }

        // THEN all succeed (each one saw another JVM serving at the same time), and never more than 2 JVMs
        List<Long> pids = new ArrayList<>();
        for (CompletableFuture<InvocationResult> future : results) {
            InvocationResult result = future.get(90, TimeUnit.SECONDS);
            assertThat(result.functionError()).as(result.payloadText()).isFalse();
            pids.add(JSON.readTree(result.payload()).path("pid").asLong());
        }
        assertThat(pids.stream().distinct().count()).isEqualTo(2);
        assertThat(function.coldStarts()).isEqualTo(2);
        assertThat(function.environments()).hasSize(2);
    }

    @Test
    void close_shouldStopEveryEnvironment() throws Exception {
        LambdaFunction function = functions.start(TestFunctions.spec("ClosedFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(20), Map.of()), PoolSettings.of(2, 2));
        List<Long> pids = function.pids();
        assertThat(pids).hasSize(2);

        function.close();

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(function.invoke(InvokeRequest.of("{}".getBytes(StandardCharsets.UTF_8), "x")))
                .isCompletedExceptionally();
    }
}
