package dev.approvals.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Lists the migration files under one classpath root: a classes directory or a jar. */
final class ClasspathListing {

    private ClasspathListing() {
    }

    static void collect(URL root, String prefix, Map<String, String> contentByName) throws IOException {
        switch (root.getProtocol()) {
            case "file" -> {
                Path dir;
                try {
                    dir = Path.of(root.toURI());
                } catch (URISyntaxException e) {
                    throw new IOException("Bad classpath URL " + root, e);
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (Files.isRegularFile(file) && Migration.looksLikeMigration(name)) {
                            put(contentByName, name, Files.readString(file, StandardCharsets.UTF_8), root);
                        }
                    }
                }
            }
            case "jar" -> {
                JarURLConnection connection = (JarURLConnection) root.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        String entryName = entry.getName();
                        if (entry.isDirectory() || !entryName.startsWith(prefix + "/")) {
                            continue;
                        }
                        String name = entryName.substring(prefix.length() + 1);
                        if (name.contains("/") || !Migration.looksLikeMigration(name)) {
                            continue;
                        }
                        try (InputStream in = jar.getInputStream(entry)) {
                            put(contentByName, name, new String(in.readAllBytes(), StandardCharsets.UTF_8), root);
                        }
                    }
                }
            }
            default -> throw new IOException("Cannot list migrations in " + root
                    + " (only directories and jar files can be listed)");
        }
    }

    private static void put(Map<String, String> contentByName, String name, String content, URL root) {
        String previous = contentByName.putIfAbsent(name, content);
        if (previous != null && !previous.equals(content)) {
            throw MigrationException.unreadable("classpath:" + name,
                    new IOException("two different copies of " + name + " on the classpath (one in " + root + ")"));
        }
    }
}
