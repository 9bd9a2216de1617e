package dev.approvals.migrator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's db/migrations from the module's working directory. */
final class TestPaths {
    private TestPaths() {
    }

    static Path migrationsDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("db/migrations");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("db/migrations not found above " + Path.of("").toAbsolutePath());
    }
}
