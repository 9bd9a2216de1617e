package dev.approvals.functions.inbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every answer of the page carries. The Content-Security-Policy allows only the page's own scripts,
 * styles and images (no inline script or style, no eval), requests only to its own origin and the sign-in token
 * endpoint, and no framing, plugins, base URL changes or form submissions: even if agent-written text ever
 * reached the DOM as markup, nothing in it could run.
 */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static Map<String, String> of(SignInSettings signIn) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self'; connect-src " + signIn.connectSources() + "; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        return headers;
    }
}
