package dev.approvals.functions.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The page's files, read once at init (into the SnapStart snapshot): {@code web/} of the repository, packaged in
 * the zip as {@code inbox/}, plus the generated {@code config.json}. Only these names are ever served, so no path
 * from a request reaches the file system.
 */
final class PageFiles {

    /** The page, served at the API's root rather than under {@code /inbox/}. */
    static final String INDEX = "index.html";
    static final String CONFIG = "config.json";
    private static final String DIRECTORY = "inbox/";

    /** A file as served: its text, media type and a strong ETag of its content. */
    record PageFile(String name, String body, String contentType, String etag) {
    }

    private final Map<String, PageFile> files;

    private PageFiles(Map<String, PageFile> files) {
        this.files = Map.copyOf(files);
    }

    /** The packaged files and {@code config.json}; fails at init if the page is missing from the zip. */
    static PageFiles load(SignInSettings signIn) {
        Map<String, PageFile> files = new TreeMap<>();
        URL directory = PageFiles.class.getClassLoader().getResource(DIRECTORY);
        if (directory == null) {
            throw new IllegalStateException("The page (" + DIRECTORY + ") is not in the function's code");
        }
        try (Stream<Path> listing = Files.list(Path.of(directory.toURI()))) {
            for (Path path : listing.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                files.put(name, file(name, Files.readString(path, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the page's files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!files.containsKey(INDEX)) {
            throw new IllegalStateException("The page (" + DIRECTORY + INDEX + ") is not in the function's code");
        }
        files.put(CONFIG, file(CONFIG, signIn.configJson()));
        return new PageFiles(files);
    }

    /** The file of that name, or null. */
    PageFile get(String name) {
        return name == null ? null : files.get(name);
    }

    private static PageFile file(String name, String body) {
        return new PageFile(name, body, contentType(name), etag(body));
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            default -> "text/plain; charset=utf-8";
        };
    }

    private static String etag(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
