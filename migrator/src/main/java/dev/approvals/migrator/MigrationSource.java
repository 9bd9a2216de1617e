package dev.approvals.migrator;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where migrations come from: a directory (the CLI, tests) or the classpath (the Lambda custom resource, which
 * packages {@code db/migrations/*.sql} into its jar). {@link #load()} returns them sorted by version.
 */
@FunctionalInterface
public interface MigrationSource {

    /** Loads every migration, sorted by version; duplicate versions and badly named {@code .sql} files are errors. */
    List<Migration> load();

    /** The {@code V<n>__<name>.sql} files directly inside {@code directory}. */
    static MigrationSource fromDirectory(Path directory) {
        return () -> {
            if (!Files.isDirectory(directory)) {
                throw MigrationException.noMigrations(directory.toAbsolutePath() + " (not a directory)");
            }
            List<Migration> found = new ArrayList<>();
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.sorted().toList()) {
                    String fileName = file.getFileName().toString();
                    if (Files.isRegularFile(file) && Migration.looksLikeMigration(fileName)) {
                        found.add(Migration.of(fileName, Files.readString(file, StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException e) {
                throw MigrationException.unreadable(directory.toAbsolutePath().toString(), e);
            }
            return sorted(found, directory.toAbsolutePath().toString());
        };
    }

    /**
     * The {@code V<n>__<name>.sql} resources directly under {@code location} (e.g. {@code "db/migrations"}) on the
     * class path of this class's loader. Works for classes directories and for jars (the jar's entries are listed),
     * so a packaged Lambda needs no separate index file; the jar must hold the directory entry {@code location/},
     * which {@code jar}, maven-jar-plugin, maven-shade-plugin and maven-assembly-plugin all write.
     */
    static MigrationSource fromClasspath(String location) {
        return fromClasspath(location, MigrationSource.class.getClassLoader());
    }

    /** As {@link #fromClasspath(String)}, with an explicit class loader. */
    static MigrationSource fromClasspath(String location, ClassLoader loader) {
        String prefix = location.replaceAll("^/+|/+$", "");
        return () -> {
            Map<String, String> contentByName = new TreeMap<>();
            try {
                Enumeration<URL> roots = loader.getResources(prefix);
                for (URL root : Collections.list(roots)) {
                    ClasspathListing.collect(root, prefix, contentByName);
                }
            } catch (IOException e) {
                throw MigrationException.unreadable("classpath:" + prefix, e);
            }
            List<Migration> found = new ArrayList<>();
            contentByName.forEach((name, content) -> found.add(Migration.of(name, content)));
            return sorted(found, "classpath:" + prefix);
        };
    }

    private static List<Migration> sorted(List<Migration> found, String where) {
        if (found.isEmpty()) {
            throw MigrationException.noMigrations(where);
        }
        List<Migration> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingLong(Migration::version));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).version() == sorted.get(i - 1).version()) {
                throw MigrationException.duplicateVersion(sorted.get(i - 1), sorted.get(i));
            }
        }
        return List.copyOf(sorted);
    }
}
