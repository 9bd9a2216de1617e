package dev.approvals.local.dataapi;

import static dev.approvals.local.dataapi.Sql.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.approvals.migrator.Migration;
import dev.approvals.migrator.MigrationException;
import dev.approvals.migrator.MigrationResult;
import dev.approvals.migrator.MigrationSource;
import dev.approvals.migrator.Migrator;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

/** The migrator, through the Data API emulator, against real PostgreSQL. */
class MigratorIT {

    private static LocalDataApi api;
    private static RdsDataClient client;

    @TempDir
    Path temp;

    @BeforeAll
    static void setUp() {
        api = LocalDataApi.shared();
        client = api.newClient();
    }

    @AfterAll
    static void tearDown() {
        client.close();
    }

    private static Migrator migrator(String database, MigrationSource source) {
        return Migrator.builder().client(client).resourceArn(api.clusterArn()).secretArn(api.secretArn())
                .database(database).migrations(source).build();
    }

    private Path copyOfV1() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("migrations"));
        Files.copy(api.migrationsDirectory().resolve("V1__approvals.sql"), dir.resolve("V1__approvals.sql"));
        return dir;
    }

    @Test
    void migrate_freshDatabase_shouldApplyV1AndRecordIt() throws Exception {
        String db = api.createDatabase("migrate");
        Path onlyV1 = copyOfV1();
        api.calls().reset();
        MigrationResult result = migrator(db, MigrationSource.fromDirectory(onlyV1)).migrate();
        assertThat(result.appliedVersions()).containsExactly(1L);
        assertThat(result.skippedVersions()).isEmpty();
        assertThat(query(api, db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
                .containsExactly("ai_approval_events", "ai_approvals", "schema_migrations");
        Migration v1 = result.applied().get(0);
        assertThat(query(api, db, "SELECT version || ' ' || name || ' ' || checksum FROM schema_migrations"))
                .containsExactly("1 approvals " + v1.checksum());
        assertThat(query(api, db, "SELECT applied_at IS NOT NULL FROM schema_migrations")).containsExactly("t");
        assertThat(api.calls().count("BeginTransaction")).isEqualTo(1);
        assertThat(api.calls().count("CommitTransaction")).isEqualTo(1);
        assertThat(api.calls().count("RollbackTransaction")).isZero();
    }

    @Test
    void migrate_rerun_shouldBeANoOp() {
        String db = api.createDatabase("rerun");
        MigrationResult first = api.migrate(db);
        api.calls().reset();
        MigrationResult again = api.migrate(db);
        assertThat(first.appliedVersions()).isNotEmpty();
        assertThat(again.appliedVersions()).isEmpty();
        assertThat(again.skippedVersions()).containsExactlyElementsOf(first.appliedVersions());
        assertThat(api.calls().count("BeginTransaction")).as("nothing to apply, no transaction").isZero();
        assertThat(query(api, db, "SELECT count(*) FROM schema_migrations"))
                .containsExactly(String.valueOf(first.appliedVersions().size()));
    }

    @Test
    void migrate_brokenStatement_shouldNameFileAndStatementAndLeaveNothingHalfApplied() throws Exception {
        String db = api.createDatabase("broken");
        int openBefore = api.openTransactions();
        Path dir = copyOfV1();
        Files.writeString(dir.resolve("V2__broken.sql"), """
                -- two good statements, then a bad one
                CREATE TABLE good_one (id int);
                CREATE TABLE good_two (id int);
                INSERT INTO no_such_table VALUES (1);
                """);
        assertThatThrownBy(() -> migrator(db, MigrationSource.fromDirectory(dir)).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("V2__broken.sql")
                .hasMessageContaining("statement 3 (line 4")
                .hasMessageContaining("INSERT INTO no_such_table")
                .hasMessageContaining("relation \"no_such_table\" does not exist")
                .hasMessageContaining("SQLState: 42P01");
        assertThat(query(api, db, "SELECT version FROM schema_migrations")).as("V1 stays, V2 is not recorded")
                .containsExactly("1");
        assertThat(query(api, db, "SELECT to_regclass('good_one') IS NULL AND to_regclass('good_two') IS NULL"))
                .containsExactly("t");
        assertThat(api.openTransactions()).as("rolled back").isEqualTo(openBefore);

        Files.writeString(dir.resolve("V2__broken.sql"), "CREATE TABLE good_one (id int);\n");
        assertThat(migrator(db, MigrationSource.fromDirectory(dir)).migrate().appliedVersions()).containsExactly(2L);
    }

    @Test
    void migrate_changedAppliedFile_shouldFailBeforeApplyingAnything() throws Exception {
        String db = api.createDatabase("changed");
        Path dir = copyOfV1();
        migrator(db, MigrationSource.fromDirectory(dir)).migrate();
        Files.writeString(dir.resolve("V1__approvals.sql"), "\n-- edited\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("V2__next.sql"), "CREATE TABLE next_one (id int);");
        assertThatThrownBy(() -> migrator(db, MigrationSource.fromDirectory(dir)).migrate())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("V1__approvals.sql was changed after it was applied");
        assertThat(query(api, db, "SELECT count(*) FROM schema_migrations")).containsExactly("1");
    }

    @Test
    void migrate_dollarQuotedFunctionBodies_shouldApply() throws Exception {
        String db = api.createDatabase("functions");
        Path dir = Files.createDirectories(temp.resolve("functions"));
        Files.writeString(dir.resolve("V1__function.sql"), """
                CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE plpgsql AS $$
                DECLARE y int;
                BEGIN
                  y := x + 1; -- a ; inside the body
                  RETURN y;
                END $$;
                CREATE TABLE uses_it (v int DEFAULT add_one(1));
                """);
        assertThat(migrator(db, MigrationSource.fromDirectory(dir)).migrate().appliedVersions()).containsExactly(1L);
        assertThat(query(api, db, "SELECT add_one(41)")).containsExactly("42");
    }

    @Test
    void migrate_twoMigratorsAtOnce_shouldApplyEachFileExactlyOnce() throws Exception {
        String db = api.createDatabase("race");
        Path dir = copyOfV1();
        Files.writeString(dir.resolve("V2__more.sql"), "CREATE TABLE more_stuff (id int);");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MigrationResult>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return migrator(db, MigrationSource.fromDirectory(dir)).migrate();
                }));
            }
            start.countDown();
            List<Long> applied = new ArrayList<>();
            for (Future<MigrationResult> result : results) {
                applied.addAll(result.get().appliedVersions());
            }
            assertThat(applied).containsExactlyInAnyOrder(1L, 2L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(query(api, db, "SELECT version FROM schema_migrations ORDER BY version")).containsExactly("1", "2");
    }
}
