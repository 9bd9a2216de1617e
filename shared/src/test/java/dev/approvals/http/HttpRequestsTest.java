package dev.approvals.http;

import dev.approvals.core.DecisionRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.approvals.core.Decision.APPROVE;
import static dev.approvals.core.Decision.REJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRequestsTest {

    private static final String LAMBDA_REQUEST_ID = "11111111-2222-4333-8444-555555555555";

    @Test
    void httpApiEvent_givesTheActorFromTheJwt_theVersionFromTheBody_andTheKeyFromTheHeader() {
        DecisionRequest request = parse(Events.load("approve-http.json"));

        assertThat(request.approvalId()).isEqualTo(UUID.fromString("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f"));
        assertThat(request.expectedVersion()).isEqualTo(1);
        assertThat(request.actor()).isEqualTo("8f3a2b1c-4d5e-4f60-8172-93a4b5c6d7e8");
        assertThat(request.reason()).isEqualTo("Refund amount matches the order");
        assertThat(request.decisionKey()).isEqualTo("0f6e2c4a-approve-5b0c7f2e");
    }

    @Test
    void restApiEvent_withTitleCaseHeaders_andCognitoClaims() {
        Map<String, Object> event = Events.load("approve-rest.json");
        DecisionRequest request = HttpRequests.parse(event, InvocationShape.of(event), APPROVE, "finance", LAMBDA_REQUEST_ID);

        assertThat(InvocationShape.of(event)).isEqualTo(InvocationShape.REST_API);
        assertThat(request.actor()).isEqualTo("2b4d6f80-1a3c-4e5f-9071-8293a4b5c6d7");
        assertThat(request.decisionKey()).isEqualTo("7c2e4a6b-approve-7d2e9b4a");
    }

    @Test
    void base64Body_isDecoded_andIfMatchSuppliesTheVersion() {
        DecisionRequest request = parse(Events.load("approve-http-if-match-base64.json"));

        assertThat(request.expectedVersion()).isEqualTo(1);
        assertThat(request.reason()).isEqualTo("Approved from the mobile app");
    }

    @Test
    void withoutIdempotencyKey_theLambdaRequestIdIsTheDecisionKey() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "headers").remove("idempotency-key");

        assertThat(parse(event).decisionKey()).isEqualTo(LAMBDA_REQUEST_ID);
    }

    @Test
    void headersMatchWhateverTheirCase() {
        Map<String, Object> event = Events.load("approve-http.json");
        Map<String, Object> headers = Events.at(event, "headers");
        headers.remove("idempotency-key");
        headers.put("IDEMPOTENCY-KEY", "upper-key");
        event.put("body", "{}");
        headers.put("If-Match", "\"7\"");

        DecisionRequest request = parse(event);

        assertThat(request.decisionKey()).isEqualTo("upper-key");
        assertThat(request.expectedVersion()).isEqualTo(7);
    }

    @Test
    void noAuthorizer_isUnauthenticated() {
        assertRejected(Events.load("approve-http-unauthenticated.json"), HttpRejection.UNAUTHENTICATED);
    }

    @Test
    void actorInTheBody_isRefused_andNeverTrusted() {
        Map<String, Object> event = Events.load("approve-http-unauthenticated.json");
        event.put("body", "{\"expectedVersion\":1,\"actor\":\"ceo\"}");

        assertRejected(event, HttpRejection.UNAUTHENTICATED);
        Map<String, Object> authenticated = Events.load("approve-http.json");
        authenticated.put("body", "{\"expectedVersion\":1,\"actor\":\"ceo\"}");
        assertInvalid(authenticated, "Unknown field 'actor'");
    }

    @Test
    void approverGroup_mustBeInTheGroupsClaim() {
        Map<String, Object> event = Events.load("approve-http.json");

        assertThat(HttpRequests.parse(event, InvocationShape.HTTP_API, APPROVE, "approvers", LAMBDA_REQUEST_ID)).isNotNull();
        assertThatThrownBy(() -> HttpRequests.parse(event, InvocationShape.HTTP_API, APPROVE, "admins", LAMBDA_REQUEST_ID))
                .isInstanceOfSatisfying(HttpRequestRejectedException.class,
                        e -> assertThat(e.rejection()).isEqualTo(HttpRejection.FORBIDDEN));
    }

    @Test
    void missingVersion_isPreconditionRequired() {
        assertRejected(Events.load("approve-http-missing-version.json"), HttpRejection.PRECONDITION_REQUIRED);
    }

    @Test
    void malformedBody_isInvalid_sayingSoOnce() {
        assertThatThrownBy(() -> parse(Events.load("approve-http-malformed-body.json")))
                .isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessageStartingWith("The request body is not valid JSON: syntax error at line 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void jsonBodyInAnotherUnicodeEncoding_isInvalid_neverDecided(String charset) {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", Base64.getEncoder().encodeToString("{\"expectedVersion\": 1}".getBytes(Charset.forName(charset))));
        event.put("isBase64Encoded", true);

        assertInvalid(event, "UTF-8");
    }

    @Test
    void bodyThatEncodingDetectionReadsAsUtf32_isInvalid_notAnUnexpectedFailure() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "\u0000\u0000\u0000{\u0000\u0011\u0000\u0000");

        assertInvalid(event, "JSON must be UTF-8");
    }

    @Test
    void textBodyWithALoneSurrogate_isInvalid_notTurnedIntoAQuestionMark() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "{\"expectedVersion\":1,\"reason\":\"a\ud800b\"}");

        assertInvalid(event, "not UTF-8 text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff fe", "c0 af", "ed a0 80", "80", "e2 82"})
    void base64BodyWithBytesThatAreNotUtf8_isInvalid(String hex) {
        byte[] json = ("{\"expectedVersion\":1,\"reason\":\"a" + new String(HexFormat.ofDelimiter(" ").parseHex(hex),
                StandardCharsets.ISO_8859_1) + "b\"}").getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", Base64.getEncoder().encodeToString(json));
        event.put("isBase64Encoded", true);

        assertInvalid(event, "not UTF-8 text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Idempotency-Key", "If-Match", "Content-Type"})
    void controlCharactersAtEitherEndOfAHeader_areRefused_notTrimmedAway(String name) {
        String value = Map.of("Idempotency-Key", "key-1", "If-Match", "\"1\"", "Content-Type", "application/json").get(name);
        for (String bad : new String[]{"\u0001" + value, value + "\u001f", value + "\u007f", "\u0000" + value}) {
            Map<String, Object> event = Events.load("approve-http.json");
            Events.at(event, "headers").put(name.toLowerCase(Locale.ROOT), bad);

            assertInvalid(event, name + " must not contain control characters");
        }
    }

    @Test
    void spacesAndTabsAroundAHeaderValue_areOptionalWhitespace() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "headers").put("idempotency-key", " \t\"key-1\"\t ");

        assertThat(parse(event).decisionKey()).isEqualTo("key-1");
    }

    @Test
    void bodyAndIfMatchDisagreeing_isInvalid() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "headers").put("if-match", "\"2\"");

        assertInvalid(event, "disagree");
    }

    @ParameterizedTest
    @ValueSource(strings = {"W/\"1\"", "*", "\"1\", \"2\"", "\"one\"", "\"-1\"", "\"0\"", "\"99999999999\""})
    void unusableIfMatch_isInvalid(String ifMatch) {
        Map<String, Object> event = Events.load("approve-http-missing-version.json");
        Events.at(event, "headers").put("if-match", ifMatch);

        assertThatThrownBy(() -> parse(event)).isInstanceOf(InvalidDecisionRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1\"", "1.5", "-1", "0", "2147483648", "1e3", "true", "null", "99999999999999999999999"})
    void expectedVersionThatIsNotAPositiveInt_isInvalid(String json) {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "{\"expectedVersion\":" + json + "}");

        if (json.equals("null")) {
            assertRejected(event, HttpRejection.PRECONDITION_REQUIRED);
        } else {
            assertThatThrownBy(() -> parse(event)).isInstanceOf(InvalidDecisionRequestException.class)
                    .hasMessageContaining("expectedVersion");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "5b0c7f2e8a3d4c1b9e6f2d4a8b1c3e5f", "1-1-1-1-1", "", "5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f;drop"})
    void malformedApprovalId_isInvalid(String id) {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "pathParameters").put("id", id);

        assertInvalid(event, "UUID");
    }

    @Test
    void missingPathParameters_isInvalid() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.remove("pathParameters");

        assertInvalid(event, "UUID");
    }

    @Test
    void oversizeBody_isPayloadTooLarge_plainOrBase64() {
        String big = "{\"expectedVersion\":1,\"reason\":\"" + "x".repeat(HttpRequests.MAX_BODY_BYTES) + "\"}";
        Map<String, Object> plain = Events.load("approve-http.json");
        plain.put("body", big);
        Map<String, Object> encoded = Events.load("approve-http.json");
        encoded.put("body", Base64.getEncoder().encodeToString(big.getBytes(StandardCharsets.UTF_8)));
        encoded.put("isBase64Encoded", true);

        assertRejected(plain, HttpRejection.PAYLOAD_TOO_LARGE);
        assertRejected(encoded, HttpRejection.PAYLOAD_TOO_LARGE);
    }

    @Test
    void reasonLongerThanTheLimit_isInvalid_butAtTheLimitIsFine() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "{\"expectedVersion\":1,\"reason\":\"" + "é".repeat(Fields.MAX_REASON_LENGTH) + "\"}");
        assertThat(parse(event).reason()).hasSize(Fields.MAX_REASON_LENGTH);

        event.put("body", "{\"expectedVersion\":1,\"reason\":\"" + "é".repeat(Fields.MAX_REASON_LENGTH + 1) + "\"}");
        assertInvalid(event, "at most");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u0007", "\\ud800", "\\udc00x"})
    void reasonThatPostgresCannotStore_isInvalid(String escape) {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "{\"expectedVersion\":1,\"reason\":\"a" + escape + "b\"}");

        assertThatThrownBy(() -> parse(event)).isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessageContaining("reason");
    }

    @Test
    void reasonWithSqlAndNewlines_isKeptVerbatim() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "{\"expectedVersion\":1,\"reason\":\"'); DROP TABLE ai_approvals; --\\nline 2 😀\"}");

        assertThat(parse(event).reason()).isEqualTo("'); DROP TABLE ai_approvals; --\nline 2 😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "3", "\"x\"", "{\"expectedVersion\":1}{}", "{\"expectedVersion\":1,\"expectedVersion\":2}"})
    void bodyThatIsNotOneJsonObject_isInvalid(String body) {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", body);

        assertThatThrownBy(() -> parse(event)).isInstanceOf(InvalidDecisionRequestException.class);
    }

    @Test
    void base64Garbage_isInvalid() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", "%%%not base64%%%");
        event.put("isBase64Encoded", true);

        assertInvalid(event, "base64");
    }

    @Test
    void base64OfBinary_isInvalid() {
        Map<String, Object> event = Events.load("approve-http.json");
        event.put("body", Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, (byte) 0xfe, 0x00}));
        event.put("isBase64Encoded", true);

        assertInvalid(event, "UTF-8");
    }

    @Test
    void nonJsonContentType_isUnsupportedMediaType() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "headers").put("content-type", "application/x-www-form-urlencoded");

        assertRejected(event, HttpRejection.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void problemJsonContentTypeWithCharset_isAccepted() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "headers").put("content-type", "application/merge-patch+json; charset=utf-8");

        assertThat(parse(event).expectedVersion()).isEqualTo(1);
    }

    @Test
    void anythingButPost_isMethodNotAllowed() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "requestContext", "http").put("method", "GET");

        assertRejected(event, HttpRejection.METHOD_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\"", "k\u00e9y", "has\ttab", "\"a\tb\"", "a\u0000b", "a\u007fb"})
    void unusableIdempotencyKey_isInvalid(String key) {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "headers").put("idempotency-key", key);

        assertInvalid(event, "Idempotency-Key");
    }

    @Test
    void multiValueHeadersOfRestApi_areRead() {
        Map<String, Object> event = Events.load("approve-rest.json");
        event.put("headers", null);
        Events.at(event, "multiValueHeaders").put("Idempotency-Key", List.of("from-multi"));

        assertThat(HttpRequests.parse(event, InvocationShape.REST_API, REJECT, null, LAMBDA_REQUEST_ID).decisionKey())
                .isEqualTo("from-multi");
    }

    @Test
    void anIdToken_isRefused401_evenWhereTheRouteRequiresNoScope() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "requestContext", "authorizer", "jwt", "claims").put("token_use", "id");

        assertThatThrownBy(() -> parse(event)).isInstanceOfSatisfying(HttpRequestRejectedException.class, e -> {
            assertThat(e.rejection()).isEqualTo(HttpRejection.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains("ID tokens are not accepted");
        });
    }

    @Test
    void aTokenSubjectPosingAsTheWorkflow_isNoCaller() {
        Map<String, Object> event = Events.load("approve-http.json");
        Events.at(event, "requestContext", "authorizer", "jwt", "claims").put("sub", "workflow:auto-approval-policy");

        assertRejected(event, HttpRejection.UNAUTHENTICATED);
    }

    private static DecisionRequest parse(Map<String, Object> event) {
        return HttpRequests.parse(event, InvocationShape.of(event), APPROVE, null, LAMBDA_REQUEST_ID);
    }

    private static void assertRejected(Map<String, Object> event, HttpRejection rejection) {
        assertThatThrownBy(() -> parse(event)).isInstanceOfSatisfying(HttpRequestRejectedException.class,
                e -> assertThat(e.rejection()).isEqualTo(rejection));
    }

    private static void assertInvalid(Map<String, Object> event, String messagePart) {
        assertThatThrownBy(() -> parse(event)).isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessageContaining(messagePart);
    }
}
