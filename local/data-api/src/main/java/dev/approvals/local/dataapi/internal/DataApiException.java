package dev.approvals.local.dataapi.internal;

import java.io.Serial;
import java.sql.SQLException;

/** An error answer of the emulator: its type (status and code), message, and for timeouts the backend pid. */
public final class DataApiException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ErrorType type;
    private final Long dbConnectionId;

    public DataApiException(ErrorType type, String message) {
        this(type, message, null, null);
    }

    private DataApiException(ErrorType type, String message, Long dbConnectionId, Throwable cause) {
        super(message, cause, false, false);
        this.type = type;
        this.dbConnectionId = dbConnectionId;
    }

    public ErrorType type() {
        return type;
    }

    /** The backend pid, for {@link ErrorType#StatementTimeoutException}; null otherwise. */
    public Long dbConnectionId() {
        return dbConnectionId;
    }

    /** A PostgreSQL error, in the v2 format: PgJDBC's message, then {@code ; SQLState: XXXXX}. */
    public static DataApiException database(SQLException e) {
        String state = e.getSQLState() == null ? "" : "; SQLState: " + e.getSQLState();
        return new DataApiException(ErrorType.DatabaseErrorException, e.getMessage() + state, null, e);
    }

    public static DataApiException statementTimeout(long backendPid) {
        return new DataApiException(ErrorType.StatementTimeoutException,
                "The statement timed out and was cancelled", backendPid, null);
    }

    public static DataApiException statementTimeoutContinuing(long backendPid) {
        return new DataApiException(ErrorType.StatementTimeoutException,
                "The call timed out; the statement continues to run (continueAfterTimeout)", backendPid, null);
    }

    public static DataApiException validation(String message) {
        return new DataApiException(ErrorType.ValidationException, message);
    }

    public static DataApiException serialization(String message) {
        return new DataApiException(ErrorType.SerializationException, message);
    }

    public static DataApiException badRequest(String message) {
        return new DataApiException(ErrorType.BadRequestException, message);
    }

    public static DataApiException unsupportedResult(String message) {
        return new DataApiException(ErrorType.UnsupportedResultException, message);
    }

    public static DataApiException transactionNotFound(String transactionId) {
        return new DataApiException(ErrorType.TransactionNotFoundException,
                "Transaction " + transactionId + " is not found");
    }

    public static DataApiException internalFailure() {
        return new DataApiException(ErrorType.InternalFailure, null);
    }

    public static DataApiException databaseUnavailable() {
        return new DataApiException(ErrorType.DatabaseUnavailableException,
                "The writer instance in the DB cluster isn't available");
    }
}
