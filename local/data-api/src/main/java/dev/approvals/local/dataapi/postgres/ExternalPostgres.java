package dev.approvals.local.dataapi.postgres;

import dev.approvals.local.dataapi.DatabaseSettings;

import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

import org.postgresql.Driver;

/** A PostgreSQL server that runs elsewhere, given by a JDBC URL such as {@code jdbc:postgresql://host:5432/db}. */
public final class ExternalPostgres implements PostgresServer {

    private static final Set<String> LOCATION_KEYS = Set.of("PGHOST", "PGPORT", "PGDBNAME", "user", "password");

    private final String hosts;
    private final String database;
    private final String user;
    private final String password;
    private final Properties properties = new Properties();

    private ExternalPostgres(String hosts, String database, String user, String password, Properties extra) {
        this.hosts = hosts;
        this.database = database;
        this.user = user;
        this.password = password;
        this.properties.putAll(extra);
    }

    /**
     * Parses {@code jdbcUrl}; {@code user}/{@code password} override the URL's own (either may be null). The URL must
     * name a database: it becomes the emulator's default database.
     */
    public static ExternalPostgres of(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + DatabaseSettings.redact(jdbcUrl)
                    + " (expected jdbc:postgresql://host:port/database)");
        }
        List<String> hostList = List.of(parsed.getProperty("PGHOST", "localhost").split(","));
        List<String> portList = List.of(parsed.getProperty("PGPORT", "5432").split(","));
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < hostList.size(); i++) {
            if (i > 0) {
                hosts.append(',');
            }
            String host = hostList.get(i);
            hosts.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                    .append(':').append(portList.get(Math.min(i, portList.size() - 1)));
        }
        String database = parsed.getProperty("PGDBNAME");
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("The database URL must name a database: " + DatabaseSettings.redact(jdbcUrl));
        }
        String effectiveUser = user != null ? user : parsed.getProperty("user", System.getProperty("user.name"));
        String effectivePassword = password != null ? password : parsed.getProperty("password", "");
        Properties extra = new Properties();
        for (String key : parsed.stringPropertyNames()) {
            if (!LOCATION_KEYS.contains(key)) {
                extra.setProperty(key, parsed.getProperty(key));
            }
        }
        return new ExternalPostgres(hosts.toString(), database, effectiveUser, effectivePassword, extra);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hosts + "/" + database;
    }

    @Override
    public String defaultDatabase() {
        return database;
    }

    @Override
    public String adminUser() {
        return user;
    }

    @Override
    public String adminPassword() {
        return password;
    }

    @Override
    public Properties connectionProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    @Override
    public void close() {
        // not ours to stop
    }

    @Override
    public String toString() {
        return "external PostgreSQL at " + hosts + "/" + database;
    }
}
