package dev.approvals.local.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.dataapi.LocalDataApiConfig;
import dev.approvals.local.dataapi.postgres.EmbeddedPostgres;
import dev.approvals.local.stack.LocalStack;
import dev.approvals.local.stack.Ports;
import dev.approvals.migrator.MigrationResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code approvals-local data-api}: PostgreSQL plus the Data API emulator, until Ctrl-C. */
@Command(name = "data-api",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        sortOptions = false,
        description = {
            "Starts PostgreSQL and a local RDS Data API; serves until Ctrl-C.",
            "",
            "PostgreSQL is embedded (PostgreSQL 17) unless --database-url names one. The endpoint listens on",
            "127.0.0.1; the endpoint, cluster ARN, secret ARN and a ready-to-paste AWS CLI line are printed.",
            "Faults can also be armed while it runs: POST /_emulator/faults (see the printed curl lines).",
            ""})
public final class DataApiCommand implements Callable<Integer> {

    /** The endpoint's default port. */
    public static final int DEFAULT_PORT = 8432;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT,
            description = "Port of the Data API endpoint on 127.0.0.1 (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @CommandLine.Mixin
    DatabaseOptions postgres = new DatabaseOptions();

    @Option(names = "--database", paramLabel = "NAME", defaultValue = "approvals",
            description = "Default database (embedded PostgreSQL). Default: ${DEFAULT-VALUE}.")
    String database;

    @Option(names = "--pg-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the embedded PostgreSQL (0: any free port).")
    int postgresPort;

    @Option(names = "--migrate", description = "Apply the migrations to the default database before serving.")
    boolean migrate;

