package dev.approvals.local.apigateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpAnswerTest {

    private static HttpAnswer answer(String payload) throws Exception {
        return HttpAnswer.fromFunction(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headerWithALineBreak_shouldBeMalformed_neverWrittenOnTheWire() {
        for (String payload : new String[]{"{\"statusCode\":200,\"headers\":{\"x\":\"a\\r\\nSet-Cookie: s=1\"}}",
                "{\"statusCode\":200,\"multiValueHeaders\":{\"x\\ny\":[\"a\"]}}"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> answer(payload))
                    .isInstanceOf(HttpAnswer.MalformedAnswerException.class).hasMessageContaining("line break");
        }
    }

    @Test
    void structuredAnswer_shouldGiveStatusHeadersCookiesAndBody() throws Exception {
        HttpAnswer answer = answer("{\"statusCode\":409,\"headers\":{\"content-type\":\"application/problem+json\","
                + "\"x-n\":5},\"cookies\":[\"c=1\"],\"body\":\"{\\\"type\\\":\\\"x\\\"}\"}");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.headers()).contains(Map.entry("content-type", "application/problem+json"),
                Map.entry("x-n", "5"), Map.entry("Set-Cookie", "c=1"));
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"x\"}");
    }

    @Test
    void base64Body_shouldBeDecoded() throws Exception {
        HttpAnswer answer = answer("{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"aGk=\"}");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void jsonWithoutStatusCode_shouldBeA200JsonBody() throws Exception {
        for (String payload : new String[] {"{\"id\":1}", "[1,2]", "\"text\"", "42"}) {
            HttpAnswer answer = answer(payload);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headers()).contains(Map.entry("Content-Type", "application/json"));
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(payload);
        }
    }

    @Test
    void malformedAnswers_shouldBeRefused() {
        for (String payload : new String[] {"not json", "", "{\"statusCode\":\"abc\"}", "{\"statusCode\":99}",
                "{\"statusCode\":200,\"body\":{\"a\":1}}", "{\"statusCode\":200,\"headers\":[1]}",
                "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"%%%\"}"}) {
            assertThatThrownBy(() -> answer(payload)).as(payload).isInstanceOf(HttpAnswer.MalformedAnswerException.class);
        }
    }

    @Test
    void apiGatewayMessages_shouldBeJson() {
        HttpAnswer notFound = HttpAnswer.message(404, "Not Found");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(new String(notFound.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"Not Found\"}");
    }
}
