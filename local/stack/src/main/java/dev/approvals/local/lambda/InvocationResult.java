package dev.approvals.local.lambda;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an invocation produced, as the Invoke API reports it: the function's answer, or an error payload
 * ({@code {errorMessage, errorType, stackTrace}} from the runtime, or one Lambda writes itself for a timeout or a
 * crashed runtime) with {@code X-Amz-Function-Error: Unhandled}.
 *
 * @param errorType  the error's type when {@link #functionError()}: the exception class the runtime reported,
 *                   {@code Sandbox.Timedout}, {@code Runtime.ExitError}, ...
 * @param log        the lines the function wrote during the invocation, then its REPORT line
 */
public record InvocationResult(String requestId, byte[] payload, Optional<String> errorType, double durationMs,
                               List<String> log) {

    public InvocationResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(errorType, "errorType");
        log = List.copyOf(log);
    }

    /** True when Lambda would answer with {@code X-Amz-Function-Error: Unhandled}. */
    public boolean functionError() {
        return errorType.isPresent();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
