package dev.approvals.http;

import dev.approvals.input.Fields;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, as the API Gateway authorizer established it. The body is never consulted.
 *
 * @param groups  the {@code cognito:groups} claim, empty when absent
 * @param idToken the token says it is an OpenID Connect ID token ({@code token_use: id}): it proves who signed
 *                in to a client, not what the client may do, so it never authorizes an API call (docs/security.md)
 */
record Identity(String actor, Set<String> groups, boolean idToken) {

    private static final String GROUPS_CLAIM = "cognito:groups";
    /** What separates groups in a flattened claim, by hand ({@link #isGroupSeparator}): it runs on every request. */
    static final String GROUP_SEPARATORS = "[\\s,]+";
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
        // The runs between separators, as GROUP_SEPARATORS.split would give them (its empty pieces are dropped)
        int start = 0;
        for (int i = 0; i <= inner.length(); i++) {
            if (i == inner.length() || isGroupSeparator(inner.charAt(i))) {
                if (i > start) {
                    String name = inner.substring(start, i).replace("\"", "");
                    if (!name.isEmpty()) {
                        groups.add(name);
                    }
                }
                start = i + 1;
            }
        }
        return immutable(groups);
    }

    /** {@code Set.copyOf}, without its second hash set for the usual claim of one group. */
    private static Set<String> immutable(Set<String> groups) {
        return groups.size() == 1 ? Set.of(groups.iterator().next()) : Set.copyOf(groups);
    }

    /** {@code [\s,]}: a comma or what {@code \s} matches (space, tab, newline, vertical tab, form feed, return). */
    static boolean isGroupSeparator(char c) {
        return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\013' || c == '\f' || c == '\r';
    }
}
