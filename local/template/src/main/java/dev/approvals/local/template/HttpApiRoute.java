package dev.approvals.local.template;

import java.util.Locale;

/**
 * An {@code HttpApi} event of a function: the route API Gateway sends to it.
 *
 * @param eventName the event's key under {@code Events}
 * @param method    upper case; {@code ANY} when the event names none
 * @param path      e.g. {@code /approvals/{id}/approve}; {@code $default} when the event names none
 * @param apiId     the event's {@code ApiId} as written (e.g. {@code {Ref: ApprovalsApi}}), or null for SAM's implicit API
 */
public record HttpApiRoute(String eventName, String method, String path, Object apiId) {

    public HttpApiRoute {
        method = method.toUpperCase(Locale.ROOT);
    }

    /** API Gateway's route key, e.g. {@code POST /approvals/{id}/approve}, or {@code $default}. */
    public String routeKey() {
        return path.equals("$default") ? path : method + " " + path;
    }
}
