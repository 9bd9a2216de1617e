package dev.approvals.local.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code AWS::Serverless::Function} with the template's {@code Globals.Function} merged in, as SAM merges them.
 * Accessors return values as written; values that are intrinsic functions (e.g. {@code {Ref: DatabaseName}}) are
 * resolved with an {@link IntrinsicResolver}.
 *
 * @param properties the merged {@code Properties}; unmodifiable
 * @param metadata   the resource's {@code Metadata} (e.g. {@code BuildMethod}); unmodifiable
 */
public record SamFunction(String logicalId, Map<String, Object> properties, Map<String, Object> metadata) {

    /** Lambda's defaults when a function sets no Timeout or MemorySize. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int DEFAULT_MEMORY_SIZE_MB = 128;

    /** A property as written, or null. */
    public Object property(String name) {
        return properties.get(name);
    }

    /** {@code Handler}, e.g. {@code dev.approvals.functions.approve.ApproveHandler::handleRequest}. */
    public String handler() {
        return text("Handler").orElseThrow(() -> new TemplateException(logicalId + " has no Handler"));
    }

    /** {@code CodeUri} when it is a local path (SAM also allows an S3 location, which has no local path). */
    public Optional<String> codeUri() {
        return text("CodeUri");
    }

    public Optional<String> runtime() {
        return text("Runtime");
    }

    public int timeoutSeconds() {
        return integer("Timeout", DEFAULT_TIMEOUT_SECONDS);
    }

    public int memorySizeMb() {
        return integer("MemorySize", DEFAULT_MEMORY_SIZE_MB);
    }

    public List<String> architectures() {
        Object value = property("Architectures");
        if (value == null) {
            return List.of("x86_64");
        }
        List<String> names = new ArrayList<>();
        for (Object name : Values.asList(value, logicalId + " Architectures")) {
            names.add(String.valueOf(name));
        }
        return List.copyOf(names);
    }

    /** {@code Environment.Variables}: name to value as written (text or an intrinsic function); empty if none. */
    public Map<String, Object> environment() {
        Map<String, Object> environment = Values.mapOrEmpty(property("Environment"), logicalId + " Environment");
        return Values.mapOrEmpty(environment.get("Variables"), logicalId + " Environment.Variables");
    }

    /** {@code Events}: name to event ({@code Type} and {@code Properties}); empty if none. */
    public Map<String, Object> events() {
        return Values.mapOrEmpty(property("Events"), logicalId + " Events");
    }

    /** The function's {@code HttpApi} events, in template order. */
    public List<HttpApiRoute> httpApiRoutes() {
        List<HttpApiRoute> routes = new ArrayList<>();
        events().forEach((name, value) -> {
            Map<String, Object> event = Values.asMap(value, logicalId + " event " + name);
            if ("HttpApi".equals(event.get("Type"))) {
                Map<String, Object> props = Values.mapOrEmpty(event.get("Properties"),
                        logicalId + " event " + name + " Properties");
                routes.add(new HttpApiRoute(name,
                        props.get("Method") instanceof String method ? method : "ANY",
                        props.get("Path") instanceof String path ? path : "$default",
                        props.get("ApiId")));
            }
        });
        return List.copyOf(routes);
    }

    /**
     * {@code Policies} as a list (SAM also accepts a single name or document): each entry is a managed policy
     * name or ARN, a SAM policy template ({@code {SQSPollerPolicy: {...}}}) or a policy document with a
     * {@code Statement}.
     */
    public List<Object> policies() {
        Object value = property("Policies");
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? List.copyOf(list) : List.of(value);
    }

    /** {@code AutoPublishAlias} as written, when set. */
    public Optional<Object> autoPublishAlias() {
        return Optional.ofNullable(property("AutoPublishAlias"));
    }

    /** {@code SnapStart.ApplyOn} ({@code PublishedVersions} or {@code None}), when set. */
    public Optional<String> snapStartApplyOn() {
        Map<String, Object> snapStart = Values.mapOrEmpty(property("SnapStart"), logicalId + " SnapStart");
        return snapStart.get("ApplyOn") instanceof String applyOn ? Optional.of(applyOn) : Optional.empty();
    }

    private Optional<String> text(String name) {
        Object value = property(name);
        return value instanceof String text ? Optional.of(text) : Optional.empty();
    }

    private int integer(String name, int absent) {
        Object value = property(name);
        if (value == null) {
            return absent;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value instanceof String text && text.strip().matches("\\d+")) {
            return Integer.parseInt(text.strip());
        }
        throw new TemplateException(logicalId + " " + name + " is " + Values.describe(value)
                + ", not a number; resolve it with IntrinsicResolver");
    }
}
