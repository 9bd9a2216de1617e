package dev.approvals.http;

import dev.approvals.core.ProposalRequest;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProposalRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void theSampleEvent_isAProposalByTheCaller_withItsKeyAndTheRequestsDigest() {
        ProposalRequest request = parse("{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": 42}}", "\"k-1\"");

        assertThat(request.actionType()).isEqualTo("refund");
        assertThat(request.actionPayloadJson()).isEqualTo("{\"amount\":42}");
        assertThat(request.requestedBy()).isEqualTo("agent-7");
        assertThat(request.idempotencyKey()).isEqualTo("k-1");
        assertThat(request.requestHash()).matches("[0-9a-f]{64}");
        assertThat(request.expiresAt()).isNull();
    }

    @Test
    void theDigest_ignoresMemberOrderWhitespaceAndTheDeadlinesOffset_butNotValues() {
        String a = parse("{\"actionType\":\"refund\",\"actionPayload\":{\"a\":1,\"b\":{\"c\":[1,{\"d\":2,\"e\":3}]}},"
                + "\"expiresAt\":\"2026-12-02T14:00:00+02:00\"}", "k").requestHash();
        String reordered = parse("{ \"expiresAt\": \"2026-12-02T12:00:00Z\", \"actionPayload\": {\"b\": {\"c\": [1, "
                + "{\"e\": 3, \"d\": 2}]}, \"a\": 1}, \"actionType\": \"refund\" }", "k").requestHash();
        String otherValue = parse("{\"actionType\":\"refund\",\"actionPayload\":{\"a\":1,\"b\":{\"c\":[1,{\"d\":2,"
                + "\"e\":4}]}},\"expiresAt\":\"2026-12-02T12:00:00Z\"}", "k").requestHash();
        String otherOrderInAnArray = parse("{\"actionType\":\"refund\",\"actionPayload\":{\"a\":1,\"b\":{\"c\":[{\"d\":2,"
                + "\"e\":3},1]}},\"expiresAt\":\"2026-12-02T12:00:00Z\"}", "k").requestHash();

        assertThat(reordered).isEqualTo(a);
        assertThat(otherValue).isNotEqualTo(a);
        assertThat(otherOrderInAnArray).isNotEqualTo(a);
    }

    @Test
    void thePayloadsNumbers_areStoredAsSent_notRoundedToADouble() {
        ProposalRequest request = parse("{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": "
                + "12345678901234567.89, \"rate\": 0.1000000000000000055511151231257827, \"huge\": 1e400}}", "k");

        assertThat(request.actionPayloadJson()).isEqualTo("{\"amount\":12345678901234567.89,"
                + "\"rate\":0.1000000000000000055511151231257827,\"huge\":1" + "0".repeat(400) + "}");
    }

    @Test
    void numbersPostgresqlCannotStore_areRefused_namingTheLimit() {
        assertThatThrownBy(() -> parse(amount("1e-16384"), "k")).isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessage("actionPayload numbers must have at most 16383 digits after the decimal point");
        assertThatThrownBy(() -> parse(amount("1e999999"), "k")).isInstanceOf(InvalidDecisionRequestException.class)
                .hasMessage("actionPayload must be at most 65536 bytes as compact JSON");

        assertThat(parse(amount("1e-16383"), "k").actionPayloadJson()).endsWith("0".repeat(16382) + "1}");
    }

    @Test
    void theDigest_tellsApartNumbersADoubleConfused_butNotOneNumberWrittenTwoWays() {
        String exact = digestOf("12345678901234567.89");

        assertThat(digestOf("12345678901234568")).isNotEqualTo(exact);
        assertThat(digestOf("12345678901234567.890")).isEqualTo(exact);
        assertThat(digestOf("1.50")).isEqualTo(digestOf("1.5")).isEqualTo(digestOf("15e-1"));
    }

    @Test
    void theDigest_ofANumberADoubleHolds_isTheOneComputedWhenPayloadsWereReadAsDoubles() {
        // a key stored before numbers were read exactly must still match its retry
        for (String number : new String[] {"1.5", "100.0", "1e20", "-0.25"}) {
            String before = ProposalRequests.digest("refund", Map.of("amount", Double.parseDouble(number)), null);

            assertThat(digestOf(number)).as(number).isEqualTo(before);
        }
    }

    @Test
    void withoutAKey_thereIsNoDigest() {
        assertThat(parse("{\"actionType\": \"refund\", \"actionPayload\": {}}", null).requestHash()).isNull();
    }

    private static String digestOf(String amount) {
        return parse(amount(amount), "k").requestHash();
    }

    private static String amount(String number) {
        return "{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": " + number + "}}";
    }

    private static ProposalRequest parse(String body, String key) {
        Map<String, Object> event = Events.load("propose-http.json");
        event.put("body", body);
        if (key == null) {
            Events.at(event, "headers").remove("idempotency-key");
        } else {
            Events.at(event, "headers").put("idempotency-key", key);
        }
        HttpRequest request = HttpRequest.read(event, InvocationShape.HTTP_API, Set.of(Route.PROPOSE));
        return ProposalRequests.parse(request, request.caller(null, "no"), NOW);
    }
}
