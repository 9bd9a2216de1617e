package dev.approvals.local.dataapi.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.approvals.migrator.SqlScript;

/** The six Data API operations over JDBC: request JSON in, response JSON out, errors as {@link DataApiException}. */
public final class DataApiService implements AutoCloseable {

    /** Behaviour switches; see {@code LocalDataApiConfig}. */
    public record Settings(Duration statementTimeout, boolean countRowsOfResultSets, int maxResultBytes,
                           String resumingInstanceId) {
    }

    static final String COMMITTED = "Transaction Committed";
    static final String ROLLED_BACK = "Rollback Complete";
    private static final int MAX_SQL = 65_536;
    private static final int MAX_DB_NAME = 64;
    private static final int MAX_TRANSACTION_ID = 192;

    private final Registry registry;
    private final Databases databases;
    private final Transactions transactions;
    private final Faults faults;
    private final Settings settings;
    private final ObjectMapper mapper;
    private final ResultMapper results;
    private final StatementRunner runner;

    public DataApiService(Registry registry, Databases databases, Transactions transactions, Faults faults,
                          Settings settings, ObjectMapper mapper) {
        this.registry = registry;
        this.databases = databases;
        this.transactions = transactions;
        this.faults = faults;
        this.settings = settings;
        this.mapper = mapper;
        this.results = new ResultMapper(mapper);
        this.runner = new StatementRunner(settings.statementTimeout());
    }

    public ObjectNode handle(Operation operation, JsonNode body) {
        return switch (operation) {
            case ExecuteStatement -> executeStatement(body);
            case BatchExecuteStatement -> batchExecuteStatement(body);
            case BeginTransaction -> beginTransaction(body);
            case CommitTransaction -> endTransaction(body, Operation.CommitTransaction);
            case RollbackTransaction -> endTransaction(body, Operation.RollbackTransaction);
            case ExecuteSql -> executeSql(body);
        };
    }

    /** The fields every statement call has, read in the service's order (problems are collected until validate). */
    private record StatementCall(String resourceArn, String secretArn, String sql, String database,
                                 String transactionId) {
        static StatementCall read(RequestReader request) {
            String resourceArn = request.arn("resourceArn");
            String secretArn = request.arn("secretArn");
            String sql = request.string("sql", true, 0, MAX_SQL);
            String database = request.string("database", false, 0, MAX_DB_NAME);
            request.string("schema", false, 0, MAX_DB_NAME);
            String transactionId = request.string("transactionId", false, 0, MAX_TRANSACTION_ID);
            return new StatementCall(resourceArn, secretArn, sql, database, transactionId);
        }
    }

    // ---- ExecuteStatement ------------------------------------------------------------------------------------

    private ObjectNode executeStatement(JsonNode body) {
        RequestReader request = new RequestReader(body);
        StatementCall call = StatementCall.read(request);
        boolean includeResultMetadata = request.bool("includeResultMetadata");
        boolean continueAfterTimeout = request.bool("continueAfterTimeout");
        ResultMapper.Options options = resultOptions(request, body, includeResultMetadata);
        JsonNode parameterList = request.list("parameters", false);
        request.validate();
        Parameters parameters = Parameters.parse(parameterList, "parameters");

        Registry.Cluster cluster = registry.cluster(call.resourceArn());
        Databases.Credentials credentials = registry.secret(call.secretArn());
        requireSingleStatement(call.sql());
        NamedParameters named = NamedParameters.parse(call.sql());
        parameters.requireAllUsed(named.names());
        NamedParameters.Rewritten rewritten = named.rewrite(parameters.names());

        Faults.Armed fault = takeFault(Operation.ExecuteStatement, call.secretArn());
        ObjectNode response = run(cluster, credentials, call.database(), call.transactionId(), continueAfterTimeout,
                injectsTimeout(fault), false,
                (connection, cancellation) -> execute(connection, cancellation, rewritten, parameters, options));
        afterCall(fault);
        return response;
    }

    /** {@code formatRecordsAs} and {@code resultSetOptions}, read (and checked) before anything runs. */
    private ResultMapper.Options resultOptions(RequestReader request, JsonNode body, boolean includeResultMetadata) {
        String format = request.enumeration(body, "formatRecordsAs", "formatRecordsAs", "NONE",
                List.of("NONE", "JSON"));
        JsonNode resultSetOptions = request.object("resultSetOptions");
        String decimalReturnType = request.enumeration(resultSetOptions, "resultSetOptions.decimalReturnType",
                "decimalReturnType", "STRING", List.of("STRING", "DOUBLE_OR_LONG"));
        String longReturnType = request.enumeration(resultSetOptions, "resultSetOptions.longReturnType",
                "longReturnType", "LONG", List.of("STRING", "LONG"));
        return new ResultMapper.Options(includeResultMetadata, format.equals("JSON"),
                decimalReturnType.equals("DOUBLE_OR_LONG"), longReturnType.equals("STRING"),
                settings.maxResultBytes());
    }

