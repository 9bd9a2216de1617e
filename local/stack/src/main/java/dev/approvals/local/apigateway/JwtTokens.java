package dev.approvals.local.apigateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Serial;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * JWTs for the local stand-in of API Gateway's JWT authorizer: decoded, <b>never verified</b> (no signature,
 * issuer or audience check; {@code exp} and {@code nbf} are checked), and their claims flattened to strings the
 * way the HTTP API hands them to a function ({@code ["a","b"]} becomes {@code "[a b]"}). Dev tokens are unsigned
 * ({@code alg: none}).
 */
public final class JwtTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    /** A token that API Gateway's JWT authorizer would refuse with 401. */
    public static final class InvalidTokenException extends Exception {
        @Serial
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message);
        }
    }

    /** A decoded token: its header and its claims, as JSON values. */
    public record Jwt(Map<String, Object> header, Map<String, Object> claims) {
    }

    private JwtTokens() {
    }

    /**
     * The token from an {@code Authorization} value: API Gateway takes it with or without the {@code Bearer }
     * prefix.
     */
    public static String fromAuthorizationHeader(String value) {
        String token = value.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        return token;
    }

    /** Decodes a compact JWS ({@code header.payload.signature}) and checks {@code exp} and {@code nbf}. */
    public static Jwt decode(String token, Instant now) throws InvalidTokenException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new InvalidTokenException("not a JWT (header.payload.signature)");
        }
        Map<String, Object> header = jsonObject(parts[0], "header");
        Map<String, Object> claims = jsonObject(parts[1], "payload");
        if (!(header.get("alg") instanceof String)) {
            throw new InvalidTokenException("the header has no alg");
        }
        Long exp = epochSeconds(claims, "exp");
        if (exp != null && now.getEpochSecond() >= exp) {
            throw new InvalidTokenException("expired at " + Instant.ofEpochSecond(exp));
        }
        Long nbf = epochSeconds(claims, "nbf");
        if (nbf != null && now.getEpochSecond() < nbf) {
            throw new InvalidTokenException("not valid before " + Instant.ofEpochSecond(nbf));
        }
        return new Jwt(header, claims);
    }

    /** The claims as an HTTP API puts them in {@code requestContext.authorizer.jwt.claims}: every value a string. */
    public static Map<String, String> flattenClaims(Map<String, Object> claims) {
        Map<String, String> flat = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (value != null) {
                flat.put(name, text(value));
            }
        });
        return flat;
    }

    /** {@code scope} (space separated) or {@code scp}, as a list; null when the token has none. */
    public static List<String> scopes(Map<String, Object> claims) {
        Object scope = claims.containsKey("scope") ? claims.get("scope") : claims.get("scp");
        if (scope instanceof String text && !text.isBlank()) {
            return List.of(text.strip().split("\\s+"));
        }
        if (scope instanceof List<?> list && !list.isEmpty()) {
            return list.stream().map(JwtTokens::text).toList();
        }
        return null;
    }

    /** An unsigned token ({@code alg: none}) with these claims. */
    public static String unsigned(Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "none");
        header.put("typ", "JWT");
        return encode(header) + "." + encode(claims) + ".";
    }

    /** The template's default scopes (ReadScope, ProposeScope, DecideScope): what a dev access token holds. */
    public static final List<String> DEV_SCOPES = List.of("approvals/read", "approvals/propose", "approvals/decide");

    /**
     * Claims like a Cognito access token's: {@code sub}, {@code cognito:groups}, {@code username}, issuer,
     * client id, the {@link #DEV_SCOPES}, issued now, valid for {@code validFor}.
     */
    public static Map<String, Object> devClaims(String subject, String username, List<String> groups, String issuer,
                                                String clientId, Instant now, Duration validFor) {
        return devClaims(subject, username, groups, DEV_SCOPES, issuer, clientId, now, validFor);
    }

    /** As {@link #devClaims(String, String, List, String, String, Instant, Duration)}, with these scopes (none: no {@code scope}). */
    public static Map<String, Object> devClaims(String subject, String username, List<String> groups,
                                                List<String> scopes, String issuer, String clientId, Instant now,
                                                Duration validFor) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", Objects.requireNonNull(subject, "subject"));
        if (groups != null && !groups.isEmpty()) {
            claims.put("cognito:groups", List.copyOf(groups));
        }
        claims.put("iss", issuer);
        claims.put("client_id", clientId);
        claims.put("token_use", "access");
        if (!scopes.isEmpty()) {
            claims.put("scope", String.join(" ", scopes));
        }
        claims.put("auth_time", now.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(validFor).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("username", username);
        return claims;
    }

    /**
     * Claims like a Cognito ID token's: it names the person for the client ({@code aud}), carries no scope, and
     * says {@code token_use: id}. APIs must refuse it; the local stack does, as API Gateway and the functions do.
     */
    public static Map<String, Object> devIdTokenClaims(String subject, String username, List<String> groups,
                                                       String issuer, String clientId, Instant now,
                                                       Duration validFor) {
        Map<String, Object> claims = devClaims(subject, username, groups, List.of(), issuer, clientId, now, validFor);
        claims.remove("client_id");
        claims.remove("username");
        claims.put("aud", clientId);
        claims.put("cognito:username", username);
        claims.put("token_use", "id");
        return claims;
    }

    /**
     * A claim value as text, the way the HTTP API flattens it (its authorizer formats values like Go's
     * {@code %v}): strings as they are, whole numbers without a fraction, lists as {@code [a b]}, objects as
     * {@code map[k:v]} with sorted keys.
     */
    static String text(Object value) {
        return switch (value) {
            case null -> "";
            case String s -> s;
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case BigDecimal d -> d.stripTrailingZeros().toPlainString();
            case List<?> list -> {
                List<String> items = new ArrayList<>();
                list.forEach(item -> items.add(text(item)));
                yield "[" + String.join(" ", items) + "]";
            }
            case Map<?, ?> map -> {
                List<String> entries = new ArrayList<>();
                new TreeMap<>(map).forEach((k, v) -> entries.add(k + ":" + text(v)));
                yield "map[" + String.join(" ", entries) + "]";
            }
            default -> String.valueOf(value);
        };
    }

    private static Map<String, Object> jsonObject(String part, String what) throws InvalidTokenException {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(part.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("the " + what + " is not base64url");
        }
        try {
            Map<String, Object> map = JSON.readValue(bytes, OBJECT);
            if (map == null) {
                throw new InvalidTokenException("the " + what + " is not a JSON object");
            }
            return map;
        } catch (IOException e) {
            throw new InvalidTokenException("the " + what + " is not a JSON object");
        }
    }

    private static Long epochSeconds(Map<String, Object> claims, String name) throws InvalidTokenException {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new InvalidTokenException(name + " is not a number");
    }

    private static String encode(Map<String, ?> json) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
