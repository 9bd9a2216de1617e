package dev.approvals.functions.migrate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.approvals.migrator.MigrationResult;
import dev.approvals.migrator.MigrationSource;
import dev.approvals.migrator.Migrator;
import dev.approvals.migrator.RolePasswords;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Lambda entry point of the {@code SchemaMigration} custom resource:
 * {@code dev.approvals.functions.migrate.MigrateHandler::handleRequest}.
 *
 * <p>Create and Update apply the migrations packaged in this function ({@code db/migrations/} on its class path)
 * with the project's {@link Migrator}, through the Data API, to the database named by the resource properties
 * {@code ClusterArn}, {@code SecretArn} and {@code Database}. Delete does nothing: the schema lives and dies with
 * the database. Whatever happens, CloudFormation gets an answer on the response URL, before the function's own
 * timeout, so a failed migration fails the deployment at once instead of leaving the stack waiting.
 *
 * <p>After migrating, each database role named by a secret in {@code RoleSecretArns} gets its password from that
 * secret, set as a SCRAM verifier through {@link RolePasswords}: the plain password never reaches the database.
 */
public final class MigrateHandler implements RequestStreamHandler {

    /** Where the build puts the repository's db/migrations on the class path. */
    public static final String MIGRATIONS_LOCATION = "db/migrations";

    /** Time kept back from the Lambda timeout to answer CloudFormation when the migrations are not done. */
    private static final Duration REPORT_MARGIN = Duration.ofSeconds(15);
    /** Wait between attempts while an auto-paused Aurora instance resumes (it takes about 15-30 s). */
    private static final Duration RESUME_PAUSE = Duration.ofSeconds(5);

    private final Supplier<RdsDataClient> clients;
    private final Supplier<SecretsManagerClient> secretsClients;
    private final MigrationSource migrations;
    private final Duration reportMargin;
    private final Duration resumePause;
    private final PrintStream log;
    private final ResponseUrlClient responseUrl = new ResponseUrlClient();

    /** Called by the Lambda runtime. Nothing that can fail happens here: failures must reach CloudFormation. */
    public MigrateHandler() {
        this(MigrateHandler::awsClient, MigrateHandler::secretsClient, MigrationSource.fromClasspath(MIGRATIONS_LOCATION),
                REPORT_MARGIN, RESUME_PAUSE, System.out);
    }

    /** Without role secrets to read: a request naming RoleSecretArns fails. */
    MigrateHandler(Supplier<RdsDataClient> clients, MigrationSource migrations, Duration reportMargin,
                   Duration resumePause, PrintStream log) {
        this(clients, () -> {
            throw new IllegalStateException("No Secrets Manager client configured");
        }, migrations, reportMargin, resumePause, log);
    }

