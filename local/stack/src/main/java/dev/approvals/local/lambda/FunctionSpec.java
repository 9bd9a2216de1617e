package dev.approvals.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Lambda function as the runtime needs it: what the template says, resolved for this machine.
 *
 * @param name          the function name (locally its logical id, e.g. {@code ApproveFunction})
 * @param handler       e.g. {@code dev.approvals.functions.approve.ApproveHandler::handleRequest}
 * @param codeDirectory the unpacked code (classes at the root, jars in {@code lib/}), like Lambda's /var/task
 * @param environment   the function's own variables ({@code Environment.Variables}, resolved); Lambda's reserved
 *                      variables are added by the runtime and win over these, as on AWS
 * @param runtime       e.g. {@code java25}, for {@code AWS_EXECUTION_ENV}
 * @param logFormat     {@code LoggingConfig.LogFormat} ({@code Text} or {@code JSON}), if set
 * @param logLevel      {@code LoggingConfig.ApplicationLogLevel}, if set
 */
public record FunctionSpec(String name, String handler, Path codeDirectory, Map<String, String> environment,
                           Duration timeout, int memorySizeMb, String runtime, Optional<String> logFormat,
                           Optional<String> logLevel, String region, String accountId) {

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(codeDirectory, "codeDirectory");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + ": the timeout must be positive");
        }
        if (memorySizeMb < 128) {
            throw new IllegalArgumentException(name + ": MemorySize must be at least 128 MB");
        }
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
    }

    /** {@code arn:aws:lambda:<region>:<account>:function:<name>}. */
    public String arn() {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }
}
