package dev.approvals.local.dataapi;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.approvals.local.dataapi.internal.Calls;
import dev.approvals.local.dataapi.internal.DataApiHttpServer;
import dev.approvals.local.dataapi.internal.DataApiService;
import dev.approvals.local.dataapi.internal.Databases;
import dev.approvals.local.dataapi.internal.Faults;
import dev.approvals.local.dataapi.internal.Registry;
import dev.approvals.local.dataapi.internal.Transactions;
import dev.approvals.local.dataapi.postgres.EmbeddedPostgres;
import dev.approvals.local.dataapi.postgres.ExternalPostgres;
import dev.approvals.local.dataapi.postgres.PostgresServer;
import dev.approvals.migrator.MigrationResult;
import dev.approvals.migrator.MigrationSource;
import dev.approvals.migrator.Migrator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.RdsDataClientBuilder;

/**
 * A local RDS Data API: an HTTP endpoint on loopback that speaks the service's rest-json protocol, over a real
 * PostgreSQL (embedded by default, or any server by JDBC URL), with fault injection and call counters.
 *
 * <pre>{@code
 * LocalDataApi api = LocalDataApi.shared();            // one per JVM, migrated, closed at exit
 * RdsDataClient client = api.newClient();
 * client.executeStatement(r -> r.resourceArn(api.clusterArn()).secretArn(api.secretArn())
 *         .database(api.databaseName()).sql("SELECT 1"));
 * api.faults().unavailableAfterCommitForNextCalls(1);
 * assertThat(api.calls().count("ExecuteStatement")).isEqualTo(2);
 * }</pre>
 */
public final class LocalDataApi implements AutoCloseable {

    /** System property naming the migrations directory (otherwise {@code db/migrations} above the working directory). */
    public static final String MIGRATIONS_DIR_PROPERTY = "approvals.migrations.dir";

    private static final Logger LOG = LoggerFactory.getLogger(LocalDataApi.class);
    private static final Object SHARED_LOCK = new Object();
    private static LocalDataApi shared;
    private static RuntimeException sharedFailure;

    private final LocalDataApiConfig config;
    private final PostgresServer postgres;
    private final Databases databases;
    private final Registry registry;
    private final Transactions transactions;
    private final DataApiService service;
    private final DataApiHttpServer http;
    private final FaultInjector faults;
    private final CallCounter calls;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalDataApi(LocalDataApiConfig config, PostgresServer postgres, Databases databases, Registry registry,
                         Transactions transactions, DataApiService service, DataApiHttpServer http,
                         FaultInjector faults, CallCounter calls) {
        this.config = config;
        this.postgres = postgres;
        this.databases = databases;
        this.registry = registry;
        this.transactions = transactions;
        this.service = service;
        this.http = http;
        this.faults = faults;
        this.calls = calls;
    }

