package dev.approvals.functions.inbox;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the page signs people in, from the environment, checked at init. An endpoint is an {@code https://} URL,
 * or a path on the page's own origin ({@code /...}: the local stack's dev sign-in). Endpoints end up in the
 * Content-Security-Policy, so anything that could break out of a CSP source (spaces, {@code ;}, {@code ,},
 * quotes) is refused.
 */
record SignInSettings(String authorizationEndpoint, String tokenEndpoint, String clientId, String scopes) {

    /**
     * What the page asks for by default: an access token that may read and decide, nothing more (not propose).
     * The API's routes require these scopes, and refuse ID tokens (docs/security.md).
     */
    static final String DEFAULT_SCOPES = "openid approvals/read approvals/decide";
    private static final Pattern SCOPES = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");

    private static final Pattern ENDPOINT = Pattern.compile("(https://[A-Za-z0-9.-]+(:\\d+)?)?/[A-Za-z0-9._~/%-]*");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    SignInSettings {
        check(EnvironmentVariables.SIGN_IN_AUTHORIZATION_ENDPOINT, authorizationEndpoint, ENDPOINT);
        check(EnvironmentVariables.SIGN_IN_TOKEN_ENDPOINT, tokenEndpoint, ENDPOINT);
        check(EnvironmentVariables.SIGN_IN_CLIENT_ID, clientId, CLIENT_ID);
        check(EnvironmentVariables.SIGN_IN_SCOPES, scopes, SCOPES);
    }

    SignInSettings(String authorizationEndpoint, String tokenEndpoint, String clientId) {
        this(authorizationEndpoint, tokenEndpoint, clientId, DEFAULT_SCOPES);
    }

    static SignInSettings from(Map<String, String> environment) {
        String scopes = environment.get(EnvironmentVariables.SIGN_IN_SCOPES);
        return new SignInSettings(environment.get(EnvironmentVariables.SIGN_IN_AUTHORIZATION_ENDPOINT),
                environment.get(EnvironmentVariables.SIGN_IN_TOKEN_ENDPOINT),
                environment.get(EnvironmentVariables.SIGN_IN_CLIENT_ID),
                scopes == null || scopes.isBlank() ? DEFAULT_SCOPES : scopes.strip());
    }

    /** {@code config.json}: what the page needs to sign in. */
    String configJson() {
        Map<String, Object> signIn = new LinkedHashMap<>();
        signIn.put("authorizationEndpoint", authorizationEndpoint);
        signIn.put("tokenEndpoint", tokenEndpoint);
        signIn.put("clientId", clientId);
        signIn.put("scope", scopes);
        try {
            return JSON.std.asString(Map.of("signIn", signIn));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSP {@code connect-src} of the page: its own origin, and the token endpoint when it is elsewhere. */
    String connectSources() {
        return tokenEndpoint.startsWith("/") ? "'self'" : "'self' " + tokenEndpoint;
    }

    private static void check(String variable, String value, Pattern pattern) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set");
        }
        if (!pattern.matcher(value).matches()) {
            throw new IllegalStateException(variable + " is not valid: " + (pattern == ENDPOINT
                    ? "an https:// URL or a path starting with /, without spaces, quotes, ';' or ','"
                    : pattern == SCOPES ? "space-separated OAuth scopes"
                    : "1 to 256 visible ASCII characters"));
        }
    }
}
