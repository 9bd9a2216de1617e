package dev.approvals.local.dataapi.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** File-system chores shared by the embedded server's parts: permissions, deletion, the platform's names. */
final class PostgresFiles {

    static final Set<PosixFilePermission> RWX_R_X_R_X = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Set<PosixFilePermission> RW_R__R__ = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> RWX_ONLY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> RW_ONLY = PosixFilePermissions.fromString("rw-------");

    private PostgresFiles() {
    }

    static void setPermissions(Path path, Set<PosixFilePermission> permissions) {
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

    /** The operating system as the binaries' archive names it. */
    static String operatingSystem() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return "Windows";
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return "Darwin";
        }
        return "Linux";
    }

    static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }
}
