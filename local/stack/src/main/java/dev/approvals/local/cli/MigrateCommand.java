package dev.approvals.local.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.migrator.Migration;
import dev.approvals.migrator.MigrationException;
import dev.approvals.migrator.MigrationResult;
import dev.approvals.migrator.MigrationSource;
import dev.approvals.migrator.Migrator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClientBuilder;

/** {@code approvals-local migrate}: applies db/migrations through any Data API endpoint, local or AWS. */
@Command(name = "migrate",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        sortOptions = false,
        description = {
            "Applies db/migrations through a Data API endpoint, local or AWS.",
            "",
            "Applies V<n>__<name>.sql in version order through the RDS Data API (the local emulator with",
            "--endpoint-url, Aurora on AWS without it), each file in one transaction, recorded in",
            "schema_migrations. Safe to rerun: applied files are skipped.",
            ""})
public final class MigrateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Data API endpoint, e.g. http://127.0.0.1:8432. Default: the AWS regional endpoint.")
    URI endpointUrl;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region. Default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1.")
    String region;

    @Option(names = "--resource-arn", paramLabel = "ARN", required = true, description = "Aurora cluster ARN.")
    String resourceArn;

    @Option(names = "--secret-arn", paramLabel = "ARN", required = true,
            description = "Secrets Manager ARN of the database credentials.")
    String secretArn;

    @Option(names = "--database", paramLabel = "NAME", description = "Database to migrate (default: the cluster's).")
    String database;

    @Option(names = "--migrations", paramLabel = "DIR",
            description = "Migrations directory. Default: db/migrations (here or in a parent directory).")
    Path migrations;

    @Override
    public Integer call() {
        Path directory = migrationsDirectory();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RdsDataClient client = client()) {
            MigrationResult result = Migrator.builder().client(client).resourceArn(resourceArn).secretArn(secretArn)
                    .database(database).migrations(MigrationSource.fromDirectory(directory)).build().migrate();
            for (Migration m : result.skipped()) {
                out.println("already applied  " + m.fileName());
            }
            for (Migration m : result.applied()) {
                out.println("applied          " + m.fileName());
            }
            out.printf("Done: %d applied, %d already applied (%s).%n", result.applied().size(),
                    result.skipped().size(), directory);
            return 0;
        } catch (MigrationException | SdkException e) {
            err.println("Migration failed: " + e.getMessage());
            return 1;
        }
    }

    private Path migrationsDirectory() {
        if (migrations == null) {
            try {
                return LocalDataApi.findMigrationsDirectory();
            } catch (IllegalStateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage()
                        + " (or pass --migrations DIR)");
            }
        }
        if (!Files.isDirectory(migrations)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--migrations: no such directory: " + migrations.toAbsolutePath());
        }
        return migrations;
    }

    private RdsDataClient client() {
        RdsDataClientBuilder builder = RdsDataClient.builder()
                .region(Region.of(effectiveRegion()))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .credentialsProvider(credentials());
        if (endpointUrl != null) {
            builder.endpointOverride(endpointUrl);
        }
        return builder.build();
    }

    private String effectiveRegion() {
        if (region != null) {
            return region;
        }
        String fromEnv = System.getenv("AWS_REGION");
        if (fromEnv == null || fromEnv.isBlank()) {
            fromEnv = System.getenv("AWS_DEFAULT_REGION");
        }
        return fromEnv == null || fromEnv.isBlank() ? "us-east-1" : fromEnv;
    }

    /** Real credentials for AWS; for a loopback endpoint without any in the environment, dummy ones. */
    private AwsCredentialsProvider credentials() {
        boolean local = endpointUrl != null && endpointUrl.getHost() != null
                && (endpointUrl.getHost().equals("localhost") || endpointUrl.getHost().startsWith("127.")
                || endpointUrl.getHost().equals("[::1]"));
        if (local && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
