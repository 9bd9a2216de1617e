package dev.approvals.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Lambda execution environment: a JVM running the function under the Runtime Interface Client, and the
 * Lambda Runtime API it polls, on its own loopback port (as every Lambda sandbox has its own
 * {@code AWS_LAMBDA_RUNTIME_API}). It serves one invocation at a time; the function's queue hands it the next.
 */
final class ExecutionEnvironment {

    enum State { STARTING, READY, DEAD }

    static final String RUNTIME_PREFIX = "/2018-06-01/runtime/";
    /** Lambda's synchronous payload limit, both ways. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    /** Process-exit callbacks run here, not on the JDK's process reaper thread. */
    private static final Executor CALLBACKS = Executors.newVirtualThreadPerTaskExecutor();
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final LambdaFunction function;
    private final FunctionSpec spec;
    final int index;
    final String label;
    private final LogSink output;

    private HttpServer runtimeApi;
    private ExecutorService runtimeApiThreads;
    private Process process;
    private long spawnNanos;
    private FileChannel outputChannel;
    private long outputPosition;
    private final java.io.ByteArrayOutputStream partialLine = new java.io.ByteArrayOutputStream();
    private ScheduledFuture<?> outputPoller;

    volatile State state = State.STARTING;
    volatile double initDurationMs = Double.NaN;
    volatile Invocation current;
    /** The invocation whose arrival started this environment (null for one kept warm): its init error goes there. */
    volatile Invocation startedFor;
    volatile boolean killedOnPurpose;
    volatile String initErrorBody;
    volatile String pendingReport;
    volatile boolean initReported;
    volatile int invocations;
    private volatile long lastMaxMemoryMb = -1;
    final CompletableFuture<ExecutionEnvironment> ready = new CompletableFuture<>();

    ExecutionEnvironment(LambdaFunction function, int index, LogSink output) {
        this.function = function;
        this.spec = function.spec();
        this.index = index;
        this.label = spec.name() + "#" + index;
        this.output = output.prefixed(label);
    }

    /** Starts the Runtime API endpoint and the function's JVM. */
    void launch(LambdaRuntimeLibrary runtime, Path scratch) throws IOException {
        runtimeApiThreads = Executors.newVirtualThreadPerTaskExecutor();
        runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        runtimeApi.setExecutor(runtimeApiThreads);
        runtimeApi.createContext("/", this::handle);
        runtimeApi.start();
        Path home = Files.createDirectories(scratch.resolve(label.replace('#', '-')).resolve("home"));
        Path tmp = Files.createDirectories(home.resolveSibling("tmp"));
        // stdout and stderr into one file, as Lambda merges them into one log stream: a file (unlike a pipe read
        // by a thread) says synchronously what the function wrote before it answered, so each line is given to
        // the invocation it belongs to
        Path output = home.resolveSibling("output.log");
        ProcessBuilder builder = new ProcessBuilder(command(runtime, tmp))
                .directory(spec.codeDirectory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(runtime, home));
        spawnNanos = System.nanoTime();
        try {
            process = builder.start();
            outputChannel = FileChannel.open(output, StandardOpenOption.READ);
        } catch (IOException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            stopRuntimeApi();
            throw e;
        }
        outputPoller = function.timers().scheduleWithFixedDelay(this::drainOutput, 100, 100, TimeUnit.MILLISECONDS);
        process.onExit().thenAcceptAsync(p -> function.exited(this, p.exitValue()), CALLBACKS);
    }