    /**
     * Starts PostgreSQL (embedded, unless the config has a database URL) and the Data API endpoint; migrates the
     * default database first if the config says so.
     */
    public static LocalDataApi start(LocalDataApiConfig config) {
        Objects.requireNonNull(config, "config");
        PostgresServer postgres = !config.database().isEmbedded()
                ? ExternalPostgres.of(config.database().url(), config.database().user(), config.database().password())
                : EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults()
                        .withDataDirectory(config.database().dataDirectory())
                        .withPort(config.embeddedPort())
                        .withDatabase(config.cluster().databaseName()));
        Databases databases = null;
        Transactions transactions = null;
        DataApiService service = null;
        try {
            databases = new Databases(postgres, config.limits().maxConnectionsPerDatabase());
            Registry registry = new Registry();
            registry.addCluster(config.cluster().clusterArn(), postgres.defaultDatabase());
            registry.addSecret(config.cluster().secretArn(),
                    new Databases.Credentials(postgres.adminUser(), postgres.adminPassword()));
            transactions = new Transactions(config.clock(), config.transactions().idle(),
                    config.transactions().maxLifetime(), config.transactions().reapInterval());
            Faults faultState = new Faults();
            Calls callState = new Calls();
            ObjectMapper mapper = new ObjectMapper();
            service = new DataApiService(registry, databases, transactions, faultState,
                    new DataApiService.Settings(config.limits().statementTimeout(),
                            config.limits().resultSetUpdateCount() == LocalDataApiConfig.ResultSetUpdateCount.ROW_COUNT,
                            config.limits().maxResultBytes(), config.cluster().clusterName() + "-instance-1"),
                    mapper);
            ObjectNode[] info = new ObjectNode[1];
            DataApiHttpServer http = DataApiHttpServer.start(config.cluster().port(), config.limits().httpThreads(),
                    service, callState, faultState, mapper, config.limits().maxRequestBytes(), () -> info[0].deepCopy());
            LocalDataApi api = new LocalDataApi(config, postgres, databases, registry, transactions, service, http,
                    new FaultInjector(faultState), new CallCounter(callState));
            info[0] = mapper.createObjectNode()
                    .put("endpoint", api.endpoint().toString())
                    .put("region", config.cluster().region())
                    .put("clusterArn", api.clusterArn())
                    .put("secretArn", api.secretArn())
                    .put("database", api.databaseName());
            if (config.migrations().onStart()) {
                MigrationResult result = api.migrate(api.databaseName());
                LOG.info("Migrated {}: applied {}, already applied {}", api.databaseName(),
                        result.appliedVersions(), result.skippedVersions());
            }
            LOG.info("Local Data API at {} over {}", api.endpoint(), postgres);
            return api;
        } catch (RuntimeException e) {
            closeAll(service, transactions, databases, postgres);
            throw e;
        }
    }

    /**
     * One emulator per JVM for tests: embedded PostgreSQL (or {@value DatabaseSettings#URL_ENV}), any free
     * port, the default database migrated with {@code db/migrations}; closed by a shutdown hook.
     */
    public static LocalDataApi shared() {
        synchronized (SHARED_LOCK) {
            if (shared != null) {
                return shared;
            }
            if (sharedFailure != null) {
                throw sharedFailure;
            }
            try {
                shared = start(LocalDataApiConfig.fromEnvironment().with(LocalDataApiConfig.Migrations.ON_START));
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
            LocalDataApi api = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(api::close, "local-data-api-stop"));
            return api;
        }
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint override for the SDK and {@code --endpoint-url} for the CLI. */
    public URI endpoint() {
        return http.endpoint();
    }

    public String clusterArn() {
        return config.cluster().clusterArn();
    }

    public String secretArn() {
        return config.cluster().secretArn();
    }

    /** The default database (used when a call names none). */
    public String databaseName() {
        return postgres.defaultDatabase();
    }

    public String region() {
        return config.cluster().region();
    }

    public LocalDataApiConfig config() {
        return config;
    }

    /** Creates a fresh, empty database named {@code <prefix>_<random>}, reachable with the same ARNs. */
    public String createDatabase(String prefix) {
        return databases.createDatabase(prefix);
    }

    /** Applies {@code db/migrations} to {@code database} with the migrator, through this Data API. */
    public MigrationResult migrate(String database) {
        try (RdsDataClient client = newClient()) {
            return Migrator.builder().client(client).resourceArn(clusterArn()).secretArn(secretArn())
                    .database(database).migrations(MigrationSource.fromDirectory(migrationsDirectory()))
                    .build().migrate();
        }
    }

    /** A JDBC data source for {@code database} as the admin user (pooled), for test setup and assertions. */
    public DataSource dataSource(String database) {
        return databases.directDataSource(database);
    }

    /** JDBC URL of {@code database} (no credentials), e.g. to show to a developer. */
    public String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    /**
     * A config for a second emulator over this one's PostgreSQL server, with {@code database} as its default (e.g.
     * with a short statement timeout or a test clock); closing that emulator leaves this server running.
     */
    public LocalDataApiConfig sameServerConfig(String database) {
        return config.with(DatabaseSettings.external(postgres.jdbcUrl(database), postgres.adminUser(),
                        postgres.adminPassword()))
                .withCluster(cluster -> cluster.withPort(0))
                .with(new LocalDataApiConfig.Migrations(config.migrations().directory(), false));
    }

    /** The PostgreSQL server behind the endpoint (embedded or external). */
    public PostgresServer postgres() {
        return postgres;
    }

    public FaultInjector faults() {
        return faults;
    }

    public CallCounter calls() {
        return calls;
    }

    /**
     * Makes {@code secretArn} resolve to these credentials (e.g. a wrong password, to see
     * {@code DatabaseErrorException ... SQLState: 28P01}).
     */
    public void registerSecret(String secretArn, String username, String password) {
        registry.addSecret(secretArn, new Databases.Credentials(username, password));
    }

    /** Number of open Data API transactions. */
    public int openTransactions() {
        return transactions.openCount();
    }

    /** An SDK client for this endpoint: endpoint override, region, dummy static credentials, URL-connection HTTP. */
    public RdsDataClient newClient() {
        return newClient(builder -> { });
    }

    /** As {@link #newClient()}, with further settings (e.g. an override configuration without retries). */
    public RdsDataClient newClient(Consumer<RdsDataClientBuilder> customizer) {
        RdsDataClientBuilder builder = RdsDataClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build());
        customizer.accept(builder);
        return builder.build();
    }

    /**
     * The migrations directory: the configured one, else system property {@value #MIGRATIONS_DIR_PROPERTY}, else
     * the first {@code db/migrations} found walking up from the working directory.
     */
    public Path migrationsDirectory() {
        return config.migrations().directory() != null ? config.migrations().directory() : findMigrationsDirectory();
    }

    /** Finds {@code db/migrations}: system property {@value #MIGRATIONS_DIR_PROPERTY}, else walking up from the cwd. */
    public static Path findMigrationsDirectory() {
        String configured = System.getProperty(MIGRATIONS_DIR_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("db").resolve("migrations");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No db/migrations directory in " + start + " or above; set -D"
                + MIGRATIONS_DIR_PROPERTY + "=<dir>");
    }

    /** Stops the endpoint, rolls back open transactions, closes the pools and stops the embedded PostgreSQL. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        http.close();
        closeAll(service, transactions, databases, postgres);
    }

    private static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("While closing {}: {}", resource, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "LocalDataApi[" + endpoint() + " over " + postgres + "]";
    }
}
