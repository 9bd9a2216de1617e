package dev.approvals.local.events;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's or schedule's target, by its ARN: a Lambda function (name and optional qualifier, invoked through the
 * local Lambda runtime), an SNS topic (recorded as delivered, nothing is sent), or anything else (listed as
 * unsupported).
 *
 * @param id        the target's {@code Id} in the rule
 * @param input     constant JSON text sent instead of the event ({@code Input})
 * @param inputPath a JSONPath into the event ({@code InputPath}, e.g. {@code $.detail}); simple dotted paths only
 */
public record Target(String id, String arn, Optional<String> input, Optional<String> inputPath) {

    /** What kind of service a target ARN names. */
    public enum Kind { FUNCTION, SNS, UNSUPPORTED }

    private static final Pattern FUNCTION_ARN =
            Pattern.compile("^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$");

    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(inputPath, "inputPath");
    }

    public static Target of(String id, String arn) {
        return new Target(id, arn, Optional.empty(), Optional.empty());
    }

    public Kind kind() {
        if (FUNCTION_ARN.matcher(arn).matches()) {
            return Kind.FUNCTION;
        }
        return arn.matches("^arn:aws[a-z-]*:sns:.*") ? Kind.SNS : Kind.UNSUPPORTED;
    }

    /** The function's name, for a function target. */
    public Optional<String> functionName() {
        Matcher m = FUNCTION_ARN.matcher(arn);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The version or alias of a function target's ARN, if it has one. */
    public Optional<String> qualifier() {
        Matcher m = FUNCTION_ARN.matcher(arn);
        return m.matches() ? Optional.ofNullable(m.group(2)) : Optional.empty();
    }
}
