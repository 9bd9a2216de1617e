package dev.approvals.migrator;

import java.util.List;

/**
 * What a {@link Migrator#migrate()} run did.
 *
 * @param applied the migrations this run applied, in order
 * @param skipped the migrations that were already applied (by an earlier run or a concurrent migrator)
 */
public record MigrationResult(List<Migration> applied, List<Migration> skipped) {

    public MigrationResult {
        applied = List.copyOf(applied);
        skipped = List.copyOf(skipped);
    }

    public List<Long> appliedVersions() {
        return applied.stream().map(Migration::version).toList();
    }

    public List<Long> skippedVersions() {
        return skipped.stream().map(Migration::version).toList();
    }
}
