package dev.approvals.migrator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;

/**
 * Applies {@code V<n>__<name>.sql} migrations in version order <em>through the RDS Data API</em>, so the same code
 * migrates the local emulator and Aurora.
 *
 * <p>Each file is applied inside one Data API transaction ({@code BeginTransaction}, one {@code ExecuteStatement}
 * per statement, {@code CommitTransaction}; {@code RollbackTransaction} on failure) that first takes a
 * transaction-scoped advisory lock, so concurrent migrators never interleave, and records the file in
 * {@value #HISTORY_TABLE} (version, name, checksum, applied_at). Reruns skip what is recorded; an applied file
 * whose checksum changed is an error, reported before anything is applied.
 */
public final class Migrator {

    /** The table that records applied migrations. */
    public static final String HISTORY_TABLE = "schema_migrations";

    /** Key of the {@code pg_advisory_xact_lock} every migrator takes (the ASCII bytes of "approval"). */
    public static final long LOCK_KEY = 0x617070726f76616cL;

    static final String CREATE_HISTORY_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    bigint      PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )""";

    private final RdsDataClient client;
    private final String resourceArn;
    private final String secretArn;
    private final String database;
    private final MigrationSource source;

    private Migrator(Builder builder) {
        this.client = Objects.requireNonNull(builder.client, "client is required");
        this.resourceArn = requireText(builder.resourceArn, "resourceArn");
        this.secretArn = requireText(builder.secretArn, "secretArn");
        this.database = builder.database;
        this.source = Objects.requireNonNull(builder.source, "migrations (a MigrationSource) are required");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Applies every pending migration; returns what was applied and what was already there. */
    public MigrationResult migrate() {
        List<Migration> migrations = source.load();
        Map<Long, String> appliedChecksums = readHistory();
        for (Migration migration : migrations) {
            String applied = appliedChecksums.get(migration.version());
            if (applied != null && !applied.equals(migration.checksum())) {
                throw MigrationException.checksumChanged(migration, applied);
            }
        }
        List<Migration> applied = new ArrayList<>();
        List<Migration> skipped = new ArrayList<>();
        for (Migration migration : migrations) {
            if (appliedChecksums.containsKey(migration.version()) || !applyInTransaction(migration)) {
                skipped.add(migration);
            } else {
                applied.add(migration);
            }
        }
        return new MigrationResult(applied, skipped);
    }

    /** Versions and checksums already recorded, read outside any transaction (empty if there is no history yet). */
    private Map<Long, String> readHistory() {
        Map<Long, String> checksums = new HashMap<>();
        try {
            ExecuteStatementResponse exists = execute(null,
                    "SELECT to_regclass('" + HISTORY_TABLE + "') IS NOT NULL AS present");
            if (!Boolean.TRUE.equals(exists.records().get(0).get(0).booleanValue())) {
                return checksums;
            }
            ExecuteStatementResponse rows = execute(null,
                    "SELECT version, checksum FROM " + HISTORY_TABLE + " ORDER BY version");
            for (List<Field> row : rows.records()) {
                checksums.put(row.get(0).longValue(), row.get(1).stringValue());
            }
            return checksums;
        } catch (SdkException e) {
            throw MigrationException.historyUnreadable(e);
        }
    }

    /** Applies one file atomically; false if another migrator applied it first. */
    private boolean applyInTransaction(Migration migration) {
        String transactionId;
        try {
            transactionId = client.beginTransaction(b -> b.resourceArn(resourceArn).secretArn(secretArn)
                    .database(database)).transactionId();
        } catch (SdkException e) {
            throw MigrationException.bookkeepingFailed(migration, "BeginTransaction", e);
        }
        try {
            String step = "lock";
            try {
                execute(transactionId, "SELECT true AS locked FROM pg_advisory_xact_lock(:key)",
                        longParameter("key", LOCK_KEY));
                step = "create " + HISTORY_TABLE;
                execute(transactionId, CREATE_HISTORY_TABLE);
                step = "read " + HISTORY_TABLE;
                ExecuteStatementResponse existing = execute(transactionId,
                        "SELECT checksum FROM " + HISTORY_TABLE + " WHERE version = :version",
                        longParameter("version", migration.version()));
                if (!existing.records().isEmpty()) {
                    String checksum = existing.records().get(0).get(0).stringValue();
                    if (!checksum.equals(migration.checksum())) {
                        throw MigrationException.checksumChanged(migration, checksum);
                    }
                    rollbackQuietly(transactionId, null);
                    return false;
                }
            } catch (SdkException e) {
                throw MigrationException.bookkeepingFailed(migration, step, e);
            }
            for (SqlScript.Statement statement : migration.statements()) {
                try {
                    execute(transactionId, statement.sql());
                } catch (SdkException e) {
                    throw MigrationException.statementFailed(migration, statement, e);
                }
            }
            try {
                execute(transactionId, "INSERT INTO " + HISTORY_TABLE
                                + " (version, name, checksum) VALUES (:version, :name, :checksum)",
                        longParameter("version", migration.version()),
                        stringParameter("name", migration.name()),
                        stringParameter("checksum", migration.checksum()));
                client.commitTransaction(b -> b.resourceArn(resourceArn).secretArn(secretArn)
                        .transactionId(transactionId));
            } catch (SdkException e) {
                throw MigrationException.bookkeepingFailed(migration, "record and commit", e);
            }
            return true;
        } catch (RuntimeException e) {
            rollbackQuietly(transactionId, e);
            throw e;
        }
    }

    private void rollbackQuietly(String transactionId, RuntimeException failure) {
        try {
            client.rollbackTransaction(b -> b.resourceArn(resourceArn).secretArn(secretArn)
                    .transactionId(transactionId));
        } catch (SdkException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private ExecuteStatementResponse execute(String transactionId, String sql, SqlParameter... parameters) {
        return client.executeStatement(b -> b.resourceArn(resourceArn).secretArn(secretArn).database(database)
                .transactionId(transactionId).sql(sql).parameters(parameters));
    }

    private static SqlParameter longParameter(String name, long value) {
        return SqlParameter.builder().name(name).value(Field.builder().longValue(value).build()).build();
    }

    private static SqlParameter stringParameter(String name, String value) {
        return SqlParameter.builder().name(name).value(Field.builder().stringValue(value).build()).build();
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** Builds a {@link Migrator}; client, resourceArn, secretArn and migrations are required. */
    public static final class Builder {
        private RdsDataClient client;
        private String resourceArn;
        private String secretArn;
        private String database;
        private MigrationSource source;

        private Builder() {
        }

        /** The Data API client to use; the migrator never builds one itself. */
        public Builder client(RdsDataClient client) {
            this.client = client;
            return this;
        }

        /** The Aurora cluster ARN. */
        public Builder resourceArn(String resourceArn) {
            this.resourceArn = resourceArn;
            return this;
        }

        /** The Secrets Manager secret ARN holding the database credentials. */
        public Builder secretArn(String secretArn) {
            this.secretArn = secretArn;
            return this;
        }

        /** The database to migrate; null means the cluster's default. */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** Where the migrations come from: {@link MigrationSource#fromDirectory} or {@link MigrationSource#fromClasspath}. */
        public Builder migrations(MigrationSource source) {
            this.source = source;
            return this;
        }

        public Migrator build() {
            return new Migrator(this);
        }
    }
}