    /** One statement on {@code connection}: its records (or formatted records) and the rows it changed. */
    private ObjectNode execute(Connection connection, StatementRunner.Cancellation cancellation,
                               NamedParameters.Rewritten rewritten, Parameters parameters,
                               ResultMapper.Options options) throws SQLException {
        ObjectNode out = mapper.createObjectNode();
        try (PreparedStatement statement = connection.prepareStatement(rewritten.sql())) {
            cancellation.register(statement);
            parameters.bind(statement, rewritten.bindOrder());
            if (!statement.execute()) {
                out.put("numberOfRecordsUpdated", Math.max(0L, statement.getLargeUpdateCount()));
                return out;
            }
            try (ResultSet rs = statement.getResultSet()) {
                ResultMapper.Mapped mapped = results.map(rs, connection, options);
                if (mapped.formattedRecords() != null) {
                    out.put("formattedRecords", mapped.formattedRecords());
                } else {
                    out.set("records", mapped.records());
                    if (mapped.columnMetadata() != null) {
                        out.set("columnMetadata", mapped.columnMetadata());
                    }
                }
                out.put("numberOfRecordsUpdated", settings.countRowsOfResultSets() ? mapped.rowCount() : 0);
            }
        }
        return out;
    }

    // ---- BatchExecuteStatement -------------------------------------------------------------------------------

    private ObjectNode batchExecuteStatement(JsonNode body) {
        RequestReader request = new RequestReader(body);
        StatementCall call = StatementCall.read(request);
        JsonNode sets = request.list("parameterSets", false);
        request.validate();
        List<Parameters> parameterSets = new ArrayList<>();
        if (sets != null) {
            for (int i = 0; i < sets.size(); i++) {
                parameterSets.add(Parameters.parse(sets.get(i), "parameterSets." + (i + 1)));
            }
        }

        Registry.Cluster cluster = registry.cluster(call.resourceArn());
        Databases.Credentials credentials = registry.secret(call.secretArn());
        requireSingleStatement(call.sql());
        NamedParameters named = NamedParameters.parse(call.sql());
        List<NamedParameters.Rewritten> rewrittenSets = new ArrayList<>();
        for (Parameters set : parameterSets) {
            set.requireAllUsed(named.names());
            rewrittenSets.add(named.rewrite(set.names()));
        }

        Faults.Armed fault = takeFault(Operation.BatchExecuteStatement, call.secretArn());
        ObjectNode response = mapper.createObjectNode();
        ArrayNode updateResults = response.putArray("updateResults");
        if (!parameterSets.isEmpty()) {
            boolean inTransaction = call.transactionId() != null;
            run(cluster, credentials, call.database(), call.transactionId(), false, injectsTimeout(fault), true,
                    (connection, cancellation) -> {
                        for (int i = 0; i < parameterSets.size() && !cancellation.cancelled(); i++) {
                            NamedParameters.Rewritten rewritten = rewrittenSets.get(i);
                            try (PreparedStatement statement = connection.prepareStatement(rewritten.sql())) {
                                cancellation.register(statement);
                                parameterSets.get(i).bind(statement, rewritten.bindOrder());
                                statement.execute();
                            }
                        }
                        if (!inTransaction) {
                            connection.commit();
                        }
                        return null;
                    });
            for (int i = 0; i < parameterSets.size(); i++) {
                updateResults.addObject().putArray("generatedFields");
            }
        }
        afterCall(fault);
        return response;
    }

    // ---- transactions ------------------------------------------------------------------------------------------

    private ObjectNode beginTransaction(JsonNode body) {
        RequestReader request = new RequestReader(body);
        String resourceArn = request.arn("resourceArn");
        String secretArn = request.arn("secretArn");
        String database = request.string("database", false, 0, MAX_DB_NAME);
        request.string("schema", false, 0, MAX_DB_NAME);
        request.validate();
        Registry.Cluster cluster = registry.cluster(resourceArn);
        Databases.Credentials credentials = registry.secret(secretArn);
        Faults.Armed fault = takeFault(Operation.BeginTransaction, secretArn);

        String db = database != null ? database : cluster.defaultDatabase();
        Databases.Lease lease = databases.lease(db, credentials);
        try {
            lease.connection().setAutoCommit(false);
        } catch (SQLException e) {
            lease.release();
            throw DataApiException.database(e);
        }
        Transactions.Transaction transaction = transactions.begin(cluster.arn(), db, lease);
        ObjectNode response = mapper.createObjectNode().put("transactionId", transaction.id());
        afterCall(fault);
        return response;
    }

