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
record SignInSettings(String authorizationEndpoint, String tokenEndpoint, String clientId) {

    /** The scope the page asks for: an access token for the API, nothing more. */
    static final String SCOPE = "openid";

    private static final Pattern ENDPOINT = Pattern.compile("(https://[A-Za-z0-9.-]+(:\\d+)?)?/[A-Za-z0-9._~/%-]*");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    SignInSettings {
        check(EnvironmentVariables.SIGN_IN_AUTHORIZATION_ENDPOINT, authorizationEndpoint, ENDPOINT);
        check(EnvironmentVariables.SIGN_IN_TOKEN_ENDPOINT, tokenEndpoint, ENDPOINT);
        check(EnvironmentVariables.SIGN_IN_CLIENT_ID, clientId, CLIENT_ID);
    }

    static SignInSettings from(Map<String, String> environment) {
        return new SignInSettings(environment.get(EnvironmentVariables.SIGN_IN_AUTHORIZATION_ENDPOINT),
                environment.get(EnvironmentVariables.SIGN_IN_TOKEN_ENDPOINT),
                environment.get(EnvironmentVariables.SIGN_IN_CLIENT_ID));
    }

    /** {@code config.json}: what the page needs to sign in. */
    String configJson() {
        Map<String, Object> signIn = new LinkedHashMap<>();
        signIn.put("authorizationEndpoint", authorizationEndpoint);
        signIn.put("tokenEndpoint", tokenEndpoint);
        signIn.put("clientId", clientId);
        signIn.put("scope", SCOPE);
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
                    : "1 to 256 visible ASCII characters"));
        }
    }
}
