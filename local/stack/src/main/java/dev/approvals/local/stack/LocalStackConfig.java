package dev.approvals.local.stack;

import dev.approvals.local.lambda.LogSink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link LocalStack}. Ports default to SAM's for the HTTP API (3000) and the Lambda endpoint (3001);
 * 0 picks a free port (tests). Each function runs {@code prewarm} environments from the start (functions with HTTP
 * routes only; the others start on demand) and at most {@code poolSize}.
 */
public final class LocalStackConfig {

    public static final int DEFAULT_HTTP_PORT = 3000;
    public static final int DEFAULT_LAMBDA_PORT = 3001;
    public static final int DEFAULT_DATA_API_PORT = 8432;
    public static final int DEFAULT_STEP_FUNCTIONS_PORT = 8083;
    public static final int DEFAULT_EVENTS_PORT = 8084;

    private final Path repositoryRoot;
    private final Path template;
    private final int httpPort;
    private final int lambdaPort;
    private final int dataApiPort;
    private final int stepFunctionsPort;
    private final int eventsPort;
    private final double scheduleSpeedup;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final Path dataDirectory;
    private final int poolSize;
    private final int prewarm;
    private final String region;
    private final Map<String, String> parameterOverrides;
    private final Duration integrationTimeout;
    private final Duration tokenValidity;
    private final LogSink log;

    private LocalStackConfig(Builder b) {
        this.repositoryRoot = Objects.requireNonNull(b.repositoryRoot, "repositoryRoot").toAbsolutePath().normalize();
        this.template = b.template != null ? b.template.toAbsolutePath() : repositoryRoot.resolve("template.yaml");
        this.httpPort = port(b.httpPort, "httpPort");
        this.lambdaPort = port(b.lambdaPort, "lambdaPort");
        this.dataApiPort = port(b.dataApiPort, "dataApiPort");
        this.stepFunctionsPort = port(b.stepFunctionsPort, "stepFunctionsPort");
        this.eventsPort = port(b.eventsPort, "eventsPort");
        if (!(b.scheduleSpeedup > 0) || Double.isInfinite(b.scheduleSpeedup)) {
            throw new IllegalArgumentException("The schedule speed-up must be a positive number");
        }
        this.scheduleSpeedup = b.scheduleSpeedup;
        this.databaseUrl = b.databaseUrl == null || b.databaseUrl.isBlank() ? null : b.databaseUrl;
        this.databaseUser = b.databaseUser;
        this.databasePassword = b.databasePassword;
        this.dataDirectory = b.dataDirectory;
        if (b.poolSize < 1 || b.prewarm < 0 || b.prewarm > b.poolSize) {
            throw new IllegalArgumentException("Need a pool size of at least 1 and 0 <= prewarm <= pool size");
        }
        this.poolSize = b.poolSize;
        this.prewarm = b.prewarm;
        this.region = Objects.requireNonNull(b.region, "region");
        this.parameterOverrides = Map.copyOf(b.parameterOverrides);
        this.integrationTimeout = Objects.requireNonNull(b.integrationTimeout, "integrationTimeout");
        this.tokenValidity = Objects.requireNonNull(b.tokenValidity, "tokenValidity");
        this.log = Objects.requireNonNull(b.log, "log");
    }

