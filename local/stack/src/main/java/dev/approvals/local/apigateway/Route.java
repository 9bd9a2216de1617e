package dev.approvals.local.apigateway;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP API route: {@code METHOD /path/{param}} (or {@code ANY}, or the {@code $default} route) to a function.
 *
 * @param method        upper case, or {@code ANY}
 * @param path          e.g. {@code /approvals/{id}/approve}; {@code {name+}} is greedy; {@code $default} matches all
 * @param function      the function's name
 * @param jwtAuthorizer the JWT authorizer protecting it (its name in the template), or null for none
 * @param scopes        the route's {@code AuthorizationScopes}: a token needs at least one of them (empty: any)
 * @param alias         the function's alias the integration invokes (its {@code AutoPublishAlias}), or null for
 *                      the unqualified function
 */
public record Route(String method, String path, String function, String jwtAuthorizer, List<String> scopes,
                    String alias) {

    public Route(String method, String path, String function, String jwtAuthorizer) {
        this(method, path, function, jwtAuthorizer, List.of(), null);
    }

    public Route {
        method = method.toUpperCase(Locale.ROOT);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(function, "function");
        if (!path.equals("$default") && !path.startsWith("/")) {
            throw new IllegalArgumentException("A route path starts with / (or is $default): " + path);
        }
    }

    /** API Gateway's route key, e.g. {@code POST /approvals/{id}/approve}, or {@code $default}. */
    public String routeKey() {
        return path.equals("$default") ? path : method + " " + path;
    }
}
