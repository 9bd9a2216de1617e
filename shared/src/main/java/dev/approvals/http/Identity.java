package dev.approvals.http;

import dev.approvals.input.Fields;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is calling, as the API Gateway authorizer established it. The body is never consulted.
 *
 * @param groups  the {@code cognito:groups} claim, empty when absent
 * @param idToken the token says it is an OpenID Connect ID token ({@code token_use: id}): it proves who signed
 *                in to a client, not what the client may do, so it never authorizes an API call (docs/security.md)
 */
record Identity(String actor, Set<String> groups, boolean idToken) {

    private static final String GROUPS_CLAIM = "cognito:groups";
    private static final Pattern GROUP_SEPARATORS = Pattern.compile("[\\s,]+");
    /** Actors the deployment names (the workflow's, docs/security.md); no token subject may take one. */
    static final String RESERVED_ACTOR_PREFIX = "workflow:";

    Identity(String actor, Set<String> groups) {
        this(actor, groups, false);
    }

    /** @return the caller, or null when the event carries no authenticated identity */
    static Identity of(Map<String, Object> event, InvocationShape shape) {
        Identity identity = shape == InvocationShape.HTTP_API ? fromHttpApi(event) : fromRestApi(event);
        return identity == null || identity.actor() == null ? null : identity;
    }

    private static Identity fromHttpApi(Map<String, Object> event) {
        Map<String, Object> claims = Fields.object(Fields.path(event, "requestContext", "authorizer", "jwt", "claims"));
        if (claims != null && claims.get("sub") instanceof String sub && !sub.isBlank()) {
            return new Identity(actor(sub), groups(claims.get(GROUPS_CLAIM)), "id".equals(claims.get("token_use")));
        }
        if (Fields.path(event, "requestContext", "authorizer", "iam", "userArn") instanceof String arn && !arn.isBlank()) {
            return new Identity(actor(arn), Set.of());
        }
        return null;
    }

    private static Identity fromRestApi(Map<String, Object> event) {
        Map<String, Object> claims = Fields.object(Fields.path(event, "requestContext", "authorizer", "claims"));
        if (claims != null && claims.get("sub") instanceof String sub && !sub.isBlank()) {
            return new Identity(actor(sub), groups(claims.get(GROUPS_CLAIM)), "id".equals(claims.get("token_use")));
        }
        if (Fields.path(event, "requestContext", "authorizer", "principalId") instanceof String principal
                && !principal.isBlank()) {
            return new Identity(actor(principal), Set.of());
        }
        if (Fields.path(event, "requestContext", "identity", "userArn") instanceof String arn && !arn.isBlank()) {
            return new Identity(actor(arn), Set.of());
        }
        return null;
    }

    /**
     * An identity we could not store (too long, control characters) counts as none, and so does one that would
     * pose as the workflow: a token's subject never collides with an actor the deployment names.
     */
    private static String actor(String value) {
        if (value.startsWith(RESERVED_ACTOR_PREFIX)) {
            return null;
        }
        try {
            return Fields.actor(value, "The caller's identity");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * HTTP API JWT authorizers flatten array claims to a string like {@code "[admins reviewers]"}; REST API
     * Cognito authorizers send {@code "admins,reviewers"}; tests and Lambda authorizers may send a real list.
     */
    static Set<String> groups(Object claim) {
        // Loops, not streams: this runs on every request, and streams cost a cold start some 30 JDK classes.
        Set<String> groups = new HashSet<>();
        if (claim instanceof List<?> list) {
            for (Object group : list) {
                groups.add(String.valueOf(group));
            }
            return Set.copyOf(groups);
        }
        if (!(claim instanceof String text)) {
            return Set.of();
        }
        String inner = text.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        for (String group : GROUP_SEPARATORS.split(inner)) {
            String name = group.replace("\"", "");
            if (!name.isEmpty()) {
                groups.add(name);
            }
        }
        return Set.copyOf(groups);
    }
}
