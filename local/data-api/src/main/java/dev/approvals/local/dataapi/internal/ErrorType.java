package dev.approvals.local.dataapi.internal;

import java.util.Locale;

/**
 * Every error the emulator sends: the 17 shapes of the service model (with their HTTP status) plus the unmodelled
 * codes the real service and the AWS front end are seen to send. The name is what goes into
 * {@code x-amzn-ErrorType} and {@code __type}, so the SDK maps it to the exception class of the same name.
 */
public enum ErrorType {
    AccessDeniedException(403),
    BadRequestException(400),
    DatabaseErrorException(400),
    DatabaseNotFoundException(404),
    DatabaseResumingException(400),
    DatabaseUnavailableException(504, false),
    ForbiddenException(403),
    HttpEndpointNotEnabledException(400),
    InternalServerErrorException(500, false),
    InvalidResourceStateException(400),
    InvalidSecretException(400),
    NotFoundException(404),
    SecretsErrorException(400),
    ServiceUnavailableError(503, false),
    StatementTimeoutException(400),
    TransactionNotFoundException(404),
    UnsupportedResultException(400),
    /** Unmodelled: request validation on v2 (multi-statement SQL, array parameters, constraint violations). */
    ValidationException(400),
    /** Unmodelled: e.g. an {@code infinity} timestamp in a result; sent without a message. */
    InternalFailure(500, false),
    /** Unmodelled: a body that is not the JSON the operation expects. */
    SerializationException(400),
    /** Unmodelled: no operation at that path (or not with that method). */
    UnknownOperationException(404),
    /** Unmodelled: the request is larger than 4 MiB. */
    RequestEntityTooLargeException(413);

    private final int status;
    private final boolean modelledMessage;

    ErrorType(int status) {
        this(status, true);
    }

    ErrorType(int status, boolean modelledMessage) {
        this.status = status;
        this.modelledMessage = modelledMessage;
    }

    public int status() {
        return status;
    }

    /** False for the shapes the model gives no {@code message} member (500/503/504); the emulator still sends one. */
    public boolean modelledMessage() {
        return modelledMessage;
    }

    /** True for the 17 shapes in the service model (the SDK has an exception class for each). */
    public boolean modelled() {
        return ordinal() <= UnsupportedResultException.ordinal();
    }

    /** Looks a type up by name, ignoring case and an optional {@code Exception} suffix mismatch. */
    public static ErrorType parse(String name) {
        for (ErrorType type : values()) {
            if (type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown error type '" + name + "'; one of "
                + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
