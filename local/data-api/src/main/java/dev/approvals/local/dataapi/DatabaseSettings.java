package dev.approvals.local.dataapi;

import java.nio.file.Path;

/**
 * Where PostgreSQL comes from, the same four settings for every configuration (the Data API's, the local stack's,
 * the command line's): an external server by PgJDBC URL with an optional user and password overriding the URL's,
 * or, when there is no URL, the embedded server, optionally keeping its data in a directory across runs.
 *
 * @param url           {@code jdbc:postgresql://host:port/db[?user=..&password=..]}; null (or blank): embedded
 * @param user          user for the external database (overrides the URL's), or null
 * @param password      password for the external database (overrides the URL's), or null
 * @param dataDirectory the embedded server's data directory across runs; null: fresh, deleted on close
 */
public record DatabaseSettings(String url, String user, String password, Path dataDirectory) {

    /** Environment variable with an external database URL (instead of the embedded PostgreSQL). */
    public static final String URL_ENV = "APPROVALS_DATABASE_URL";

    public DatabaseSettings {
        url = url == null || url.isBlank() ? null : url;
    }

    /** The embedded server in a fresh directory. */
    public static DatabaseSettings embedded() {
        return new DatabaseSettings(null, null, null, null);
    }

    /** {@value #URL_ENV} when it is set, else the embedded server. */
    public static DatabaseSettings fromEnvironment() {
        return new DatabaseSettings(System.getenv(URL_ENV), null, null, null);
    }

    /** An external server by URL, with credentials overriding the URL's. */
    public static DatabaseSettings external(String url, String user, String password) {
        return new DatabaseSettings(url, user, password, null);
    }

    public boolean isEmbedded() {
        return url == null;
    }

    /** The URL with any password parameter masked, for messages and logs: the one place passwords are masked. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return isEmbedded() ? "embedded PostgreSQL" + (dataDirectory == null ? "" : " (data " + dataDirectory + ")")
                : redact(url) + (user == null ? "" : " as " + user);
    }
}
