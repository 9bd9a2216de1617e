package dev.approvals.local.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository the CLI belongs to: where template.yaml and db/migrations are. */
final class RepositoryRoot {

    /** Set by bin/approvals-local. */
    static final String PROPERTY = "approvals.root";

    private RepositoryRoot() {
    }

    /** {@value #PROPERTY}, else the working directory or a parent of it, else the jar's module (local/stack/..). */
    static Path find() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        try {
            Path code = Path.of(RepositoryRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                if (isRoot(dir)) {
                    return dir;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through
        }
        throw new IllegalStateException("Cannot find the repository (template.yaml and db/migrations): run from"
                + " inside it, or pass -D" + PROPERTY + "=<dir>");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("db/migrations"));
    }
}
