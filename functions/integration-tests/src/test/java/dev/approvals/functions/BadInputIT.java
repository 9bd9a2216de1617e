package dev.approvals.functions;

import dev.approvals.core.Decision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests: each gets a 4xx problem body, changes nothing in the database, and shows no stack trace
 * or SQL. They are sent to a real, pending approval so that a wrongly accepted request would change it.
 */
class BadInputIT {

    private static LocalApprovals local;
    private static UUID pending;

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("badinput");
        pending = local.seedPending();
    }

    private static Arguments bad(String name, int status, UnaryOperator<EventBuilder> edit) {
        return Arguments.of(name, status, edit);
    }

    private static UnaryOperator<EventBuilder> body(String body) {
        return e -> e.body(body);
    }

    /** The bytes as API Gateway passes a body it does not treat as text: base64-encoded. */
    private static UnaryOperator<EventBuilder> base64Body(byte[] bytes) {
        return e -> e.body(Base64.getEncoder().encodeToString(bytes)).set("isBase64Encoded", true);
    }

    /** A JSON body whose reason holds these bytes (hex), which are not UTF-8. */
    private static UnaryOperator<EventBuilder> reasonBytes(String hex) {
        byte[] bad = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
        java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        json.writeBytes("{\"expectedVersion\":1,\"reason\":\"a".getBytes(StandardCharsets.UTF_8));
        json.writeBytes(bad);
        json.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
        return base64Body(json.toByteArray());
    }

    static Stream<Arguments> malformedRequests() {
        String oversize = "{\"expectedVersion\":1,\"reason\":\"" + "x".repeat(17 * 1024) + "\"}";
        return Stream.of(
                bad("body is not JSON", 400, body("{\"expectedVersion\": 1,")),
                bad("body is a JSON array", 400, body("[1]")),
                bad("body is a JSON string", 400, body("\"approve\"")),
                bad("body has trailing content", 400, body("{\"expectedVersion\":1} trailing")),
                bad("body has a duplicate key", 400, body("{\"expectedVersion\":1,\"expectedVersion\":2}")),
                bad("version is a string", 400, body("{\"expectedVersion\":\"1\"}")),
                bad("version is fractional", 400, body("{\"expectedVersion\":1.5}")),
                bad("version is negative", 400, body("{\"expectedVersion\":-1}")),
                bad("version is zero", 400, body("{\"expectedVersion\":0}")),
                bad("version is huge", 400, body("{\"expectedVersion\":99999999999}")),
                bad("version is astronomically huge", 400, body("{\"expectedVersion\":1e400}")),
                bad("version's exponent is beyond any decimal", 400, body("{\"expectedVersion\":1e99999999999}")),
                bad("version has 5000 digits", 400, body("{\"expectedVersion\":1" + "0".repeat(5000) + "}")),
                bad("version is a boolean", 400, body("{\"expectedVersion\":true}")),
                bad("version is missing", 428, body("{\"reason\":\"forgot the version\"}")),
                bad("body is empty", 428, body("")),
                bad("approval id is malformed", 400, e -> e.set("pathParameters", Map.of("id", "not-a-uuid"))),
                bad("approval id carries SQL", 400, e -> e.set("pathParameters", Map.of("id", "'; DROP TABLE ai_approvals; --"))),
                bad("path id is missing", 400, e -> e.set("pathParameters", null)),
                bad("body is oversize", 413, body(oversize)),
                bad("reason is too long", 400, body("{\"expectedVersion\":1,\"reason\":\"" + "r".repeat(1001) + "\"}")),
                bad("reason is a number", 400, body("{\"expectedVersion\":1,\"reason\":42}")),
                bad("reason holds a NUL", 400, body("{\"expectedVersion\":1,\"reason\":\"a\\u0000b\"}")),
                bad("reason holds a lone surrogate", 400, body("{\"expectedVersion\":1,\"reason\":\"\\ud800\"}")),
                bad("unknown field actor", 400, body("{\"expectedVersion\":1,\"actor\":\"ceo\"}")),
                bad("unknown field status", 400, body("{\"expectedVersion\":1,\"status\":\"approved\"}")),
                bad("base64 garbage", 400, e -> e.body("@@@ not base64 @@@").set("isBase64Encoded", true)),
                bad("base64 of binary", 400, e -> e.body(Base64.getEncoder().encodeToString(new byte[]{(byte) 0xC3, 0x28}))
                        .set("isBase64Encoded", true)),
                bad("body is JSON in UTF-16LE", 400, base64Body("{\"expectedVersion\":1}".getBytes(StandardCharsets.UTF_16LE))),
                bad("body is JSON in UTF-16 with a BOM", 400, base64Body("{\"expectedVersion\":1}".getBytes(StandardCharsets.UTF_16))),
                bad("body is JSON in UTF-32BE", 400, base64Body("{\"expectedVersion\":1}".getBytes(java.nio.charset.Charset.forName("UTF-32BE")))),
                bad("body reads as UTF-32 to encoding detection", 400, body("\u0000\u0000\u0000{\u0000\u0011\u0000\u0000")),
                bad("reason holds bytes ff fe", 400, reasonBytes("ff fe")),
                bad("reason holds an overlong slash", 400, reasonBytes("c0 af")),
                bad("reason holds a CESU-8 surrogate", 400, reasonBytes("ed a0 80")),
                bad("reason holds a lone continuation byte", 400, reasonBytes("80")),
                bad("reason holds a truncated sequence", 400, reasonBytes("e2 82")),
                bad("text body holds a lone surrogate", 400, body("{\"expectedVersion\":1,\"reason\":\"a\ud800b\"}")),
                bad("content type is not JSON", 415, e -> e.header("content-type", "text/plain")),
                bad("content type holds a control character", 400, e -> e.header("content-type", "application/json\u0001")),
                bad("If-Match is weak", 400, e -> e.body("{}").header("if-match", "W/\"1\"")),
                bad("If-Match is a wildcard", 400, e -> e.body("{}").header("if-match", "*")),
                bad("If-Match and body disagree", 400, e -> e.header("if-match", "\"2\"")),
                bad("Idempotency-Key is not ASCII", 400, e -> e.header("idempotency-key", "clé")),
                bad("Idempotency-Key is too long", 400, e -> e.header("idempotency-key", "k".repeat(256))),
                bad("Idempotency-Key holds a tab", 400, e -> e.header("idempotency-key", "a\tb")),
                bad("Idempotency-Key starts with a control character", 400, e -> e.header("idempotency-key", "\u0001key")),
                bad("If-Match ends with a control character", 400, e -> e.body("{}").header("if-match", "\"1\"\u001f")),
                bad("no authenticated caller", 401, e -> e.set("requestContext", withoutAuthorizer(e))),
                bad("method is GET", 405, e -> e.set("requestContext", withMethod(e, "GET"))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("malformedRequests")
    void malformedRequest_isA4xxProblem_thatChangesNothing_andLeaksNothing(String name, int status,
                                                                           UnaryOperator<EventBuilder> edit) {
        List<Map<String, Object>> before = local.everything();
        EventBuilder event = edit.apply(Shape.HTTP_API.event(Decision.APPROVE, pending, 1, "bad-" + UUID.randomUUID()));

        Answer answer = Answer.invoke(local.approve, event.bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(answer.body()).containsEntry("status", status).containsKeys("type", "title", "detail", "requestId");
        assertThat(answer.raw()).doesNotContain("Exception", "at dev.", "at java.", "SQLState", "SELECT", "UPDATE ",
                "ai_approval_events");
        assertThat(local.everything()).isEqualTo(before);
    }

    static Stream<Arguments> payloadsThatAreNotUtf8Json() {
        byte[] direct = ("{\"approvalId\":\"" + UUID.randomUUID() + "\",\"expectedVersion\":1,\"actor\":\"a\"}")
                .getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("read as UTF-32 by encoding detection", new byte[]{0, 0, 0, '{', 0, 0x11, 0, 0}),
                Arguments.of("UTF-16LE", new String(direct, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE)),
                Arguments.of("invalid UTF-8", new byte[]{'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}),
                Arguments.of("overlong UTF-8", new byte[]{'{', '"', 'a', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'}));
    }

    @ParameterizedTest(name = "direct payload {0}")
    @MethodSource("payloadsThatAreNotUtf8Json")
    void directPayloadThatIsNotUtf8Json_throwsTheDocumentedInvalidRequest_andChangesNothing(String name, byte[] payload) {
        List<Map<String, Object>> before = local.everything();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Answer.invoke(local.approve, payload))
                .isInstanceOf(dev.approvals.errors.InvalidDecisionRequestException.class)
                .hasMessageContaining("JSON must be UTF-8")
                .hasMessageNotContainingAny("at dev.", "Jackson", "CharConversion");
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void directPayloadWithANumberNoDecimalCanHold_throwsTheDocumentedInvalidRequest_andChangesNothing() {
        List<Map<String, Object>> before = local.everything();
        byte[] payload = ("{\"approvalId\":\"" + pending + "\",\"expectedVersion\":1e99999999999,"
                + "\"idempotencyKey\":\"k\"}").getBytes(StandardCharsets.UTF_8);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Answer.invoke(local.approve, payload))
                .isInstanceOf(dev.approvals.errors.InvalidDecisionRequestException.class)
                .hasMessageContaining("number out of range")
                .hasMessageNotContainingAny("at dev.", "BigDecimal", "exponent", "99999");
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void atLeastTwentyFiveKindsOfMalformedRequestAreCovered() {
        assertThat(malformedRequests().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void sqlInTheReason_isStoredVerbatim_andHarmless() {
        UUID id = local.seedPending();
        String reason = "'); DROP TABLE ai_approvals; -- :id $1 \\\"";
        String json = "{\"expectedVersion\":1,\"reason\":" + jsonString(reason) + "}";

        Answer answer = Answer.invoke(local.approve,
                Shape.HTTP_API.event(Decision.APPROVE, id, 1, "sql-" + id).body(json).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(local.row(id)).containsEntry("decision_reason", reason);
        assertThat(local.events(id)).singleElement().satisfies(e -> assertThat(e).containsEntry("reason", reason));
    }

    @Test
    void base64EncodedBody_isDecoded() {
        UUID id = local.seedPending();
        String body = Base64.getEncoder().encodeToString("{\"expectedVersion\":1}".getBytes(StandardCharsets.UTF_8));

        Answer answer = Answer.invoke(local.approve, Shape.HTTP_API.event(Decision.APPROVE, id, 1, "b64-" + id)
                .body(body).set("isBase64Encoded", true).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
    }

    private static String jsonString(String text) {
        return dev.approvals.json.Json.write(text);
    }

    private static Map<String, Object> withoutAuthorizer(EventBuilder event) {
        Map<String, Object> context = new java.util.LinkedHashMap<>(requestContext(event));
        context.remove("authorizer");
        return context;
    }

    private static Map<String, Object> withMethod(EventBuilder event, String method) {
        Map<String, Object> context = new java.util.LinkedHashMap<>(requestContext(event));
        Map<String, Object> http = new java.util.LinkedHashMap<>(dev.approvals.testing.Events.at(context, "http"));
        http.put("method", method);
        context.put("http", http);
        return context;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requestContext(EventBuilder event) {
        return (Map<String, Object>) event.map().get("requestContext");
    }
}
