package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Event patterns as EventBridge matches them: a table of patterns and events, and patterns refused when read. */
class EventPatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An ApprovalDecided-like event; each row tests one pattern against it. */
    private static final String EVENT = """
            {"version": "0", "id": "e-1", "detail-type": "ApprovalDecided", "source": "dev.approvals",
             "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
             "resources": ["arn:aws:lambda:us-east-1:123456789012:function:ApproveFunction"],
             "detail": {"status": "approved", "version": 2, "amount": 42.5, "actionType": "refund",
                        "decidedBy": "alice", "reason": null, "tags": ["urgent", "eu"],
                        "payload": {"currency": "EUR", "orderId": "A-1042"}}}
            """;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"source": ["dev.approvals"]}                                         | true
            {"source": ["other"]}                                                 | false
            {"source": ["other", "dev.approvals"]}                                | true
            {"detail-type": ["ApprovalDecided"], "source": ["dev.approvals"]}     | true
            {"detail-type": ["ApprovalDecided"], "source": ["other"]}             | false
            {"detail": {"status": ["approved"]}}                                  | true
            {"detail": {"status": ["rejected"]}}                                  | false
            {"detail": {"payload": {"currency": ["EUR"]}}}                        | true
            {"detail": {"payload": {"currency": ["USD"]}}}                        | false
            {"detail": {"nothere": ["x"]}}                                        | false
            {"detail": {"version": [2]}}                                          | true
            {"detail": {"version": [2.0]}}                                        | true
            {"detail": {"version": ["2"]}}                                        | false
            {"detail": {"reason": [null]}}                                        | true
            {"detail": {"decidedBy": [null]}}                                     | false
            {"detail": {"tags": ["eu"]}}                                          | true
            {"detail": {"tags": ["us"]}}                                          | false
            {"detail-type": [{"prefix": "Approval"}]}                             | true
            {"detail-type": [{"prefix": "approval"}]}                             | false
            {"detail-type": [{"prefix": {"equals-ignore-case": "approval"}}]}     | true
            {"detail-type": [{"suffix": "Decided"}]}                              | true
            {"detail-type": [{"equals-ignore-case": "approvaldecided"}]}          | true
            {"detail": {"payload": {"orderId": [{"wildcard": "A-*2"}]}}}          | true
            {"detail": {"payload": {"orderId": [{"wildcard": "B-*"}]}}}           | false
            {"detail": {"status": [{"anything-but": "rejected"}]}}                | true
            {"detail": {"status": [{"anything-but": ["approved", "rejected"]}]}}  | false
            {"detail": {"status": [{"anything-but": {"prefix": "appr"}}]}}        | false
            {"detail": {"nothere": [{"anything-but": "x"}]}}                      | false
            {"detail": {"version": [{"anything-but": 3}]}}                        | true
            {"detail": {"decidedBy": [{"exists": true}]}}                         | true
            {"detail": {"nothere": [{"exists": true}]}}                           | false
            {"detail": {"nothere": [{"exists": false}]}}                          | true
            {"detail": {"decidedBy": [{"exists": false}]}}                        | false
            {"detail": {"payload": [{"exists": true}]}}                           | false
            {"detail": {"amount": [{"numeric": [">", 0, "<=", 42.5]}]}}            | true
            {"detail": {"amount": [{"numeric": [">", 42.5]}]}}                    | false
            {"detail": {"amount": [{"numeric": ["=", 42.5]}]}}                    | true
            {"detail": {"actionType": [{"numeric": [">", 0]}]}}                   | false
            {"detail": {"status": ["rejected"], "actionType": ["refund"]}}        | false
            {"$or": [{"detail": {"status": ["rejected"]}}, {"source": ["dev.approvals"]}]} | true
            {"$or": [{"detail": {"status": ["rejected"]}}, {"source": ["other"]}]} | false
            {"detail": {"status": ["approved", {"prefix": "rej"}]}}               | true
            """)
    void matchesAsEventBridgeDoes(String pattern, boolean matches) throws Exception {
        JsonNode event = JSON.readTree(EVENT);

        assertThat(EventPattern.parse(pattern).matches(event)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{}",
        "{\"source\": \"dev.approvals\"}",
        "{\"source\": [[\"nested\"]]}",
        "{\"source\": [{\"cidr\": \"10.0.0.0/24\"}]}",
        "{\"source\": [{\"prefix\": 5}]}",
        "{\"detail\": {\"amount\": [{\"numeric\": [\"~\", 5]}]}}",
        "{\"detail\": {\"amount\": [{\"numeric\": [\">\"]}]}}",
        "{\"source\": [{\"anything-but\": {\"wildcard\": \"x*\"}}]}",
        "{\"source\": [{\"exists\": \"yes\"}]}",
        "{\"$or\": [{\"source\": [\"a\"]}]}",
        "{\"source\": [{\"prefix\": \"a\", \"suffix\": \"b\"}]}"
    })
    void refusesInvalidOrUnsupportedPatterns_whenRead(String pattern) {
        assertThatThrownBy(() -> EventPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid event pattern: ");
    }
}