    private static int port(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535");
        }
        return port;
    }

    public static Builder builder(Path repositoryRoot) {
        return new Builder(repositoryRoot);
    }

    public Path repositoryRoot() { return repositoryRoot; }
    public Path template() { return template; }
    public int httpPort() { return httpPort; }
    public int lambdaPort() { return lambdaPort; }
    public int dataApiPort() { return dataApiPort; }
    public int stepFunctionsPort() { return stepFunctionsPort; }
    public int eventsPort() { return eventsPort; }
    public double scheduleSpeedup() { return scheduleSpeedup; }
    public String databaseUrl() { return databaseUrl; }
    public String databaseUser() { return databaseUser; }
    public String databasePassword() { return databasePassword; }
    public Path dataDirectory() { return dataDirectory; }
    public int poolSize() { return poolSize; }
    public int prewarm() { return prewarm; }
    public String region() { return region; }
    public Map<String, String> parameterOverrides() { return parameterOverrides; }
    public Duration integrationTimeout() { return integrationTimeout; }
    public Duration tokenValidity() { return tokenValidity; }
    public LogSink log() { return log; }

    public static final class Builder {
        private final Path repositoryRoot;
        private Path template;
        private int httpPort = DEFAULT_HTTP_PORT;
        private int lambdaPort = DEFAULT_LAMBDA_PORT;
        private int dataApiPort = DEFAULT_DATA_API_PORT;
        private int stepFunctionsPort = DEFAULT_STEP_FUNCTIONS_PORT;
        private int eventsPort = DEFAULT_EVENTS_PORT;
        private double scheduleSpeedup = 1;
        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private Path dataDirectory;
        private int poolSize = 2;
        private int prewarm = 1;
        private String region = "us-east-1";
        private final Map<String, String> parameterOverrides = new LinkedHashMap<>();
        private Duration integrationTimeout = Duration.ofSeconds(30);
        private Duration tokenValidity = Duration.ofHours(24);
        private LogSink log = LogSink.to(System.out);

        private Builder(Path repositoryRoot) {
            this.repositoryRoot = repositoryRoot;
        }

        /** template.yaml (default: in the repository root). */
        public Builder template(Path template) {
            this.template = template;
            return this;
        }

        /** Every port 0: free ports, for tests. */
        public Builder anyFreePorts() {
            return httpPort(0).lambdaPort(0).dataApiPort(0).stepFunctionsPort(0).eventsPort(0);
        }

        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        public Builder lambdaPort(int port) {
            this.lambdaPort = port;
            return this;
        }

        public Builder dataApiPort(int port) {
            this.dataApiPort = port;
            return this;
        }

        public Builder stepFunctionsPort(int port) {
            this.stepFunctionsPort = port;
            return this;
        }

        /** The EventBridge stand-in's port (PutEvents, GET /_local/events). */
        public Builder eventsPort(int port) {
            this.eventsPort = port;
            return this;
        }

        /** Schedules run this many times faster than their rate(...) says (tests, demos); default 1. */
        public Builder scheduleSpeedup(double speedup) {
            this.scheduleSpeedup = speedup;
            return this;
        }

        /** An external PostgreSQL (jdbc:postgresql://...) instead of the embedded one. */
        public Builder databaseUrl(String url) {
            this.databaseUrl = url;
            return this;
        }

        public Builder databaseUser(String user) {
            this.databaseUser = user;
            return this;
        }

        public Builder databasePassword(String password) {
            this.databasePassword = password;
            return this;
        }

        /** Keep the embedded PostgreSQL's data here across runs (default: fresh each run). */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** At most this many execution environments (JVMs) per function. */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /** Environments started before the stack reports ready, per function with HTTP routes. */
        public Builder prewarm(int environments) {
            this.prewarm = environments;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** A template parameter's value (as {@code sam deploy --parameter-overrides}). */
        public Builder parameter(String name, String value) {
            this.parameterOverrides.put(name, value);
            return this;
        }

        /** How long the HTTP API waits for a function before it answers 503 (AWS: 30 s at most). */
        public Builder integrationTimeout(Duration timeout) {
            this.integrationTimeout = timeout;
            return this;
        }

        /** How long the printed dev token is valid. */
        public Builder tokenValidity(Duration validity) {
            this.tokenValidity = validity;
            return this;
        }

        /** Where the stack and the functions write their lines (default: standard output). */
        public Builder log(LogSink sink) {
            this.log = sink;
            return this;
        }

        public LocalStackConfig build() {
            return new LocalStackConfig(this);
        }
    }
}
