package dev.approvals.store;

import dev.approvals.errors.DecisionUnavailableException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.DatabaseResumingException;
import software.amazon.awssdk.services.rdsdata.model.DatabaseUnavailableException;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.InternalServerErrorException;
import software.amazon.awssdk.services.rdsdata.model.RdsDataException;
import software.amazon.awssdk.services.rdsdata.model.ServiceUnavailableErrorException;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.StatementTimeoutException;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One {@code ExecuteStatement} with every value bound, the way every store sends it.
 *
 * <p>Aurora Serverless v2 answers {@code DatabaseResumingException} while it wakes from auto-pause; the SDK
 * does not retry that (it is a 400), so this class does, with backoff, until the caller's deadline. Errors the
 * SDK already retried (5xx, I/O) and statement timeouts become {@link DecisionUnavailableException}; anything
 * else (a SQL error, a permission problem) is a bug or a misconfiguration and propagates unchanged.
 */
final class DataApiStatements {

    private static final Duration FIRST_RESUME_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_RESUME_BACKOFF = Duration.ofSeconds(4);
    /** Below this, a call cannot usefully start. */
    private static final long MIN_CALL_MILLIS = 100;
    static final int RETRY_AFTER_SECONDS = 5;

    private final RdsDataClient rdsData;
    private final DatabaseTarget target;
    private final Clock clock;
    private final Sleeper sleeper;

    DataApiStatements(RdsDataClient rdsData, DatabaseTarget target, Clock clock, Sleeper sleeper) {
        this.rdsData = Objects.requireNonNull(rdsData, "rdsData");
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Runs {@code sql}, whose result columns are {@code columns} (no result metadata is asked for). */
    List<Row> execute(String sql, Columns columns, List<SqlParameter> parameters, Instant deadline) {
        return Row.all(call(sql, parameters, deadline), columns);
    }

    /** For a statement that returns no rows: how many it changed. */
    int count(String sql, List<SqlParameter> parameters, Instant deadline) {
        Long updated = call(sql, parameters, deadline).numberOfRecordsUpdated();
        return updated == null ? 0 : Math.toIntExact(updated);
    }

    private ExecuteStatementResponse call(String sql, List<SqlParameter> parameters, Instant deadline) {
        ExecuteStatementRequest.Builder request = ExecuteStatementRequest.builder()
                .resourceArn(target.clusterArn())
                .secretArn(target.secretArn())
                .database(target.database())
                .sql(sql)
                .parameters(parameters)
                .includeResultMetadata(false);
        Duration backoff = FIRST_RESUME_BACKOFF;
        while (true) {
            // The whole call, the SDK's retries included, ends by the deadline (docs/security.md, time budgets);
            // one attempt is bounded by the HTTP client's connect and read timeouts.
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.toMillis() < MIN_CALL_MILLIS) {
                throw new DecisionUnavailableException("The database did not answer in time; retry shortly",
                        RETRY_AFTER_SECONDS);
            }
            request.overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build());
            try {
                return executeTimed(request.build());
            } catch (RdsDataException failure) {
                if (!(failure instanceof DatabaseResumingException)) {
                    throw unavailableOrUnchanged(failure);
                }
                // Aurora is waking up (typically 10-30 s); each call fails at once, so wait and ask again.
                DataApiCalls.resumingWait();
                Instant next = clock.instant().plus(backoff);
                if (!next.isBefore(deadline)) {
                    throw new DecisionUnavailableException(
                            "The database is resuming from auto-pause; retry shortly", RETRY_AFTER_SECONDS);
                }
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_RESUME_BACKOFF) <= 0
                        ? backoff.multipliedBy(2) : MAX_RESUME_BACKOFF;
            } catch (SdkClientException io) {
                throw new DecisionUnavailableException("The database could not be reached; retry shortly",
                        RETRY_AFTER_SECONDS);
            }
        }
    }

    /**
     * Errors the SDK already retried and statement timeouts: unavailable; anything else unchanged. Told apart with
     * {@code instanceof} rather than catch clauses, which would load these exception classes on every cold start.
     */
    private static RuntimeException unavailableOrUnchanged(RdsDataException failure) {
        if (failure instanceof DatabaseUnavailableException || failure instanceof ServiceUnavailableErrorException
                || failure instanceof InternalServerErrorException || failure instanceof StatementTimeoutException) {
            return new DecisionUnavailableException("The database is unavailable; retry shortly",
                    RETRY_AFTER_SECONDS);
        }
        return failure;
    }

    /** The call alone, its round trip counted for the invocation's metrics whatever it ends with. */
    private ExecuteStatementResponse executeTimed(ExecuteStatementRequest request) {
        long started = System.nanoTime();
        try {
            return rdsData.executeStatement(request);
        } finally {
            DataApiCalls.statement(System.nanoTime() - started);
        }
    }

    static SqlParameter uuid(String name, UUID value) {
        return SqlParameter.builder().name(name).typeHint(TypeHint.UUID)
                .value(Field.builder().stringValue(value.toString()).build()).build();
    }

    static SqlParameter text(String name, String value) {
        Field field = value == null
                ? Field.builder().isNull(true).build()
                : Field.builder().stringValue(value).build();
        return SqlParameter.builder().name(name).value(field).build();
    }

    static SqlParameter json(String name, String value) {
        return SqlParameter.builder().name(name).typeHint(TypeHint.JSON)
                .value(Field.builder().stringValue(value).build()).build();
    }

    static SqlParameter number(String name, Long value) {
        Field field = value == null
                ? Field.builder().isNull(true).build()
                : Field.builder().longValue(value).build();
        return SqlParameter.builder().name(name).value(field).build();
    }
}
