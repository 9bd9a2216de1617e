package dev.approvals.local.dataapi.postgres;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock file ({@code instance-<id>.lock}, holding the owner's pid) that marks a running embedded instance, and
 * the reaper that stops and deletes the leftovers ({@code data-<id>}) of instances whose JVM died.
 */
final class InstanceLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceLock.class);
    /**
     * Lock files of the instances this JVM runs. The reaper must never open them: closing any channel on a file
     * releases every lock this process holds on it (POSIX), which would expose a live server to other JVMs' reapers.
     */
    private static final Set<Path> OWN_LOCK_FILES = ConcurrentHashMap.newKeySet();

    private final String id;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(String id, Path file, FileChannel channel, FileLock lock) {
        this.id = id;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** A new instance's lock under {@code base}, held until {@link #close()}. */
    static InstanceLock acquire(Path base) throws IOException {
        String id = UUID.randomUUID().toString();
        Path file = base.resolve("instance-" + id + ".lock");
        OWN_LOCK_FILES.add(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        return new InstanceLock(id, file, channel, lock);
    }

    /** Where this instance keeps its data when it is ephemeral. */
    Path ephemeralData(Path base) {
        return base.resolve("data-" + id);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
        Files.deleteIfExists(file);
        OWN_LOCK_FILES.remove(file);
    }

    /** Stops and deletes every instance under {@code base} whose lock no live process holds. */
    static void reapStale(Path base, RunAs runAs) throws IOException {
        List<Path> lockFiles;
        try (Stream<Path> files = Files.list(base)) {
            lockFiles = files.filter(p -> p.getFileName().toString().matches("instance-.*\\.lock"))
                    .filter(p -> !OWN_LOCK_FILES.contains(p)).toList();
        }
        for (Path lockFile : lockFiles) {
            if (!ownerIsAlive(lockFile)) {
                reap(base, runAs, lockFile);
            }
        }
    }

    private static void reap(Path base, RunAs runAs, Path lockFile) {
        String id = lockFile.getFileName().toString().replaceAll("^instance-|\\.lock$", "");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock stale = channel.tryLock();
            if (stale == null) {
                return; // another live JVM owns it
            }
            try {
                Path data = base.resolve("data-" + id);
                Path binaries = PostgresBinaries.anyUnpacked(base);
                if (binaries != null) {
                    new PgCtl(binaries, data, runAs).stopImmediately();
                }
                PostgresFiles.deleteRecursively(data);
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

    /** True if the lock file names a running process (the JVM that started the instance). */
    private static boolean ownerIsAlive(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return !pid.isEmpty() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
