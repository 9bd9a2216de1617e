package dev.approvals.local.apigateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local stand-in for the OIDC provider the inbox page signs in with (Cognito on AWS): the same authorization
 * code flow with PKCE (RFC 7636, S256 only), so the page runs its production sign-in code locally. Its
 * authorization page offers a choice of dev identities instead of a password; its token endpoint mints the stack's
 * unsigned dev tokens ({@link JwtTokens}), which the local JWT stand-in accepts and AWS never would.
 *
 * <ul>
 *   <li>{@code GET /_local/sign-in/authorize?response_type=code&client_id&redirect_uri&state&code_challenge
 *       &code_challenge_method=S256}: the choice of identities;</li>
 *   <li>{@code POST /_local/sign-in/authorize} (the choice): 303 to {@code redirect_uri?code&state};</li>
 *   <li>{@code POST /_local/sign-in/token} ({@code grant_type=authorization_code}, {@code code},
 *       {@code redirect_uri}, {@code client_id}, {@code code_verifier}): {@code {"access_token", "token_type",
 *       "expires_in"}}, or 400 {@code {"error": "invalid_grant"}}. A code works once, for a minute.</li>
 * </ul>
 * Only paths on the stack's own origin are accepted as {@code redirect_uri}.
 */
public final class DevSignIn {

    public static final String PATH_PREFIX = "/_local/sign-in/";
    public static final String AUTHORIZE = PATH_PREFIX + "authorize";
    public static final String TOKEN = PATH_PREFIX + "token";
    static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    /** Someone to sign in as: the token's {@code sub} and {@code username}, and its {@code cognito:groups}. */
    public record Identity(String name, List<String> groups) {
    }

    /** alice and bob decide; carol is in no group (a 403 where the stack runs with ApproverGroup=approvers). */
    public static final List<Identity> IDENTITIES = List.of(new Identity("alice", List.of("approvers")),
            new Identity("bob", List.of("approvers")), new Identity("carol", List.of()));

    private record Grant(Identity identity, String redirectUri, String challenge, Instant expires) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final String issuer;
    private final String clientId;
    private final Clock clock;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    public DevSignIn(String issuer, String clientId, Clock clock) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clock = clock;
    }

    /** The answer to a request under {@link #PATH_PREFIX}, or empty when it is not one of these endpoints. */
    Optional<HttpAnswer> answer(IncomingRequest request) {
        String path = request.rawPath();
        if (path.equals(AUTHORIZE) && request.method().equals("GET")) {
            return Optional.of(choice(form(request.rawQuery()), request.serverPort()));
        }
        if (path.equals(AUTHORIZE) && request.method().equals("POST")) {
            return Optional.of(chosen(form(new String(request.body(), StandardCharsets.UTF_8)),
                    request.serverPort()));
        }
        if (path.equals(TOKEN) && request.method().equals("POST")) {
            return Optional.of(token(form(new String(request.body(), StandardCharsets.UTF_8))));
        }
        return Optional.empty();
    }

    private HttpAnswer choice(Map<String, String> query, int port) {
        String problem = authorizationProblem(query, port);
        if (problem != null) {
            return page(400, "<p>This sign-in request cannot be served: " + escape(problem) + ".</p>");
        }
        StringBuilder body = new StringBuilder("<p>Local dev sign-in: these identities exist only on this machine "
                + "(unsigned tokens the local stack accepts, never AWS).</p>");
        for (Identity identity : IDENTITIES) {
            body.append("<form method=\"post\" action=\"").append(AUTHORIZE).append("\">");
            for (String name : List.of("client_id", "redirect_uri", "state", "code_challenge")) {
                body.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(escape(query.getOrDefault(name, ""))).append("\">");
            }
            body.append("<input type=\"hidden\" name=\"identity\" value=\"").append(identity.name()).append("\">")
                    .append("<button type=\"submit\">Sign in as ").append(identity.name()).append("</button> ")
                    .append(identity.groups().isEmpty() ? "in no group" : "in " + String.join(", ",
                            identity.groups())).append("</form>");
        }
        return page(200, body.toString());
    }

    private HttpAnswer chosen(Map<String, String> form, int port) {
        Map<String, String> request = new LinkedHashMap<>(form);
        request.put("response_type", "code");
        request.put("code_challenge_method", "S256");
        String problem = authorizationProblem(request, port);
        Identity identity = IDENTITIES.stream().filter(i -> i.name().equals(form.get("identity"))).findFirst()
                .orElse(null);
        if (problem != null || identity == null) {
            return page(400, "<p>This sign-in request cannot be served: "
                    + escape(problem != null ? problem : "no such identity") + ".</p>");
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        codes.put(code, new Grant(identity, form.get("redirect_uri"), form.get("code_challenge"),
                clock.instant().plus(CODE_LIFETIME)));
        String location = form.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(form.getOrDefault("state", ""), StandardCharsets.UTF_8);
        return new HttpAnswer(303, List.of(Map.entry("Location", location), Map.entry("Cache-Control", "no-store")),
                new byte[0]);
    }

    private HttpAnswer token(Map<String, String> form) {
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        boolean valid = grant != null && "authorization_code".equals(form.get("grant_type"))
                && clientId.equals(form.get("client_id")) && grant.redirectUri().equals(form.get("redirect_uri"))
                && clock.instant().isBefore(grant.expires())
                && grant.challenge().equals(s256(form.getOrDefault("code_verifier", "")));
        if (!valid) {
            return json(400, "{\"error\":\"invalid_grant\"}");
        }
        Identity identity = grant.identity();
        String token = JwtTokens.unsigned(JwtTokens.devClaims(identity.name(), identity.name(), identity.groups(),
                issuer, clientId, clock.instant(), TOKEN_LIFETIME));
        return json(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + TOKEN_LIFETIME.toSeconds() + "}");
    }

    /** Why the authorization request is refused, or null. */
    private String authorizationProblem(Map<String, String> query, int port) {
        if (!"code".equals(query.get("response_type"))) {
            return "response_type must be code";
        }
        if (!clientId.equals(query.get("client_id"))) {
            return "unknown client_id (the local client is " + clientId + ")";
        }
        String redirect = query.getOrDefault("redirect_uri", "");
        if (!redirect.startsWith("http://127.0.0.1:" + port + "/") && !redirect.startsWith("http://localhost:"
                + port + "/")) {
            return "redirect_uri must be a page of this stack (http://127.0.0.1:" + port + "/...)";
        }
        if (!"S256".equals(query.get("code_challenge_method"))
                || !query.getOrDefault("code_challenge", "").matches("[A-Za-z0-9_-]{43}")) {
            return "PKCE is required: code_challenge_method S256 and a code_challenge";
        }
        return null;
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    values.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed pair is left out; the checks then name what is missing
                }
            }
        }
        return values;
    }

    private static HttpAnswer page(int status, String body) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width, initial-scale=1\"><title>Sign in (local)</title>"
                + "<link rel=\"stylesheet\" href=\"/inbox/inbox.css\"></head><body><main><h1>Sign in to Approvals"
                + "</h1>" + body + "</main></body></html>";
        return new HttpAnswer(status, List.of(Map.entry("Content-Type", "text/html; charset=utf-8"),
                Map.entry("Cache-Control", "no-store"), Map.entry("Content-Security-Policy", PAGE_POLICY),
                Map.entry("X-Frame-Options", "DENY"), Map.entry("Referrer-Policy", "no-referrer")),
                html.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpAnswer json(int status, String body) {
        return new HttpAnswer(status, List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("Cache-Control", "no-store")), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
