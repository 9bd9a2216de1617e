package dev.approvals.local.events;

/**
 * A request the EventBridge API refuses as a whole, answered as the service answers it: HTTP 400, the error's
 * type in {@code x-amzn-ErrorType} and {@code __type}, and a {@code message}.
 */
final class ApiException extends RuntimeException {

    private final String type;

    ApiException(String type, String message) {
        super(message, null, false, false); // no stack trace: it is an answer, not a bug
        this.type = type;
    }

    String type() {
        return type;
    }
}
