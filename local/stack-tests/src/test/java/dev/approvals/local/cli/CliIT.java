package dev.approvals.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.approvals.local.dataapi.LocalDataApi;
import picocli.CommandLine;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;

/** The CLI for real: `data-api` serving until stopped, and `migrate` against it. */
class CliIT {

    private static final StringWriter OUT = new StringWriter();
    /** data-api blocks its thread until stopped: never on the (tiny, on 2 cores) common pool. */
    private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors
            .newCachedThreadPool();
    private static DataApiCommand dataApi;
    private static CompletableFuture<Integer> exit;
    private static LocalDataApi api;

    @TempDir
    Path temp;

    @BeforeAll
    static void startDataApi() throws Exception {
        CommandLine cli = ApprovalsLocal.commandLine(new PrintWriter(OUT, true), new PrintWriter(OUT, true));
        dataApi = (DataApiCommand) cli.getSubcommands().get("data-api").getCommand();
        exit = CompletableFuture.supplyAsync(() -> cli.execute("data-api", "--port", "0", "--migrate",
                "--fault-resuming", "1", "--fault-operations", "BeginTransaction", "--latency", "1ms"), THREADS);
        api = CompletableFuture.anyOf(dataApi.started(), exit).thenApply(r -> dataApi.started().getNow(null))
                .get(120, TimeUnit.SECONDS);
        assertThat(api).as("data-api did not start:\n" + OUT).isNotNull();
    }

    @AfterAll
    static void stopDataApi() throws Exception {
        if (dataApi != null) {
            dataApi.stop();
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        }
        THREADS.shutdownNow();
    }

    private static StringWriter[] migrate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 1];
        full[0] = "migrate";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = ApprovalsLocal.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(full);
        return new StringWriter[] {new StringWriter().append(Integer.toString(code)), out, err};
    }

    @Test
    void dataApi_shouldPrintEverythingNeededToConnect() {
        String banner = OUT.toString();
        assertThat(banner).contains("Migrated approvals: applied " + shippedVersions() + ", already applied []")
                .contains("endpoint     " + api.endpoint())
                .contains("cluster ARN  " + api.clusterArn())
                .contains("secret ARN   " + api.secretArn())
                .contains("aws rds-data execute-statement --endpoint-url " + api.endpoint())
                .contains("curl -s " + api.endpoint() + "/_emulator/calls")
                .contains("Ready. Press Ctrl-C to stop.");
    }

    @Test
    void dataApi_shouldServeTheSdkWithTheFaultsFromTheFlags() {
        try (RdsDataClient client = api.newClient()) {
            assertThat(client.executeStatement(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn())
                    .sql("SELECT count(*) FROM ai_approvals")).records().get(0).get(0).longValue()).isZero();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.beginTransaction(r -> r
                    .resourceArn(api.clusterArn()).secretArn(api.secretArn())))
                    .isInstanceOf(DatabaseResumingException.class);
            assertThat(api.faults().pending()).isZero();
        }
    }

    @Test
    void migrate_shouldApplyToAFreshDatabaseAndSkipOnRerun() {
        String db = api.createDatabase("cli");
        StringWriter[] first = migrate("--endpoint-url", api.endpoint().toString(), "--resource-arn",
                api.clusterArn(), "--secret-arn", api.secretArn(), "--database", db);
        assertThat(first[0].toString()).as(first[2].toString()).isEqualTo("0");
        assertThat(first[1].toString()).contains("applied          V1__approvals.sql")
                .contains("Done: " + shippedMigrations() + " applied");
        StringWriter[] again = migrate("--endpoint-url", api.endpoint().toString(), "--resource-arn",
                api.clusterArn(), "--secret-arn", api.secretArn(), "--database", db);
        assertThat(again[0].toString()).isEqualTo("0");
        assertThat(again[1].toString()).contains("already applied  V1__approvals.sql").contains("0 applied");
    }

    @Test
    void migrate_brokenMigration_shouldExitOneNamingTheFile() throws Exception {
        Files.writeString(temp.resolve("V1__broken.sql"), "CREATE TABLE ok (id int);\nSELEKT 1;\n");
        StringWriter[] result = migrate("--endpoint-url", api.endpoint().toString(), "--resource-arn",
                api.clusterArn(), "--secret-arn", api.secretArn(), "--database", api.createDatabase("clibroken"),
                "--migrations", temp.toString());
        assertThat(result[0].toString()).isEqualTo("1");
        assertThat(result[2].toString()).contains("Migration failed").contains("V1__broken.sql")
                .contains("statement 2").contains("syntax error");
    }

    @Test
    void migrate_unreachableEndpoint_shouldExitOne() {
        StringWriter[] result = migrate("--endpoint-url", "http://127.0.0.1:1", "--resource-arn", api.clusterArn(),
                "--secret-arn", api.secretArn());
        assertThat(result[0].toString()).isEqualTo("1");
        assertThat(result[2].toString()).contains("Migration failed");
    }

    @Test
    void stoppedDataApi_shouldNoLongerServe() throws Exception {
        // a second instance, stopped here, so the shared one above keeps serving the other tests
        StringWriter out = new StringWriter();
        CommandLine cli = ApprovalsLocal.commandLine(new PrintWriter(out, true), new PrintWriter(out, true));
        DataApiCommand second = (DataApiCommand) cli.getSubcommands().get("data-api").getCommand();
        CompletableFuture<Integer> secondExit = CompletableFuture.supplyAsync(() -> cli.execute("data-api",
                "--port", "0", "--database-url", api.jdbcUrl(api.databaseName()), "--database-user",
                api.postgres().adminUser(), "--database-password", api.postgres().adminPassword()), THREADS);
        LocalDataApi running = CompletableFuture.anyOf(second.started(), secondExit)
                .thenApply(r -> second.started().getNow(null)).get(60, TimeUnit.SECONDS);
        assertThat(running).as("second data-api did not start:\n" + out).isNotNull();
        URI health = URI.create(running.endpoint() + "/_emulator/health");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(out.toString()).doesNotContain("password " + api.postgres().adminPassword() + ")");
        second.stop();
        assertThat(secondExit.get(60, TimeUnit.SECONDS)).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(health).build(),
                HttpResponse.BodyHandlers.ofString())).hasCauseInstanceOf(ConnectException.class);
    }

    /** The shipped migrations' versions as the banner lists them, e.g. [1, 2]. */
    private static String shippedVersions() {
        try (var files = Files.list(LocalDataApi.findMigrationsDirectory())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().toList().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long shippedMigrations() {
        try (var files = Files.list(LocalDataApi.findMigrationsDirectory())) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