    /** The JVM command line of Lambda's java runtime, heap sized from MemorySize (85%, as Lambda does). */
    private List<String> command(LambdaRuntimeLibrary runtime, Path tmp) {
        List<String> command = new ArrayList<>();
        command.add(runtime.java().toString());
        command.add("-XX:MaxHeapSize=" + (spec.memorySizeMb() * 1024L * 85 / 100) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-XX:+ErrorFileToStderr");
        if (runtime.javaFeatureVersion() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED"); // the RIC loads its JNI library
        }
        if (runtime.javaFeatureVersion() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // the RIC's UnsafeUtil
        }
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-D" + LambdaRuntimeLibrary.JNI_PROPERTY + "=" + runtime.jniLibrary());
        command.add("-classpath");
        command.add(runtime.classPathArgument());
        command.add(LambdaRuntimeLibrary.MAIN_CLASS);
        command.add(spec.handler());
        return command;
    }

    /**
     * The function's variables, then Lambda's reserved ones (which a function cannot override on AWS either).
     * Credentials are dummies, and HOME is an empty directory: no developer's ~/.aws leaks in.
     */
    private Map<String, String> environment(LambdaRuntimeLibrary runtime, Path home) {
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        env.put("_HANDLER", spec.handler());
        env.put("AWS_REGION", spec.region());
        env.put("AWS_DEFAULT_REGION", spec.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memorySizeMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", function.settings().snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).format(STREAM_DATE) + "/[$LATEST]"
                + HexFormat.of().formatHex(randomBytes(16)));
        spec.logFormat().ifPresent(format -> env.put("AWS_LAMBDA_LOG_FORMAT", format));
        spec.logLevel().ifPresent(level -> env.put("AWS_LAMBDA_LOG_LEVEL", level));
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        env.put("LAMBDA_TASK_ROOT", spec.codeDirectory().toString());
        env.put("LAMBDA_RUNTIME_DIR", runtime.classPath().getFirst().getParent().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("HOME", home.toString());
        return env;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean isAlive() {
        return state != State.DEAD && process != null && process.isAlive();
    }

    /** Kills the JVM at once, as Lambda does on a timeout. */
    void kill() {
        killedOnPurpose = true;
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Asks the JVM to stop (SIGTERM); {@link #awaitExit} then kills what is left. */
    void stop() {
        killedOnPurpose = true;
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    void awaitExit(long millis) {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    void stopRuntimeApi() {
        if (runtimeApi != null) {
            runtimeApi.stop(0);
        }
        if (runtimeApiThreads != null) {
            runtimeApiThreads.shutdownNow();
        }
    }

    /** The JVM's peak resident memory (VmHWM) in MB, where /proc tells it; -1 elsewhere. */
    long maxMemoryUsedMb() {
        Path status = Path.of("/proc", Long.toString(pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).replace("kB", "").strip();
                    lastMaxMemoryMb = Long.parseLong(kb) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone (then the last value read stands), or not Linux
        }
        return lastMaxMemoryMb;
    }

    void write(String line) {
        output.line(line);
    }

    /** Writes the last invocation's REPORT line, once its runtime is done with it. */
    void flushReport() {
        String report = pendingReport;
        if (report != null) {
            pendingReport = null;
            output.line(report);
        }
    }

    // ---- the Lambda Runtime API ------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!path.startsWith(RUNTIME_PREFIX)) {
                respond(exchange, 404, error("NotFound", "Not found"));
                return;
            }
            String route = path.substring(RUNTIME_PREFIX.length());
            if (method.equals("GET") && route.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && route.startsWith("invocation/") && route.endsWith("/response")) {
                response(exchange, route.substring("invocation/".length(), route.length() - "/response".length()));
            } else if (method.equals("POST") && route.startsWith("invocation/") && route.endsWith("/error")) {
                invocationError(exchange, route.substring("invocation/".length(), route.length() - "/error".length()));
            } else if (method.equals("POST") && route.equals("init/error")) {
                initError(exchange);
            } else if (method.equals("GET") && route.equals("restore/next")) {
                // SnapStart: the runtime ran its beforeCheckpoint hooks; Lambda would snapshot here and answer on
                // restore. Locally there is no snapshot: the runtime carries on at once (afterRestore hooks, then
                // invocation/next), so the init measured includes the hooks, as a SnapStart init does
                exchange.getRequestBody().readAllBytes();
                respond(exchange, 200, "{}");
            } else if (method.equals("POST") && route.equals("restore/error")) {
                initError(exchange);
            } else {
                respond(exchange, 404, error("NotFound", "Unknown Runtime API path " + method + " " + path));
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        drainOutput();
        flushReport();
        if (state == State.STARTING) {
            initDurationMs = (System.nanoTime() - spawnNanos) / 1e6;
            state = State.READY;
            function.ready(this);
        }
        if (current != null) {
            respond(exchange, 400, error("InvalidStateTransition",
                    "Runtime asked for the next invocation before answering " + current.requestId));
            return;
        }
        Invocation invocation = function.takeNext(this);
        if (invocation == null) {
            respond(exchange, 500, error("ServiceException", "The execution environment is shutting down"));
            return;
        }
        long timeoutMillis = spec.timeout().toMillis();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] payload = invocation.request.payload();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.request.invokedArn());
        headers.set("Lambda-Runtime-Trace-Id", traceHeader(invocation.request));
        invocation.request.clientContext().ifPresent(c -> headers.set("Lambda-Runtime-Client-Context", c));
        invocation.request.cognitoIdentity().ifPresent(c -> headers.set("Lambda-Runtime-Cognito-Identity", c));
        // set before the event leaves: the runtime may answer before this thread runs again
        current = invocation;
        invocation.environment = this;
        invocation.startedNanos = System.nanoTime();
        try {
            exchange.sendResponseHeaders(200, payload.length == 0 ? -1 : payload.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(payload);
            }
        } catch (IOException e) {
            // the runtime went away before it got the event: another environment serves it
            current = null;
            invocation.environment = null;
            function.requeue(invocation);
            return;
        }
        invocations++;
        function.started(this, invocation, timeoutMillis);
    }

    private void response(HttpExchange exchange, String requestId) throws IOException {
        Invocation invocation = current;
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 400, error("InvalidRequestID", "Invalid request ID"));
            return;
        }
        byte[] body = readLimited(exchange.getRequestBody());
        if (body == null) {
            drainOutput();
            current = null;
            function.finish(this, invocation, LambdaErrors.payload("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + MAX_PAYLOAD_BYTES
                            + " bytes)."), "Function.ResponseSizeTooLarge", null);
            respond(exchange, 413, error("RequestEntityTooLarge", "Exceeded maximum allowed payload size ("
                    + MAX_PAYLOAD_BYTES + " bytes)."));
            return;
        }
        drainOutput(); // what it wrote before answering belongs to this invocation
        current = null;
        function.finish(this, invocation, body, null, null);
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private void invocationError(HttpExchange exchange, String requestId) throws IOException {
        Invocation invocation = current;
        byte[] body = readLimited(exchange.getRequestBody());
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            respond(exchange, 400, error("InvalidRequestID", "Invalid request ID"));
            return;
        }
        if (body == null) {
            body = LambdaErrors.payload("Function.ResponseSizeTooLarge", "The error payload was too large");
        }
        // the payload names the exception (what Step Functions matches); the header only its category, e.g.
        // Runtime.UserException
        String header = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String errorType = LambdaErrors.errorType(body)
                .orElse(header == null || header.isBlank() ? "Unhandled" : header);
        drainOutput();
        current = null;
        function.finish(this, invocation, body, errorType, null);
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = readLimited(exchange.getRequestBody());
        initErrorBody = body == null ? null : new String(body, StandardCharsets.UTF_8);
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
        if (bytes.length > MAX_PAYLOAD_BYTES) {
            in.transferTo(OutputStream.nullOutputStream());
            return null;
        }
        return bytes;
    }

    /** Lambda's tracing header: the caller's root (or a new one), a parent segment, not sampled. */
    private static String traceHeader(InvokeRequest request) {
        String root = request.traceId().flatMap(ExecutionEnvironment::rootOf).orElseGet(ExecutionEnvironment::newRoot);
        return "Root=" + root + ";Parent=" + HexFormat.of().formatHex(randomBytes(8)) + ";Sampled=0";
    }

    private static java.util.Optional<String> rootOf(String traceHeader) {
        for (String part : traceHeader.split(";")) {
            String trimmed = part.strip();
            if (trimmed.startsWith("Root=") && trimmed.length() > 5) {
                return java.util.Optional.of(trimmed.substring(5));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code 1-<epoch seconds, 8 hex>-<24 hex>}, the X-Ray trace id format. */
    static String newRoot() {
        return "1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + HexFormat.of().formatHex(randomBytes(12));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String error(String type, String message) {
        return new String(LambdaErrors.payload(type, message), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Writes out (and gives the current invocation) every complete line the process has written since the last
     * call; with {@code all}, also a last line without a newline (the process is gone).
     */
    synchronized void drainOutput(boolean all) {
        FileChannel channel = outputChannel;
        if (channel == null) {
            return;
        }
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            int read;
            while ((read = channel.read(buffer, outputPosition)) > 0) {
                outputPosition += read;
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        emit(partialLine.toString(StandardCharsets.UTF_8));
                        partialLine.reset();
                    } else {
                        partialLine.write(b);
                    }
                }
                buffer.clear();
            }
            if (all && partialLine.size() > 0) {
                emit(partialLine.toString(StandardCharsets.UTF_8));
                partialLine.reset();
            }
        } catch (IOException e) {
            // the file is gone with the scratch directory: nothing more to show
        }
    }

    void drainOutput() {
        drainOutput(false);
    }

    private void emit(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        output.line(text);
        Invocation invocation = current;
        if (invocation != null) {
            invocation.log(text);
        }
    }

    /** After the process ended: the last lines, then no more polling. */
    void closeOutput() {
        if (outputPoller != null) {
            outputPoller.cancel(false);
        }
        drainOutput(true);
        synchronized (this) {
            try {
                if (outputChannel != null) {
                    outputChannel.close();
                }
            } catch (IOException e) {
                // nothing to do
            }
            outputChannel = null;
        }
    }

    @Override
    public String toString() {
        return label + "[pid " + pid() + ", " + state + "]";
    }
}
