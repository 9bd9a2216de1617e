package dev.approvals.local.cli;

import dev.approvals.local.dataapi.DatabaseSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where PostgreSQL comes from: the embedded one (optionally kept in a directory) or a server given by URL. */
final class DatabaseOptions {

    @Option(names = "--database-url", paramLabel = "JDBC_URL", defaultValue = "${env:" + DatabaseSettings.URL_ENV + "}",
            description = {"Use this PostgreSQL (jdbc:postgresql://host:port/db?user=..&password=..) instead of",
                "the embedded one. Default: $APPROVALS_DATABASE_URL, else embedded PostgreSQL 17."})
    String url;

    @Option(names = "--database-user", paramLabel = "USER", description = "User for --database-url.")
    String user;

    @Option(names = "--database-password", paramLabel = "PASSWORD", description = "Password for --database-url.")
    String password;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the embedded PostgreSQL's data here across runs (default: fresh each run).")
    Path dataDirectory;

    /** The settings these options give (after {@link #validate}). */
    DatabaseSettings settings() {
        return new DatabaseSettings(url, user, password, dataDirectory);
    }

    /** An empty URL (e.g. an empty $APPROVALS_DATABASE_URL) means embedded; anything else must be PgJDBC's. */
    void validate(CommandLine commandLine) {
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new CommandLine.ParameterException(commandLine,
                    "--database-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
    }
}
