package dev.approvals.local.dataapi;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How to start a {@link LocalDataApi}, in groups of settings that change together. Defaults follow the real
 * service: 45 s statement timeout, transactions expire after 3 min idle or 24 h in total, 1 MiB results (no limit
 * per row), 4 MiB requests, and {@code numberOfRecordsUpdated = 0} for statements that return rows.
 *
 * @param database     where PostgreSQL comes from
 * @param embeddedPort port of the embedded PostgreSQL (0: any free port)
 * @param cluster      the endpoint's port and the names it answers to
 * @param limits       statement timeout, sizes, threads and connections
 * @param transactions when open transactions expire
 * @param migrations   which migrations, and whether to apply them to the default database when starting
 * @param clock        the clock for transaction expiry (tests pass a controllable one)
 */
public record LocalDataApiConfig(DatabaseSettings database, int embeddedPort, Cluster cluster, Limits limits,
                                 TransactionTimeouts transactions, Migrations migrations, InstantSource clock) {

    /** What {@code numberOfRecordsUpdated} says for a statement that returns a result set (e.g. UPDATE ... RETURNING). */
    public enum ResultSetUpdateCount {
        /** 0, as a JDBC-based service reports it (the default; unverified on AWS). */
        ZERO,
        /** The number of rows returned. */
        ROW_COUNT
    }

    public LocalDataApiConfig {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(migrations, "migrations");
        Objects.requireNonNull(clock, "clock");
        checkPort(embeddedPort);
    }

    /** The defaults: embedded PostgreSQL, any free port. */
    public static LocalDataApiConfig defaults() {
        return new LocalDataApiConfig(DatabaseSettings.embedded(), 0, Cluster.DEFAULT, Limits.DEFAULT,
                TransactionTimeouts.DEFAULT, Migrations.NONE, InstantSource.system());
    }

    /** The defaults, with {@value DatabaseSettings#URL_ENV} used as the database URL when it is set. */
    public static LocalDataApiConfig fromEnvironment() {
        return defaults().with(DatabaseSettings.fromEnvironment());
    }

    public LocalDataApiConfig with(DatabaseSettings newDatabase) {
        return new LocalDataApiConfig(newDatabase, embeddedPort, cluster, limits, transactions, migrations, clock);
    }

    public LocalDataApiConfig withEmbeddedPort(int port) {
        return new LocalDataApiConfig(database, port, cluster, limits, transactions, migrations, clock);
    }

    public LocalDataApiConfig withCluster(UnaryOperator<Cluster> change) {
        return new LocalDataApiConfig(database, embeddedPort, change.apply(cluster), limits, transactions, migrations,
                clock);
    }

    public LocalDataApiConfig withLimits(UnaryOperator<Limits> change) {
        return new LocalDataApiConfig(database, embeddedPort, cluster, change.apply(limits), transactions, migrations,
                clock);
    }

    public LocalDataApiConfig withTransactions(UnaryOperator<TransactionTimeouts> change) {
        return new LocalDataApiConfig(database, embeddedPort, cluster, limits, change.apply(transactions), migrations,
                clock);
    }

    public LocalDataApiConfig with(Migrations newMigrations) {
        return new LocalDataApiConfig(database, embeddedPort, cluster, limits, transactions, newMigrations, clock);
    }

    public LocalDataApiConfig withClock(InstantSource newClock) {
        return new LocalDataApiConfig(database, embeddedPort, cluster, limits, transactions, migrations, newClock);
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535");
        }
        return port;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * The endpoint (on 127.0.0.1; port 0: any free port) and the ARNs and default database it answers to. For a
     * database URL, the URL's database wins over {@code databaseName} (which the embedded server creates).
     */
    public record Cluster(int port, String region, String accountId, String clusterName, String secretName,
                          String databaseName) {
        public static final Cluster DEFAULT = new Cluster(0, "us-east-1", "123456789012", "approvals-local",
                "approvals-local-db-AbCdEf", "approvals");

        public Cluster {
            checkPort(port);
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(clusterName, "clusterName");
            Objects.requireNonNull(secretName, "secretName");
            Objects.requireNonNull(databaseName, "databaseName");
        }

        public Cluster withPort(int newPort) {
            return new Cluster(newPort, region, accountId, clusterName, secretName, databaseName);
        }

        public Cluster withRegion(String newRegion, String newAccountId) {
            return new Cluster(port, newRegion, newAccountId, clusterName, secretName, databaseName);
        }

        public Cluster withDatabaseName(String newDatabaseName) {
            return new Cluster(port, region, accountId, clusterName, secretName, newDatabaseName);
        }

        /** {@code arn:aws:rds:<region>:<account>:cluster:<clusterName>}. */
        public String clusterArn() {
            return "arn:aws:rds:" + region + ":" + accountId + ":cluster:" + clusterName;
        }

        /** The secret ARN for the database credentials: {@code arn:aws:secretsmanager:...:secret:<secretName>}. */
        public String secretArn() {
            return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + secretName;
        }
    }

    /**
     * @param maxResultBytes largest result (serialized records) before UnsupportedResultException; 0: no check
     */
    public record Limits(Duration statementTimeout, ResultSetUpdateCount resultSetUpdateCount, int maxResultBytes,
                         int maxRequestBytes, int httpThreads, int maxConnectionsPerDatabase) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(45), ResultSetUpdateCount.ZERO,
                1024 * 1024, 4 * 1024 * 1024, 16, 20);

        public Limits {
            positive(statementTimeout, "statementTimeout");
            Objects.requireNonNull(resultSetUpdateCount, "resultSetUpdateCount");
            if (httpThreads < 1 || maxConnectionsPerDatabase < 1) {
                throw new IllegalArgumentException("httpThreads and maxConnectionsPerDatabase must be at least 1");
            }
        }

        public Limits withStatementTimeout(Duration timeout) {
            return new Limits(timeout, resultSetUpdateCount, maxResultBytes, maxRequestBytes, httpThreads,
                    maxConnectionsPerDatabase);
        }

        public Limits with(ResultSetUpdateCount mode) {
            return new Limits(statementTimeout, mode, maxResultBytes, maxRequestBytes, httpThreads,
                    maxConnectionsPerDatabase);
        }
    }

    /**
     * Transactions expire after {@code idle} without a call or {@code maxLifetime} in total; expired ones are rolled
     * back in the background every {@code reapInterval} (and when next used).
     */
    public record TransactionTimeouts(Duration idle, Duration maxLifetime, Duration reapInterval) {
        public static final TransactionTimeouts DEFAULT = new TransactionTimeouts(Duration.ofMinutes(3),
                Duration.ofHours(24), Duration.ofSeconds(5));

        public TransactionTimeouts {
            positive(idle, "transactionIdleTimeout");
            positive(maxLifetime, "transactionMaxLifetime");
            positive(reapInterval, "transactionReapInterval");
        }

        public TransactionTimeouts withMaxLifetime(Duration lifetime) {
            return new TransactionTimeouts(idle, lifetime, reapInterval);
        }
    }

    /**
     * @param directory where {@code V<n>__<name>.sql} live (null: {@code db/migrations} found above the working
     *                  directory)
     * @param onStart   apply them to the default database when starting
     */
    public record Migrations(Path directory, boolean onStart) {
        public static final Migrations NONE = new Migrations(null, false);
        public static final Migrations ON_START = new Migrations(null, true);
    }
}