    @Option(names = "--migrations", paramLabel = "DIR",
            description = "Migrations directory. Default: db/migrations of this repository.")
    Path migrations;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "Region in the ARNs. Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "45s",
            converter = DurationConverter.class, description = "Call timeout. Default: ${DEFAULT-VALUE}.")
    Duration statementTimeout;

    @Option(names = "--transaction-idle-timeout", paramLabel = "DURATION", defaultValue = "3m",
            converter = DurationConverter.class, description = "Default: ${DEFAULT-VALUE}.")
    Duration transactionIdleTimeout;

    @Option(names = "--transaction-max-lifetime", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class, description = "Default: ${DEFAULT-VALUE}.")
    Duration transactionMaxLifetime;

    @Option(names = "--records-updated-for-result-sets", paramLabel = "MODE", defaultValue = "ZERO",
            description = "numberOfRecordsUpdated of statements returning rows: ${COMPLETION-CANDIDATES}."
                    + " Default: ${DEFAULT-VALUE}.")
    LocalDataApiConfig.ResultSetUpdateCount recordsUpdated;

    @Option(names = "--fault-resuming", paramLabel = "N", defaultValue = "0",
            description = "DatabaseResumingException for the first N calls.")
    int faultResuming;

    @Option(names = "--fault-unavailable-before", paramLabel = "N", defaultValue = "0",
            description = "DatabaseUnavailableException (504) instead of the first N calls.")
    int faultUnavailableBefore;

    @Option(names = "--fault-unavailable-after-commit", paramLabel = "N", defaultValue = "0",
            description = "Run and commit the first N calls, then answer 504 (the response is lost).")
    int faultUnavailableAfterCommit;

    @Option(names = "--fault-statement-timeout", paramLabel = "N", defaultValue = "0",
            description = "StatementTimeoutException for the first N statements.")
    int faultStatementTimeout;

    @Option(names = "--fault-operations", paramLabel = "OP", split = ",",
            description = "Limit the --fault-* options to these operations (e.g. ExecuteStatement,BeginTransaction).")
    List<String> faultOperations = new ArrayList<>();

    @Option(names = "--latency", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Add this latency to every call (e.g. 20ms).")
    Duration latency;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CompletableFuture<LocalDataApi> started = new CompletableFuture<>();

    @Override
    public Integer call() throws InterruptedException {
        validate();
        LocalDataApi api = LocalDataApi.start(config());
        PrintWriter out = spec.commandLine().getOut();
        Thread hook = new Thread(() -> {
            out.println("Stopping the Data API and PostgreSQL...");
            out.flush();
            api.close();
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
        }, "approvals-local-data-api-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        if (migrate) {
            MigrationResult result = api.migrate(api.databaseName());
            out.printf("Migrated %s: applied %s, already applied %s%n", api.databaseName(),
                    result.appliedVersions(), result.skippedVersions());
            // a secret per database role, as the deployed stack has (env.json.example names them)
            DatabaseRoles.registerAll(api, api.databaseName()).forEach((role, arn) ->
                    out.printf("  role %-19s secret ARN %s%n", role, arn));
            api.calls().reset(); // count the clients' calls only
        }
        // armed after the migration, so the faults hit the clients' calls
        try {
            armFaults(api);
        } catch (IllegalArgumentException e) {
            api.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        printBanner(api, out);
        started.complete(api);
        stopped.await();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            api.close();
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook closes it
        }
        return 0;
    }

    /** Completes with the running emulator once it serves (for tests and embedding). */
    public CompletableFuture<LocalDataApi> started() {
        return started;
    }

    /** Stops a running {@link #call()} as Ctrl-C would. */
    public void stop() {
        stopped.countDown();
    }

    private void validate() {
        if (port < 0 || port > 65535 || postgresPort < 0 || postgresPort > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Ports must be between 0 and 65535");
        }
        List<String> taken = new ArrayList<>();
        if (port != 0 && !Ports.isFree(port)) {
            taken.add(Ports.portInUse(port, "--port"));
        }
        if (postgresPort != 0 && !Ports.isFree(postgresPort)) {
            taken.add(Ports.portInUse(postgresPort, "--pg-port"));
        }
        if (!taken.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(System.lineSeparator(), taken));
        }
        for (int n : new int[] {faultResuming, faultUnavailableBefore, faultUnavailableAfterCommit,
                faultStatementTimeout}) {
            if (n < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Fault counts must be 0 or more");
            }
        }
        postgres.validate(spec.commandLine());
    }

    private LocalDataApiConfig config() {
        LocalDataApiConfig defaults = LocalDataApiConfig.defaults();
        return defaults.with(postgres.settings())
                .withEmbeddedPort(postgresPort)
                .withCluster(cluster -> cluster.withPort(port).withDatabaseName(database)
                        .withRegion(region, cluster.accountId()))
                .withLimits(limits -> limits.withStatementTimeout(statementTimeout).with(recordsUpdated))
                .withTransactions(timeouts -> new LocalDataApiConfig.TransactionTimeouts(transactionIdleTimeout,
                        transactionMaxLifetime, timeouts.reapInterval()))
                .with(new LocalDataApiConfig.Migrations(migrations == null ? null : migrations.toAbsolutePath(),
                        false));
    }

    private void armFaults(LocalDataApi api) {
        String[] ops = faultOperations.toArray(String[]::new);
        api.faults().resumingForNextCalls(faultResuming, ops)
                .unavailableBeforeExecuteForNextCalls(faultUnavailableBefore, ops)
                .unavailableAfterCommitForNextCalls(faultUnavailableAfterCommit, ops)
                .statementTimeoutForNextCalls(faultStatementTimeout, ops);
        if (latency != null) {
            api.faults().latency(latency);
        }
    }

    private static void printBanner(LocalDataApi api, PrintWriter out) {
        String endpoint = api.endpoint().toString();
        out.println();
        out.println("Local RDS Data API is running.");
        out.println("  endpoint     " + endpoint);
        out.println("  region       " + api.region());
        out.println("  cluster ARN  " + api.clusterArn());
        out.println("  secret ARN   " + api.secretArn());
        out.println("  database     " + api.databaseName());
        String credentials = api.postgres() instanceof EmbeddedPostgres
                ? " (user " + api.postgres().adminUser() + ", password " + api.postgres().adminPassword() + ")" : "";
        out.println("  PostgreSQL   " + api.jdbcUrl(api.databaseName()) + credentials);
        out.println();
        out.println("Try it with the AWS CLI (any credentials will do):");
        out.println("  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=" + api.region() + " \\");
        out.println("  aws rds-data execute-statement --endpoint-url " + endpoint + " \\");
        out.println("    --resource-arn '" + api.clusterArn() + "' \\");
        out.println("    --secret-arn '" + api.secretArn() + "' \\");
        out.println("    --database " + api.databaseName() + " --sql 'SELECT now()'");
        out.println();
        out.println("Faults and call counters while it runs:");
        out.println("  curl -s -X POST " + endpoint + "/_emulator/faults -d '{\"fault\":\"resuming\",\"count\":3}'");
        out.println("  curl -s -X POST " + endpoint
                + "/_emulator/faults -d '{\"fault\":\"unavailable-after-commit\",\"count\":1}'");
        out.println("  curl -s " + endpoint + "/_emulator/calls");
        out.println("  curl -s -X DELETE " + endpoint + "/_emulator/faults");
        out.println();
        out.println("Ready. Press Ctrl-C to stop.");
        out.flush();
    }
}
