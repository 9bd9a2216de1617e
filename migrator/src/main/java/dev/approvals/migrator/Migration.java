package dev.approvals.migrator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One migration file, {@code V<version>__<name>.sql}: its version, name, text and checksum.
 *
 * @param version  the number after {@code V}; migrations are applied in increasing version order
 * @param name     the part between {@code __} and {@code .sql}
 * @param fileName the file name, used in messages
 * @param sql      the file's text
 * @param checksum SHA-256 (hex) of the text with line endings normalised to {@code \n}
 */
public record Migration(long version, String name, String fileName, String sql, String checksum) {

    private static final Pattern FILE_NAME = Pattern.compile("V(\\d{1,18})__(\\w[\\w.-]*)\\.sql");

    public Migration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(checksum, "checksum");
    }

    /** Parses a migration from its file name and content; throws {@link MigrationException} for a bad file name. */
    public static Migration of(String fileName, String content) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw MigrationException.badFileName(fileName);
        }
        return new Migration(Long.parseLong(m.group(1)), m.group(2), fileName, content, checksumOf(content));
    }

    /** True if {@code fileName} is meant to be a migration (ends with {@code .sql}). */
    static boolean looksLikeMigration(String fileName) {
        return fileName.endsWith(".sql");
    }

    /** SHA-256 of {@code content} with CRLF and CR line endings read as LF, so a Windows checkout does not differ. */
    public static String checksumOf(String content) {
        String normalised = content.replace("\r\n", "\n").replace('\r', '\n');
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The file's statements, split as the Data API needs them (one per call). */
    public List<SqlScript.Statement> statements() {
        return SqlScript.split(sql);
    }
}
