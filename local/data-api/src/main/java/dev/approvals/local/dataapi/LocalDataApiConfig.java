package dev.approvals.local.dataapi;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How to start a {@link LocalDataApi}. Defaults follow the real service: 45 s statement timeout, transactions
 * expire after 3 min idle or 24 h in total, 1 MiB results (no limit per row), 4 MiB requests, and
 * {@code numberOfRecordsUpdated = 0} for statements that return rows.
 */
public final class LocalDataApiConfig {

    /** What {@code numberOfRecordsUpdated} says for a statement that returns a result set (e.g. UPDATE ... RETURNING). */
    public enum ResultSetUpdateCount {
        /** 0, as a JDBC-based service reports it (the default; unverified on AWS). */
        ZERO,
        /** The number of rows returned. */
        ROW_COUNT
    }

    /** Environment variable with an external database URL (instead of the embedded PostgreSQL). */
    public static final String DATABASE_URL_ENV = "APPROVALS_DATABASE_URL";

    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final Path embeddedDataDirectory;
    private final int embeddedPort;
    private final int port;
    private final String region;
    private final String accountId;
    private final String clusterName;
    private final String secretName;
    private final String databaseName;
    private final Duration statementTimeout;
    private final Duration transactionIdleTimeout;
    private final Duration transactionMaxLifetime;
    private final Duration transactionReapInterval;
    private final ResultSetUpdateCount resultSetUpdateCount;
    private final int maxResultBytes;
    private final int maxRequestBytes;
    private final int httpThreads;
    private final int maxConnectionsPerDatabase;
    private final Path migrationsDirectory;
    private final boolean migrateOnStart;
    private final InstantSource clock;

