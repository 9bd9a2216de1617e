package dev.approvals.local.apigateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void devToken_shouldDecodeToItsClaimsWithoutAnyKey() throws Exception {
        String token = JwtTokens.unsigned(JwtTokens.devClaims("dev-alice", "alice", List.of("approvers"),
                "https://issuer", "client", NOW, Duration.ofHours(1)));

        JwtTokens.Jwt jwt = JwtTokens.decode(token, NOW.plusSeconds(60));

        assertThat(token).endsWith(".");
        assertThat(jwt.header()).containsEntry("alg", "none");
        assertThat(jwt.claims()).containsEntry("sub", "dev-alice").containsEntry("iss", "https://issuer")
                .containsEntry("cognito:groups", List.of("approvers"));
    }

    @Test
    void signedToken_shouldDecodeAlthoughTheSignatureIsNeverChecked() throws Exception {
        String token = b64("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + b64("{\"sub\":\"u\"}") + ".c2lnbmF0dXJl";

        assertThat(JwtTokens.decode(token, NOW).claims()).containsEntry("sub", "u");
    }

    @Test
    void malformedTokens_shouldBeRefused() {
        for (String token : List.of("", "abc", "a.b", "a.b.c.d.e", "!!!." + b64("{}") + ".",
                b64("{\"alg\":\"none\"}") + ".bm90IGpzb24.", b64("[1]") + "." + b64("{}") + ".",
                b64("{\"typ\":\"JWT\"}") + "." + b64("{}") + ".")) {
            assertThatThrownBy(() -> JwtTokens.decode(token, NOW)).as(token)
                    .isInstanceOf(JwtTokens.InvalidTokenException.class);
        }
    }

    @Test
    void expiredOrNotYetValidTokens_shouldBeRefused() {
        String header = b64("{\"alg\":\"none\"}");
        String expired = header + "." + b64("{\"sub\":\"u\",\"exp\":" + NOW.getEpochSecond() + "}") + ".";
        String early = header + "." + b64("{\"sub\":\"u\",\"nbf\":" + (NOW.getEpochSecond() + 10) + "}") + ".";
        String textExp = header + "." + b64("{\"sub\":\"u\",\"exp\":\"tomorrow\"}") + ".";

        assertThatThrownBy(() -> JwtTokens.decode(expired, NOW)).hasMessageContaining("expired");
        assertThatThrownBy(() -> JwtTokens.decode(early, NOW)).hasMessageContaining("not valid before");
        assertThatThrownBy(() -> JwtTokens.decode(textExp, NOW)).hasMessageContaining("exp is not a number");
    }

    @Test
    void claims_shouldBeFlattenedToStringsAsTheHttpApiDoes() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "u");
        claims.put("cognito:groups", List.of("admins", "reviewers"));
        claims.put("exp", 1795784100L);
        claims.put("small", 7);
        claims.put("ratio", 1.5);
        claims.put("email_verified", true);
        claims.put("address", Map.of("zip", "1000", "city", "Brussels"));
        claims.put("gone", null);

        Map<String, String> flat = JwtTokens.flattenClaims(claims);

        assertThat(flat).containsExactly(Map.entry("sub", "u"), Map.entry("cognito:groups", "[admins reviewers]"),
                Map.entry("exp", "1795784100"), Map.entry("small", "7"), Map.entry("ratio", "1.5"),
                Map.entry("email_verified", "true"), Map.entry("address", "map[city:Brussels zip:1000]"));
    }

    @Test
    void scopes_shouldComeFromScopeOrScp() {
        assertThat(JwtTokens.scopes(Map.of("scope", "a/read  a/write"))).containsExactly("a/read", "a/write");
        assertThat(JwtTokens.scopes(Map.of("scp", List.of("x")))).containsExactly("x");
        assertThat(JwtTokens.scopes(Map.of("sub", "u"))).isNull();
    }

    @Test
    void authorizationHeader_shouldGiveTheTokenWithOrWithoutBearer() {
        assertThat(JwtTokens.fromAuthorizationHeader("Bearer  abc ")).isEqualTo("abc");
        assertThat(JwtTokens.fromAuthorizationHeader("bearer abc")).isEqualTo("abc");
        assertThat(JwtTokens.fromAuthorizationHeader("abc")).isEqualTo("abc");
    }
}
