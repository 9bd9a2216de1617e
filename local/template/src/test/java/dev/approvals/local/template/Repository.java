package dev.approvals.local.template;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in this repository, for tests: the build passes the root as system property approvals.repositoryRoot. */
public final class Repository {

    private Repository() {
    }

    public static Path root() {
        Path root = Path.of(System.getProperty("approvals.repositoryRoot", "../..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("template.yaml"))) {
            throw new IllegalStateException("No template.yaml in " + root + "; set -Dapprovals.repositoryRoot");
        }
        return root;
    }

    public static Path template() {
        return root().resolve("template.yaml");
    }
}
