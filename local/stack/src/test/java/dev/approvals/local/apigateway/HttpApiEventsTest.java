package dev.approvals.local.apigateway;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpApiEventsTest {

    private static final HttpApiEvents.ApiContext API = new HttpApiEvents.ApiContext("123456789012", "local",
            "$default");
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00.123Z");

    private static RouteTable.Match approveMatch() {
        return new RouteTable.Match(new Route("POST", "/approvals/{id}/approve", "Approve", "Jwt"),
                Map.of("id", "5b0c7f2e"));
    }

    private static IncomingRequest request(Map<String, List<String>> headers, String body) {
        return new IncomingRequest("POST", "/approvals/5b0c7f2e/approve", "", headers,
                body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "HTTP/1.1", 3000);
    }

    @Test
    void event_shouldCarryTheRouteThePathAndTheTime() {
        JsonNode event = HttpApiEvents.event(request(Map.of("Host", List.of("127.0.0.1:3000"),
                "Content-Type", List.of("application/json")), "{}"), approveMatch(), null, "abc=", NOW, API);

        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("POST /approvals/{id}/approve");
        assertThat(event.path("rawPath").asText()).isEqualTo("/approvals/5b0c7f2e/approve");
        assertThat(event.path("rawQueryString").asText()).isEmpty();
        assertThat(event.has("queryStringParameters")).isFalse();
        assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("5b0c7f2e");
        JsonNode context = event.path("requestContext");
        assertThat(context.path("requestId").asText()).isEqualTo("abc=");
        assertThat(context.path("timeEpoch").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(context.path("time").asText()).isEqualTo("27/Nov/2026:12:00:00 +0000");
        assertThat(context.path("domainName").asText()).isEqualTo("127.0.0.1");
        assertThat(context.path("accountId").asText()).isEqualTo("123456789012");
        assertThat(context.path("http").path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(context.has("authorizer")).isFalse();
        assertThat(event.path("headers").path("host").asText()).isEqualTo("127.0.0.1:3000");
        assertThat(event.path("headers").path("x-forwarded-port").asText()).isEqualTo("3000");
    }

    @Test
    void jwt_shouldBecomeTheAuthorizerBlock() throws Exception {
        JwtTokens.Jwt jwt = new JwtTokens.Jwt(Map.of("alg", "none"), Map.of("sub", "u",
                "cognito:groups", List.of("a", "b")));

        JsonNode authorizer = HttpApiEvents.event(request(Map.of(), ""), approveMatch(), jwt, "id=", NOW, API)
                .path("requestContext").path("authorizer").path("jwt");

        assertThat(authorizer.path("claims").path("sub").asText()).isEqualTo("u");
        assertThat(authorizer.path("claims").path("cognito:groups").asText()).isEqualTo("[a b]");
        assertThat(authorizer.path("scopes").isNull()).isTrue();
    }

    @Test
    void body_shouldBeTextForTextTypesAndBase64Otherwise() {
        assertThat(HttpApiEvents.isText("application/json; charset=utf-8")).isTrue();
        assertThat(HttpApiEvents.isText("text/plain")).isTrue();
        assertThat(HttpApiEvents.isText("application/xml")).isTrue();
        assertThat(HttpApiEvents.isText("application/javascript")).isTrue();
        assertThat(HttpApiEvents.isText("application/problem+json")).isFalse();
        assertThat(HttpApiEvents.isText("application/octet-stream")).isFalse();
        assertThat(HttpApiEvents.isText("application/x-www-form-urlencoded")).isFalse();
        assertThat(HttpApiEvents.isText(null)).isFalse();

        JsonNode binary = HttpApiEvents.event(request(Map.of("content-type", List.of("image/png")), "xyz"),
                approveMatch(), null, "id=", NOW, API);
        assertThat(binary.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(binary.path("body").asText()).isEqualTo("eHl6");

        JsonNode empty = HttpApiEvents.event(request(Map.of(), ""), approveMatch(), null, "id=", NOW, API);
        assertThat(empty.has("body")).isFalse();
        assertThat(empty.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void textBodyThatIsNotUtf8_shouldBeBase64_withTheBytesAsSent_neverReplacementCharacters() {
        byte[] sent = {'{', '"', 'r', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0xaf, '"', '}'};
        IncomingRequest request = new IncomingRequest("POST", "/approvals/5b0c7f2e/approve", "",
                Map.of("Content-Type", List.of("application/json")), sent, "127.0.0.1", "HTTP/1.1", 3000);

        JsonNode event = HttpApiEvents.event(request, approveMatch(), null, "id=", NOW, API);

        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(event.path("body").asText())).isEqualTo(sent);
    }

    @Test
    void queryParameters_shouldBeDecodedAndRepeatsJoined() {
        assertThat(HttpApiEvents.queryParameters("a=1&a=2&b=x%2By&c")).containsExactly(Map.entry("a", "1,2"),
                Map.entry("b", "x+y"), Map.entry("c", ""));
    }

    @Test
    void requestIds_shouldLookLikeApiGatewaysAndDiffer() {
        String one = HttpApiEvents.newRequestId();
        assertThat(one).matches("[A-Za-z0-9]{15}=");
        assertThat(HttpApiEvents.newRequestId()).isNotEqualTo(one);
    }
}
