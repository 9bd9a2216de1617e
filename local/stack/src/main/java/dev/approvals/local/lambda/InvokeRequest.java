package dev.approvals.local.lambda;

import java.util.Objects;
import java.util.Optional;

/**
 * One synchronous invocation as the Lambda service receives it.
 *
 * @param payload         the event, passed to the function byte for byte
 * @param invokedArn      the ARN the caller used (with its qualifier), for {@code Lambda-Runtime-Invoked-Function-Arn}
 * @param traceId         the X-Ray trace header ({@code Root=1-...}); a fresh one when empty
 * @param clientContext   the client context JSON (decoded from the Invoke API's base64), if any
 * @param cognitoIdentity the Cognito identity JSON, if any
 */
public record InvokeRequest(byte[] payload, String invokedArn, Optional<String> traceId,
                            Optional<String> clientContext, Optional<String> cognitoIdentity) {

    public InvokeRequest {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(invokedArn, "invokedArn");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(clientContext, "clientContext");
        Objects.requireNonNull(cognitoIdentity, "cognitoIdentity");
    }

    public static InvokeRequest of(byte[] payload, String invokedArn) {
        return new InvokeRequest(payload, invokedArn, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
