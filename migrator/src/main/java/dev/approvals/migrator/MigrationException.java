package dev.approvals.migrator;

import java.io.Serial;

/** A migration could not be loaded or applied. The message names the file and, when known, the statement. */
public final class MigrationException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private MigrationException(String message, Throwable cause) {
        super(message, cause);
    }

    static MigrationException badFileName(String fileName) {
        return new MigrationException("Migration file name '" + fileName
                + "' does not match V<version>__<name>.sql (for example V2__add_index.sql)", null);
    }

    static MigrationException duplicateVersion(Migration a, Migration b) {
        return new MigrationException("Migrations " + a.fileName() + " and " + b.fileName()
                + " have the same version " + a.version(), null);
    }

    static MigrationException noMigrations(String where) {
        return new MigrationException("No migrations found at " + where, null);
    }

    static MigrationException unreadable(String where, Throwable cause) {
        return new MigrationException("Cannot read migrations at " + where + ": " + cause.getMessage(), cause);
    }

    static MigrationException checksumChanged(Migration migration, String appliedChecksum) {
        return new MigrationException("Migration " + migration.fileName() + " was changed after it was applied"
                + " (checksum in schema_migrations " + appliedChecksum + ", file " + migration.checksum()
                + "): never edit an applied migration, add a new one", null);
    }

    static MigrationException statementFailed(Migration migration, SqlScript.Statement statement, Throwable cause) {
        return new MigrationException("Migration " + migration.fileName() + " failed at statement "
                + statement.number() + " (line " + statement.line() + ": " + abbreviate(statement.sql()) + "): "
                + causeMessage(cause) + ". Nothing of " + migration.fileName() + " was applied.", cause);
    }

    static MigrationException bookkeepingFailed(Migration migration, String step, Throwable cause) {
        return new MigrationException("Migration " + migration.fileName() + " could not be applied (" + step
                + "): " + causeMessage(cause), cause);
    }

    static MigrationException historyUnreadable(Throwable cause) {
        return new MigrationException("Cannot read schema_migrations: " + causeMessage(cause), cause);
    }

    private static String causeMessage(Throwable cause) {
        if (cause instanceof software.amazon.awssdk.awscore.exception.AwsServiceException e
                && e.awsErrorDetails() != null) {
            String code = e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails().errorMessage();
            return (code == null ? "" : code + ": ") + (message == null ? "(no message)" : message);
        }
        return String.valueOf(cause.getMessage());
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
