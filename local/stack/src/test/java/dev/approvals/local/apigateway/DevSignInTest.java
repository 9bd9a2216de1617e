package dev.approvals.local.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DevSignInTest {

    private static final int PORT = 3000;
    private static final String PAGE = "http://127.0.0.1:" + PORT + "/";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final DevSignIn signIn = new DevSignIn("https://approvals.local/dev-issuer", "approvals-local", clock);

    @Test
    void theAuthorizationPage_offersTheDevIdentities_withAStrictPolicy() {
        HttpAnswer page = get("response_type=code&client_id=approvals-local&redirect_uri=" + PAGE
                + "&state=s1&code_challenge_method=S256&code_challenge=" + challenge(VERIFIER));

        assertThat(page.status()).isEqualTo(200);
        assertThat(text(page)).contains("Sign in as alice", "Sign in as bob", "Sign in as carol")
                .doesNotContain("<script");
        assertThat(page.headers()).contains(Map.entry("Content-Security-Policy", "default-src 'none'; "
                + "style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"));
    }

    @Test
    void choosingAnIdentity_redirectsWithACode_whichTheVerifierExchangesOnce_forADevTokenOfThatPerson()
            throws Exception {
        String code = chooseBob();

        HttpAnswer token = exchange(code, VERIFIER, PAGE);
        HttpAnswer again = exchange(code, VERIFIER, PAGE);

        assertThat(token.status()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(token.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(3600);
        JwtTokens.Jwt jwt = JwtTokens.decode(body.path("access_token").asText(), clock.instant());
        assertThat(jwt.claims()).containsEntry("sub", "bob").containsEntry("username", "bob")
                .containsEntry("cognito:groups", List.of("approvers"));
        assertThat(again.status()).as("a code works once").isEqualTo(400);
    }

    @Test
    void aWrongVerifier_anotherRedirect_orALateExchange_isInvalidGrant() {
        assertThat(text(exchange(chooseBob(), VERIFIER.replace('d', 'e'), PAGE)))
                .isEqualTo("{\"error\":\"invalid_grant\"}");
        assertThat(exchange(chooseBob(), VERIFIER, PAGE + "other").status()).isEqualTo(400);
        String code = chooseBob();
        clock.advance(DevSignIn.CODE_LIFETIME);
        assertThat(exchange(code, VERIFIER, PAGE).status()).isEqualTo(400);
    }

    @Test
    void aRedirectElsewhere_orNoPkce_isRefused_beforeAnyIdentityIsOffered() {
        HttpAnswer elsewhere = get("response_type=code&client_id=approvals-local&redirect_uri=https://evil.example/"
                + "&state=s&code_challenge_method=S256&code_challenge=" + challenge(VERIFIER));
        HttpAnswer plain = get("response_type=code&client_id=approvals-local&redirect_uri=" + PAGE
                + "&state=s&code_challenge_method=plain&code_challenge=" + VERIFIER);

        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(text(elsewhere)).contains("redirect_uri must be a page of this stack").doesNotContain("Sign in as");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(text(plain)).contains("PKCE is required");
    }

    private String chooseBob() {
        HttpAnswer redirect = request("POST", DevSignIn.AUTHORIZE, "", "client_id=approvals-local&redirect_uri="
                + PAGE + "&state=xyz&code_challenge=" + challenge(VERIFIER) + "&identity=bob");
        assertThat(redirect.status()).isEqualTo(303);
        String location = redirect.headers().stream().filter(h -> h.getKey().equals("Location")).findFirst()
                .orElseThrow().getValue();
        assertThat(location).startsWith(PAGE + "?code=").endsWith("&state=xyz");
        return location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));
    }

    private HttpAnswer exchange(String code, String verifier, String redirectUri) {
        return request("POST", DevSignIn.TOKEN, "", "grant_type=authorization_code&code=" + code + "&redirect_uri="
                + redirectUri + "&client_id=approvals-local&code_verifier=" + verifier);
    }

    private HttpAnswer get(String query) {
        return request("GET", DevSignIn.AUTHORIZE, query, "");
    }

    private HttpAnswer request(String method, String path, String query, String body) {
        return signIn.answer(new IncomingRequest(method, path, query, Map.of(), body.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1", "HTTP/1.1", PORT)).orElseThrow();
    }

    private static String text(HttpAnswer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
