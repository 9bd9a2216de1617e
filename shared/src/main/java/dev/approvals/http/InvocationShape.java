package dev.approvals.http;

import java.util.Map;

/** The three ways a decision function is invoked (docs/design.md §4). */
public enum InvocationShape {
    /** API Gateway HTTP API, payload format 2.0 (SAM {@code HttpApi} events). */
    HTTP_API,
    /** API Gateway REST API, Lambda proxy integration (payload format 1.0). */
    REST_API,
    /** Step Functions {@code lambda:invoke} or any direct Invoke: the plain decision payload. */
    DIRECT;

    public boolean isHttp() {
        return this != DIRECT;
    }

    /** Recognises an event by the members only API Gateway sends. */
    public static InvocationShape of(Map<String, Object> event) {
        Object requestContext = event.get("requestContext");
        if (!(requestContext instanceof Map<?, ?> context)) {
            return DIRECT;
        }
        if ("2.0".equals(event.get("version")) && context.get("http") instanceof Map) {
            return HTTP_API;
        }
        if (event.get("httpMethod") instanceof String) {
            return REST_API;
        }
        return DIRECT;
    }
}