    private LocalDataApiConfig(Builder b) {
        this.databaseUrl = b.databaseUrl;
        this.databaseUser = b.databaseUser;
        this.databasePassword = b.databasePassword;
        this.embeddedDataDirectory = b.embeddedDataDirectory;
        this.embeddedPort = b.embeddedPort;
        this.port = b.port;
        this.region = Objects.requireNonNull(b.region, "region");
        this.accountId = Objects.requireNonNull(b.accountId, "accountId");
        this.clusterName = Objects.requireNonNull(b.clusterName, "clusterName");
        this.secretName = Objects.requireNonNull(b.secretName, "secretName");
        this.databaseName = Objects.requireNonNull(b.databaseName, "databaseName");
        this.statementTimeout = positive(b.statementTimeout, "statementTimeout");
        this.transactionIdleTimeout = positive(b.transactionIdleTimeout, "transactionIdleTimeout");
        this.transactionMaxLifetime = positive(b.transactionMaxLifetime, "transactionMaxLifetime");
        this.transactionReapInterval = positive(b.transactionReapInterval, "transactionReapInterval");
        this.resultSetUpdateCount = Objects.requireNonNull(b.resultSetUpdateCount, "resultSetUpdateCount");
        this.maxResultBytes = b.maxResultBytes;
        this.maxRequestBytes = b.maxRequestBytes;
        this.httpThreads = b.httpThreads;
        this.maxConnectionsPerDatabase = b.maxConnectionsPerDatabase;
        this.migrationsDirectory = b.migrationsDirectory;
        this.migrateOnStart = b.migrateOnStart;
        this.clock = Objects.requireNonNull(b.clock, "clock");
        if (port < 0 || port > 65535 || embeddedPort < 0 || embeddedPort > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535");
        }
        if (httpThreads < 1 || maxConnectionsPerDatabase < 1) {
            throw new IllegalArgumentException("httpThreads and maxConnectionsPerDatabase must be at least 1");
        }
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: embedded PostgreSQL, any free port. */
    public static LocalDataApiConfig defaults() {
        return builder().build();
    }

    /** The defaults, with {@value #DATABASE_URL_ENV} used as the database URL when it is set. */
    public static LocalDataApiConfig fromEnvironment() {
        return builder().databaseUrl(System.getenv(DATABASE_URL_ENV)).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.databaseUrl = databaseUrl;
        b.databaseUser = databaseUser;
        b.databasePassword = databasePassword;
        b.embeddedDataDirectory = embeddedDataDirectory;
        b.embeddedPort = embeddedPort;
        b.port = port;
        b.region = region;
        b.accountId = accountId;
        b.clusterName = clusterName;
        b.secretName = secretName;
        b.databaseName = databaseName;
        b.statementTimeout = statementTimeout;
        b.transactionIdleTimeout = transactionIdleTimeout;
        b.transactionMaxLifetime = transactionMaxLifetime;
        b.transactionReapInterval = transactionReapInterval;
        b.resultSetUpdateCount = resultSetUpdateCount;
        b.maxResultBytes = maxResultBytes;
        b.maxRequestBytes = maxRequestBytes;
        b.httpThreads = httpThreads;
        b.maxConnectionsPerDatabase = maxConnectionsPerDatabase;
        b.migrationsDirectory = migrationsDirectory;
        b.migrateOnStart = migrateOnStart;
        b.clock = clock;
        return b;
    }

    public String databaseUrl() { return databaseUrl; }
    public String databaseUser() { return databaseUser; }
    public String databasePassword() { return databasePassword; }
    public Path embeddedDataDirectory() { return embeddedDataDirectory; }
    public int embeddedPort() { return embeddedPort; }
    public int port() { return port; }
    public String region() { return region; }
    public String accountId() { return accountId; }
    public String clusterName() { return clusterName; }
    public String secretName() { return secretName; }
    public String databaseName() { return databaseName; }
    public Duration statementTimeout() { return statementTimeout; }
    public Duration transactionIdleTimeout() { return transactionIdleTimeout; }
    public Duration transactionMaxLifetime() { return transactionMaxLifetime; }
    public Duration transactionReapInterval() { return transactionReapInterval; }
    public ResultSetUpdateCount resultSetUpdateCount() { return resultSetUpdateCount; }
    public int maxResultBytes() { return maxResultBytes; }
    public int maxRequestBytes() { return maxRequestBytes; }
    public int httpThreads() { return httpThreads; }
    public int maxConnectionsPerDatabase() { return maxConnectionsPerDatabase; }
    public Path migrationsDirectory() { return migrationsDirectory; }
    public boolean migrateOnStart() { return migrateOnStart; }
    public InstantSource clock() { return clock; }

    /** The cluster ARN the emulator answers to: {@code arn:aws:rds:<region>:<account>:cluster:<clusterName>}. */
    public String clusterArn() {
        return "arn:aws:rds:" + region + ":" + accountId + ":cluster:" + clusterName;
    }

    /** The secret ARN for the database credentials: {@code arn:aws:secretsmanager:...:secret:<secretName>}. */
    public String secretArn() {
        return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + secretName;
    }

    /** Builder for {@link LocalDataApiConfig}. */
    public static final class Builder {
        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private Path embeddedDataDirectory;
        private int embeddedPort;
        private int port;
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private String clusterName = "approvals-local";
        private String secretName = "approvals-local-db-AbCdEf";
        private String databaseName = "approvals";
        private Duration statementTimeout = Duration.ofSeconds(45);
        private Duration transactionIdleTimeout = Duration.ofMinutes(3);
        private Duration transactionMaxLifetime = Duration.ofHours(24);
        private Duration transactionReapInterval = Duration.ofSeconds(5);
        private ResultSetUpdateCount resultSetUpdateCount = ResultSetUpdateCount.ZERO;
        private int maxResultBytes = 1024 * 1024;
        private int maxRequestBytes = 4 * 1024 * 1024;
        private int httpThreads = 16;
        private int maxConnectionsPerDatabase = 20;
        private Path migrationsDirectory;
        private boolean migrateOnStart;
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /** An external PostgreSQL ({@code jdbc:postgresql://host:port/db[?user=..&password=..]}); null: embedded. */
        public Builder databaseUrl(String url) {
            this.databaseUrl = url == null || url.isBlank() ? null : url;
            return this;
        }

        /** User for the external database (overrides the URL's). */
        public Builder databaseUser(String user) {
            this.databaseUser = user;
            return this;
        }

        /** Password for the external database (overrides the URL's). */
        public Builder databasePassword(String password) {
            this.databasePassword = password;
            return this;
        }

        /** Keep the embedded PostgreSQL's data in this directory across runs (default: fresh, deleted on close). */
        public Builder embeddedDataDirectory(Path directory) {
            this.embeddedDataDirectory = directory;
            return this;
        }

        /** Port of the embedded PostgreSQL (0: any free port). */
        public Builder embeddedPort(int port) {
            this.embeddedPort = port;
            return this;
        }

        /** Port of the Data API endpoint on 127.0.0.1 (0: any free port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        public Builder secretName(String secretName) {
            this.secretName = secretName;
            return this;
        }

        /** The default database (created in the embedded server; for a database URL, the URL's database wins). */
        public Builder databaseName(String databaseName) {
            this.databaseName = databaseName;
            return this;
        }

        public Builder statementTimeout(Duration timeout) {
            this.statementTimeout = timeout;
            return this;
        }

        public Builder transactionIdleTimeout(Duration timeout) {
            this.transactionIdleTimeout = timeout;
            return this;
        }

        public Builder transactionMaxLifetime(Duration lifetime) {
            this.transactionMaxLifetime = lifetime;
            return this;
        }

        /** How often expired transactions are rolled back in the background (they also expire when next used). */
        public Builder transactionReapInterval(Duration interval) {
            this.transactionReapInterval = interval;
            return this;
        }

        public Builder resultSetUpdateCount(ResultSetUpdateCount mode) {
            this.resultSetUpdateCount = mode;
            return this;
        }

        /** Largest result (serialized records) before UnsupportedResultException; 0 disables the check. */
        public Builder maxResultBytes(int bytes) {
            this.maxResultBytes = bytes;
            return this;
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder httpThreads(int threads) {
            this.httpThreads = threads;
            return this;
        }

        public Builder maxConnectionsPerDatabase(int connections) {
            this.maxConnectionsPerDatabase = connections;
            return this;
        }

        /** Where {@code V<n>__<name>.sql} live (default: {@code db/migrations} found above the working directory). */
        public Builder migrationsDirectory(Path directory) {
            this.migrationsDirectory = directory;
            return this;
        }

        /** Apply the migrations to the default database when starting. */
        public Builder migrateOnStart(boolean migrate) {
            this.migrateOnStart = migrate;
            return this;
        }

        /** The clock for transaction expiry (tests pass a controllable one). */
        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public LocalDataApiConfig build() {
            return new LocalDataApiConfig(this);
        }
    }
}