    /**
     * @param clients        a new Data API client per migration run; closed after the run
     * @param secretsClients a new Secrets Manager client per run that sets role passwords; closed after it
     * @param reportMargin   how long before the Lambda timeout to give up and report FAILED
     * @param resumePause    wait between attempts while the database resumes
     */
    MigrateHandler(Supplier<RdsDataClient> clients, Supplier<SecretsManagerClient> secretsClients,
                   MigrationSource migrations, Duration reportMargin, Duration resumePause, PrintStream log) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.secretsClients = Objects.requireNonNull(secretsClients, "secretsClients");
        this.migrations = Objects.requireNonNull(migrations, "migrations");
        this.reportMargin = Objects.requireNonNull(reportMargin, "reportMargin");
        this.resumePause = Objects.requireNonNull(resumePause, "resumePause");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "INFO");
        line.put("message", "schema migration");
        line.put("requestId", context.getAwsRequestId());
        CustomResourceEvent event = readEvent(input);
        if (event == null) {
            line.put("level", "ERROR");
            line.put("error", "Not a CloudFormation custom resource request (no valid ResponseURL): nothing to answer");
            log.println(JSON.std.asString(line));
            return;
        }
        line.put("requestType", event.requestType());
        line.put("stackId", event.stackId());
        line.put("logicalResourceId", event.logicalResourceId());
        line.put("database", event.property("Database"));

        CustomResourceResponse response;
        try {
            response = answer(event, context, line);
        } catch (Throwable unexpected) { // anything at all must still be reported, or the stack waits
            line.put("level", "ERROR");
            line.put("error", unexpected.getClass().getName());
            response = CustomResourceResponse.failed(physicalResourceId(event),
                    "Unexpected " + unexpected.getClass().getSimpleName() + ": " + unexpected.getMessage());
        }
        line.put("status", response.success() ? "SUCCESS" : "FAILED");
        line.put("physicalResourceId", response.physicalResourceId());
        if (response.reason() != null) {
            line.put("level", "ERROR");
            line.put("reason", response.reason());
        }
        byte[] body = JSON.std.asBytes(response.body(event, context.getLogStreamName()));
        try {
            responseUrl.put(event.responseUrl(), body);
            line.put("answered", true);
        } catch (IOException e) {
            line.put("level", "ERROR");
            line.put("answered", false);
            line.put("answerError", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line.put("answered", false);
        }
        log.println(JSON.std.asString(line));
        output.write(body);
    }

    private CustomResourceResponse answer(CustomResourceEvent event, Context context, Map<String, Object> line) {
        String physicalId = physicalResourceId(event);
        String requestType = String.valueOf(event.requestType());
        if (requestType.equals("Delete")) {
            // The schema belongs to the database, which the stack snapshots or deletes itself.
            return CustomResourceResponse.success(physicalId, Map.of());
        }
        if (!requestType.equals("Create") && !requestType.equals("Update")) {
            return CustomResourceResponse.failed(physicalId, "Unknown RequestType '" + requestType + "'");
        }
        if (requestType.equals("Update") && isRollbackToAnotherVersion(event, context)) {
            // CloudFormation rolling back a failed update sends the previous properties to this (newer) code.
            // Migrations only go forward, and the failed file was rolled back with its transaction: nothing to
            // undo. Answering FAILED here would leave the stack in UPDATE_ROLLBACK_FAILED.
            line.put("skipped", "rollback to " + event.property("MigrationsVersion"));
            return CustomResourceResponse.success(physicalId, Map.of());
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of("ClusterArn", "SecretArn", "Database")) {
            if (event.property(name) == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            return CustomResourceResponse.failed(physicalId, "SchemaMigration needs the properties ClusterArn, "
                    + "SecretArn and Database; missing: " + String.join(", ", missing));
        }
        Duration budget = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(reportMargin);
        if (budget.isNegative() || budget.isZero()) {
            return CustomResourceResponse.failed(physicalId, "Too little time left to migrate: raise the "
                    + "function's Timeout");
        }
        Migrated migrated;
        try {
            migrated = migrateWithin(event, budget);
        } catch (TimeoutException e) {
            return CustomResourceResponse.failed(physicalId, "The migrations did not finish within "
                    + String.format(Locale.ROOT, "%.1f", budget.toMillis() / 1000.0) + " s (each file is applied in its own transaction, so none is half "
                    + "applied); raise the function's Timeout or check that the database is reachable");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            line.put("error", cause.getClass().getName());
            return CustomResourceResponse.failed(physicalId, cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage());
        }
        MigrationResult result = migrated.result();
        line.put("applied", result.appliedVersions());
        line.put("skipped", result.skippedVersions());
        Map<String, String> data = new LinkedHashMap<>();
        data.put("AppliedVersions", join(result.appliedVersions()));
        data.put("LatestVersion", String.valueOf(latest(result)));
        if (!migrated.rolesSet().isEmpty()) {
            line.put("rolePasswordsSet", migrated.rolesSet());
            data.put("RolePasswordsSet", String.join(",", migrated.rolesSet()));
        }
        return CustomResourceResponse.success(physicalId, data);
    }

    /**
     * Runs the migrations on a worker thread and stops waiting at the budget, so the answer still goes out in
     * time when the Data API hangs or the database stays paused.
     */
    private Migrated migrateWithin(CustomResourceEvent event, Duration budget)
            throws TimeoutException, ExecutionException {
        Instant deadline = Instant.now().plus(budget);
        ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "schema-migration");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Migrated> run = worker.submit(() -> {
                MigrationResult result = migrateWhileResuming(event, deadline);
                return new Migrated(result, setRolePasswords(event));
            });
            try {
                return run.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.cancel(true);
                throw new ExecutionException(new IllegalStateException("Interrupted while migrating"));
            }
        } finally {
            worker.shutdownNow();
        }
    }

    /** A paused Aurora instance answers DatabaseResumingException until it is up: wait and try again. */
    private MigrationResult migrateWhileResuming(CustomResourceEvent event, Instant deadline)
            throws InterruptedException {
        try (RdsDataClient client = clients.get()) {
            Migrator migrator = Migrator.builder()
                    .client(client)
                    .resourceArn(event.property("ClusterArn"))
                    .secretArn(event.property("SecretArn"))
                    .database(event.property("Database"))
                    .migrations(migrations)
                    .build();
            while (true) {
                try {
                    return migrator.migrate();
                } catch (RuntimeException e) {
                    if (!causedByResuming(e) || Instant.now().plus(resumePause).isAfter(deadline)) {
                        throw e;
                    }
                    Thread.sleep(resumePause.toMillis());
                }
            }
        }
    }

    /** The schema is in place, so the roles exist: set each one's password from its secret. */
    private List<String> setRolePasswords(CustomResourceEvent event) {
        List<String> secretArns = event.properties().get("RoleSecretArns") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        if (secretArns.isEmpty()) {
            return List.of();
        }
        Map<String, String> passwords;
        try (SecretsManagerClient secrets = secretsClients.get()) {
            passwords = RoleSecrets.read(secrets, secretArns);
        }
        try (RdsDataClient client = clients.get()) {
            return new RolePasswords(client, event.property("ClusterArn"), event.property("SecretArn"),
                    event.property("Database")).set(passwords);
        }
    }

    /** What a run did: the migrations, and the roles whose passwords it set. */
    private record Migrated(MigrationResult result, List<String> rolesSet) {
    }

    /**
     * True when the request names another version of this function ({@code MigrationsVersion}, a version ARN) than
     * the one running: on update that only happens when CloudFormation rolls back to the previous properties.
     */
    private static boolean isRollbackToAnotherVersion(CustomResourceEvent event, Context context) {
        String requested = event.property("MigrationsVersion");
        String running = context.getFunctionVersion();
        if (requested == null || running == null || running.equals("$LATEST")) {
            return false;
        }
        return !requested.endsWith(":" + running);
    }

    private static boolean causedByResuming(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DatabaseResumingException) {
                return true;
            }
        }
        return false;
    }

    /** Stable across updates (CloudFormation would otherwise delete the "old" resource); derived on Create. */
    private static String physicalResourceId(CustomResourceEvent event) {
        if (event.physicalResourceId() != null) {
            return event.physicalResourceId();
        }
        String database = event.property("Database");
        return "schema-migrations-" + (database == null ? "unknown" : database);
    }

    private CustomResourceEvent readEvent(InputStream input) {
        try {
            // strictly UTF-8 text: JSON.std.mapFrom(InputStream) would guess UTF-16 or UTF-32 from the first bytes
            Map<String, Object> parsed = JSON.std.mapFrom(
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input.readAllBytes())).toString());
            return parsed == null ? null : CustomResourceEvent.of(parsed);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String join(List<Long> versions) {
        return versions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static long latest(MigrationResult result) {
        long latest = 0;
        for (Long version : result.appliedVersions()) {
            latest = Math.max(latest, version);
        }
        for (Long version : result.skippedVersions()) {
            latest = Math.max(latest, version);
        }
        return latest;
    }

    private static SecretsManagerClient secretsClient() {
        return SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).build())
                .build();
    }

    /** The URL-connection HTTP client only; region and credentials from Lambda's environment (default chains). */
    private static RdsDataClient awsClient() {
        return RdsDataClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .build();
    }
}