    private ObjectNode endTransaction(JsonNode body, Operation operation) {
        RequestReader request = new RequestReader(body);
        String resourceArn = request.arn("resourceArn");
        String secretArn = request.arn("secretArn");
        String transactionId = request.string("transactionId", true, 0, MAX_TRANSACTION_ID);
        request.validate();
        Registry.Cluster cluster = registry.cluster(resourceArn);
        registry.secret(secretArn);
        Faults.Armed fault = takeFault(operation, secretArn);

        Transactions.Transaction transaction = transactions.acquire(transactionId, cluster.arn());
        String status;
        try {
            if (operation == Operation.CommitTransaction) {
                if (transaction.lease().transactionFailed()) {
                    // PostgreSQL answers COMMIT with ROLLBACK here; say so instead of "Transaction Committed"
                    throw new DataApiException(ErrorType.DatabaseErrorException, "ERROR: current transaction is"
                            + " aborted, commands ignored until end of transaction block; SQLState: 25P02");
                }
                transaction.lease().connection().commit();
                status = COMMITTED;
            } else {
                transaction.lease().connection().rollback();
                status = ROLLED_BACK;
            }
        } catch (SQLException e) {
            throw DataApiException.database(e);
        } finally {
            transactions.finish(transaction);
        }
        ObjectNode response = mapper.createObjectNode().put("transactionStatus", status);
        afterCall(fault);
        return response;
    }

    // ---- ExecuteSql ----------------------------------------------------------------------------------------------

    private ObjectNode executeSql(JsonNode body) {
        RequestReader request = new RequestReader(body);
        request.arn("dbClusterOrInstanceArn");
        request.arn("awsSecretStoreArn");
        request.string("sqlStatements", true, 0, MAX_SQL);
        request.string("database", false, 0, MAX_DB_NAME);
        request.string("schema", false, 0, MAX_DB_NAME);
        request.validate();
        throw DataApiException.badRequest(
                "This API is deprecated and not available. Use ExecuteStatement API instead");
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    private <T> T run(Registry.Cluster cluster, Databases.Credentials credentials, String database,
                      String transactionId, boolean continueAfterTimeout, boolean injectTimeout, boolean atomic,
                      StatementRunner.Work<T> work) {
        if (transactionId != null) {
            Transactions.Transaction transaction = transactions.acquire(transactionId, cluster.arn());
            return runner.run(transaction.lease(), continueAfterTimeout, injectTimeout, true, work,
                    () -> transactions.release(transaction));
        }
        Databases.Lease lease = databases.lease(database != null ? database : cluster.defaultDatabase(), credentials);
        if (atomic) {
            try {
                lease.connection().setAutoCommit(false);
            } catch (SQLException e) {
                lease.release();
                throw DataApiException.database(e);
            }
        }
        return runner.run(lease, continueAfterTimeout, injectTimeout, atomic, work, lease::release);
    }

    private static void requireSingleStatement(String sql) {
        if (SqlScript.countStatements(sql) > 1) {
            throw DataApiException.validation("Multistatements aren't supported");
        }
    }

    /** Takes this call's fault; the ones that replace the call are thrown here. */
    private Faults.Armed takeFault(Operation operation, String secretArn) {
        Faults.Armed fault = faults.next(operation, secretArn);
        if (fault == null) {
            return null;
        }
        switch (fault.kind()) {
            case RESUMING -> throw new DataApiException(ErrorType.DatabaseResumingException, "The Aurora DB instance "
                    + settings.resumingInstanceId() + " is resuming after being auto-paused."
                    + " Please wait a few seconds and try again.");
            case UNAVAILABLE_BEFORE_EXECUTE -> throw DataApiException.databaseUnavailable();
            case ERROR -> throw new DataApiException(fault.error(), "Injected " + fault.error().name());
            default -> {
                return fault;
            }
        }
    }

    private static boolean injectsTimeout(Faults.Armed fault) {
        return fault != null && fault.kind() == Faults.Kind.STATEMENT_TIMEOUT;
    }

    /** The call has run (and committed): a lost-response fault replaces its answer now. */
    private static void afterCall(Faults.Armed fault) {
        if (fault != null && fault.kind() == Faults.Kind.UNAVAILABLE_AFTER_COMMIT) {
            throw DataApiException.databaseUnavailable();
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
