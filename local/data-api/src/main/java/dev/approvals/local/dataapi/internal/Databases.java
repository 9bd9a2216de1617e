package dev.approvals.local.dataapi.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.approvals.local.dataapi.postgres.PostgresServer;

/**
 * Connection pools (HikariCP), one per database and credentials, in front of the PostgreSQL server.
 *
 * <p>Every connection runs with {@code TimeZone=UTC} (as Data API sessions do) and uses PgJDBC's default string
 * binding, never {@code stringtype=unspecified}. A connection leased for an autocommit call or a transaction is
 * reset when it is given back: an open transaction is rolled back and {@code DISCARD ALL} drops session state
 * ({@code SET}, temporary tables, prepared statements), so state never leaks from one call to the next.
 */
public final class Databases implements AutoCloseable {

    /** The user and password a secret holds. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    private record PoolKey(String database, Credentials credentials) {
    }

    private final PostgresServer server;
    private final int maxPoolSize;
    private final Map<PoolKey, HikariDataSource> pools = new ConcurrentHashMap<>();
    private final Map<String, HikariDataSource> adminPools = new ConcurrentHashMap<>();

    public Databases(PostgresServer server, int maxPoolSize) {
        this.server = server;
        this.maxPoolSize = maxPoolSize;
    }

    public PostgresServer server() {
        return server;
    }

    /** A connection in autocommit mode; PostgreSQL errors (bad password, no such database) become DatabaseErrorException. */
    public Lease lease(String database, Credentials credentials) {
        HikariDataSource pool = pool(database, credentials);
        try {
            return new Lease(pool, pool.getConnection());
        } catch (SQLException e) {
            if (e.getCause() instanceof PSQLException psql) {
                throw DataApiException.database(psql);
            }
            throw DataApiException.databaseUnavailable();
        }
    }

    private HikariDataSource pool(String database, Credentials credentials) {
        PoolKey key = new PoolKey(database, credentials);
        HikariDataSource existing = pools.get(key);
        if (existing != null) {
            return existing;
        }
        // Check the credentials and the database once, directly, to answer with PostgreSQL's own error.
        try (Connection probe = DriverManager.getConnection(server.jdbcUrl(database), properties(credentials))) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw DataApiException.database(e);
        }
        return pools.computeIfAbsent(key, k -> {
            HikariConfig config = poolConfig("data-api-" + database + "-" + credentials.user(), database, credentials,
                    maxPoolSize);
            config.setConnectionInitSql("SET TIME ZONE 'UTC'");
            return new HikariDataSource(config);
        });
    }

    /** A pool of {@code credentials}' connections to {@code database} that keeps none idle. */
    private HikariConfig poolConfig(String name, String database, Credentials credentials, int maxSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(server.jdbcUrl(database));
        config.setDataSourceProperties(properties(credentials));
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(0);
        config.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        config.setConnectionTimeout(Duration.ofSeconds(20).toMillis());
        config.setInitializationFailTimeout(-1);
        return config;
    }

    private Properties properties(Credentials credentials) {
        Properties props = server.connectionProperties();
        props.setProperty("user", credentials.user());
        props.setProperty("password", credentials.password());
        props.setProperty("options", "-c TimeZone=UTC");
        props.setProperty("ApplicationName", "approvals-local-data-api");
        // No server-side prepared statements: DISCARD ALL between calls would invalidate them.
        props.setProperty("prepareThreshold", "0");
        return props;
    }

    /** A direct (unpooled) connection as the server's admin user. */
    public Connection adminConnection(String database) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), properties(admin()));
    }

    private Credentials admin() {
        return new Credentials(server.adminUser(), server.adminPassword());
    }

    /** Creates an empty database named {@code <prefix>_<random>} and returns its name. */
    public String createDatabase(String prefix) {
        String clean = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
            clean = "db_" + clean;
        }
        byte[] random = new byte[5];
        ThreadLocalRandom.current().nextBytes(random);
        String suffix = "_" + HexFormat.of().formatHex(random);
        String name = clean.substring(0, Math.min(clean.length(), 63 - suffix.length())) + suffix;
        try (Connection c = adminConnection(server.defaultDatabase()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /**
     * A JDBC data source for {@code database} as the admin user (for test setup and assertions): one small pool per
     * database, so a test's many short queries do not each pay a new PostgreSQL backend and a SCRAM handshake.
     */
    public DataSource directDataSource(String database) {
        return adminPools.computeIfAbsent(database,
                name -> new HikariDataSource(poolConfig("admin-" + name, name, admin(), 16)));
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
        adminPools.values().forEach(HikariDataSource::close);
        adminPools.clear();
    }

    /** A pooled connection, given back (reset) by {@link #release()}. */
    public static final class Lease {
        private final HikariDataSource pool;
        private final Connection connection;
        private final long backendPid;

        Lease(HikariDataSource pool, Connection connection) throws SQLException {
            this.pool = pool;
            this.connection = connection;
            this.backendPid = connection.unwrap(PGConnection.class).getBackendPID();
        }

        public Connection connection() {
            return connection;
        }

        /** The PostgreSQL backend pid: the {@code dbConnectionId} of a StatementTimeoutException. */
        public long backendPid() {
            return backendPid;
        }

        /** True if the connection's transaction failed (PostgreSQL would turn a COMMIT into a ROLLBACK). */
        public boolean transactionFailed() throws SQLException {
            return connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
        }

        /** Rolls back anything open, discards session state and returns the connection (or evicts it). */
        public void release() {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                } else if (connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("ROLLBACK");
                    }
                }
                try (Statement s = connection.createStatement()) {
                    // PgJDBC sends the JVM's zone as a startup parameter, which RESET would restore: set UTC again
                    s.execute("DISCARD ALL; SET TIME ZONE 'UTC'");
                }
                connection.close();
            } catch (SQLException e) {
                pool.evictConnection(connection);
            }
        }
    }
}
