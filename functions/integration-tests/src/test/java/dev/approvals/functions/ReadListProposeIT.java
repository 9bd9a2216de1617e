package dev.approvals.functions;

import dev.approvals.wiring.EnvironmentVariables;
import dev.approvals.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read, list and propose contract (docs/api.md) through the real handlers, each as its own database role,
 * the RdsDataClient, the local Data API and PostgreSQL. Round trips are counted: each request is one statement.
 */
class ReadListProposeIT {

    private static LocalApprovals local;

    @BeforeAll
    static void startDatabase() {
        local = LocalApprovals.create("readlist");
    }

    // --- propose -------------------------------------------------------------------------------------------------

    @Test
    void propose_creates_aPendingApprovalAtVersion1_byTheCaller_inOneStatement() {
        LocalApprovals.StatementCount statements = local.countStatements();
        Answer answer = Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(42), null).bytes());

        assertThat(statements.sent()).isEqualTo(1);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        Map<String, Object> body = answer.body();
        String id = (String) body.get("id");
        assertThat(answer.headers()).containsEntry("Location", "/approvals/" + id).containsEntry("ETag", "\"1\"")
                .doesNotContainKey("Idempotent-Replayed");
        assertThat(body).containsEntry("status", "pending").containsEntry("version", 1)
                .containsEntry("actionType", "refund").containsEntry("requestedBy", ApiEvents.AGENT)
                .containsEntry("actionPayload", Map.of("orderId", "A-42", "amount", 42, "currency", "EUR"))
                .containsKey("requestedAt").doesNotContainKeys("expiresAt", "decidedBy", "expired");
        assertThat(local.row(UUID.fromString(id))).containsEntry("requested_by", ApiEvents.AGENT)
                .containsEntry("status", "pending").containsEntry("proposal_key", null);
    }

    @Test
    void propose_withExpiresAt_storesTheDeadline_toTheMicrosecond() {
        Instant deadline = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MICROS);
        String body = Json.write(Map.of("actionType", "spend", "actionPayload", Map.of("amount", 250),
                "expiresAt", deadline.atOffset(java.time.ZoneOffset.ofHours(2)).toString()));

        Answer answer = Answer.invoke(local.propose, ApiEvents.propose(body, null).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        UUID id = UUID.fromString((String) answer.body().get("id"));
        assertThat(local.query("SELECT expires_at = ?::timestamptz AS exact FROM ai_approvals WHERE id = ?",
                deadline.toString(), id)).singleElement().satisfies(row -> assertThat(row).containsEntry("exact", true));
        // The answer shows what the Data API returns for a timestamp (milliseconds locally).
        assertThat(Instant.parse((String) answer.body().get("expiresAt")).truncatedTo(ChronoUnit.MILLIS))
                .isEqualTo(deadline.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void thePayloadsNumbers_areStoredAndReadBack_exactlyAsProposed() {
        String body = "{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": 12345678901234567.89, "
                + "\"rate\": 0.1000000000000000055511151231257827, \"huge\": 1e400, "
                + "\"count\": 123456789012345678901234567890}}";
        Map<String, Object> exactly = Map.of("amount", new BigDecimal("12345678901234567.89"),
                "rate", new BigDecimal("0.1000000000000000055511151231257827"),
                "huge", new BigInteger("1" + "0".repeat(400)), "count", new BigInteger("123456789012345678901234567890"));

        Answer proposed = Answer.invoke(local.propose, ApiEvents.propose(body, null).bytes());

        assertThat(proposed.status()).as(proposed.raw()).isEqualTo(201);
        UUID id = UUID.fromString((String) proposed.body().get("id"));
        assertThat(local.query("SELECT action_payload->>'amount' AS amount, action_payload->>'rate' AS rate "
                + "FROM ai_approvals WHERE id = ?", id)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("amount", "12345678901234567.89").containsEntry("rate", "0.1000000000000000055511151231257827"));
        Answer read = Answer.invoke(local.read, ApiEvents.read(id).bytes());
        for (Answer answer : List.of(proposed, read)) {
            assertThat(answer.body().get("actionPayload")).as(answer.raw()).isEqualTo(exactly);
            assertThat((String) answer.json().get("body")).contains("\"amount\":12345678901234567.89");
        }
    }

    @Test
    void proposeTwice_withOneKey_andTheSameRequest_givesTheSameApproval_replayed() {
        String key = "refund-" + UUID.randomUUID();
        Answer first = Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(7), "\"" + key + "\"").bytes());
        String reordered = "{ \"actionPayload\": {\"currency\":\"EUR\", \"amount\": 7, \"orderId\": \"A-7\"},"
                + "\n \"actionType\": \"refund\" }";
        Answer again = Answer.invoke(local.propose, ApiEvents.propose(reordered, key).bytes());

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.headers()).containsEntry("Idempotent-Replayed", "true")
                .containsEntry("Location", first.headers().get("Location")).containsEntry("ETag", "\"1\"");
        assertThat(again.body().get("id")).isEqualTo(first.body().get("id"));
        assertThat(local.query("SELECT id FROM ai_approvals WHERE proposal_key = ?", key)).hasSize(1);
    }

    @Test
    void proposeAgain_withTheSameKey_butAnotherRequest_is422_andCreatesNothing() {
        String key = "refund-" + UUID.randomUUID();
        Answer first = Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(8), key).bytes());
        List<Map<String, Object>> before = local.everything();

        Answer other = Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(9), key).bytes());

        assertThat(other.status()).as(other.raw()).isEqualTo(422);
        assertThat(other.body()).containsEntry("type", "urn:problem-type:approvals:idempotency-key-reused")
                .containsEntry("approvalId", first.body().get("id"));
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void keysBelongToTheirCaller_soAnotherCallersSameKey_createsItsOwnApproval() {
        String key = "shared-" + UUID.randomUUID();
        Answer mine = Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(10), key).bytes());
        Answer theirs = Answer.invoke(local.propose,
                ApiEvents.as(ApiEvents.propose(ApiEvents.refund(10), key), "agent-9", "[agents]").bytes());

        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.body().get("id")).isNotEqualTo(mine.body().get("id"));
        assertThat(theirs.body()).containsEntry("requestedBy", "agent-9");
    }

    @Test
    void proposerGroup_gatesProposals() {
        LocalApprovals gated = LocalApprovals.create("proposergroup", Map.of(EnvironmentVariables.PROPOSER_GROUP, "agents"));

        Answer member = Answer.invoke(gated.propose, ApiEvents.propose(ApiEvents.refund(11), null).bytes());
        Answer outsider = Answer.invoke(gated.propose,
                ApiEvents.as(ApiEvents.propose(ApiEvents.refund(11), null), "mallory", "[approvers]").bytes());

        assertThat(member.status()).isEqualTo(201);
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.body()).containsEntry("type", "urn:problem-type:approvals:forbidden");
    }

    // --- read ----------------------------------------------------------------------------------------------------

    @Test
    void read_givesTheApproval_withItsVersionAsETag_inOneStatement() {
        UUID id = local.seedPending();

        LocalApprovals.StatementCount statements = local.countStatements();
        Answer answer = Answer.invoke(local.read, ApiEvents.read(id).bytes());

        assertThat(statements.sent()).isEqualTo(1);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("ETag", "\"1\"").containsEntry("Cache-Control", "private, no-cache");
        assertThat(answer.body()).containsEntry("id", id.toString()).containsEntry("status", "pending")
                .containsEntry("version", 1).containsEntry("actionPayload", Map.of("amount", 42, "currency", "EUR"))
                .doesNotContainKeys("taskToken", "decisionKey", "task_token");
    }

    @Test
    void readWithIfNoneMatch_ofTheCurrentVersion_is304_andOfAnotherVersion_200() {
        UUID id = local.seedPending();

        for (String current : List.of("\"1\"", "W/\"1\"", "\"7\", \"1\"", "*")) {
            Answer unchanged = Answer.invoke(local.read, ApiEvents.read(id).header("if-none-match", current).bytes());
            assertThat(unchanged.status()).as(current).isEqualTo(304);
            assertThat(unchanged.json()).containsEntry("body", "");
            assertThat(unchanged.headers()).containsEntry("ETag", "\"1\"");
        }
        Answer changed = Answer.invoke(local.read, ApiEvents.read(id).header("if-none-match", "\"2\"").bytes());
        assertThat(changed.status()).isEqualTo(200);
    }

    @Test
    void readAfterADecision_showsTheNewVersion_andWhoDecided() {
        UUID id = local.seedPending();
        Answer.invoke(local.approve, Shape.HTTP_API.event(dev.approvals.core.Decision.APPROVE, id, 1, "k-" + id).bytes());

        Answer answer = Answer.invoke(local.read, ApiEvents.read(id).header("if-none-match", "\"1\"").bytes());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("ETag", "\"2\"");
        assertThat(answer.body()).containsEntry("status", "approved").containsEntry("decidedBy", Shape.HTTP_API.actor());
    }

    @Test
    void readOfAnUnknownId_is404() {
        UUID id = UUID.randomUUID();

        Answer answer = Answer.invoke(local.read, ApiEvents.read(id).bytes());

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).containsEntry("type", "urn:problem-type:approvals:not-found")
                .containsEntry("approvalId", id.toString());
    }

    @Test
    void pendingPastItsDeadline_readsAsExpired_byTheDatabaseClock() {
        UUID id = local.seed(UUID.randomUUID(), Instant.now().minusSeconds(60));

        Answer answer = Answer.invoke(local.read, ApiEvents.read(id).bytes());

        assertThat(answer.body()).containsEntry("status", "pending").containsEntry("expired", true);
        Answer decide = Answer.invoke(local.approve,
                Shape.HTTP_API.event(dev.approvals.core.Decision.APPROVE, id, 1, "late-" + id).bytes());
        assertThat(decide.body()).as("the decision path judges it the same way").containsEntry("conflict", "expired");
    }

    @Test
    void approverGroup_gatesReads() {
        LocalApprovals gated = LocalApprovals.create("readergroup", Map.of());
        UUID id = gated.seedPending();
        var reader = new dev.approvals.functions.read.ReadHandler(dev.approvals.wiring.ReadFunctionFactory.readFunction(
                gated.environment(dev.approvals.local.dataapi.DatabaseRoles.READER,
                        Map.of(EnvironmentVariables.CURSOR_SIGNING_KEY, LocalApprovals.CURSOR_SIGNING_KEY, EnvironmentVariables.APPROVER_GROUP, "auditors"))));

        Answer outsider = Answer.invoke(reader, ApiEvents.read(id).bytes());
        Answer member = Answer.invoke(reader, ApiEvents.as(ApiEvents.read(id), ApiEvents.READER, "[auditors]").bytes());

        assertThat(outsider.status()).isEqualTo(403);
        assertThat(member.status()).isEqualTo(200);
    }

    // --- list ----------------------------------------------------------------------------------------------------

    @Test
    void list_pagesThroughOneActionType_oldestFirst_withACursorUntilTheLastPage() {
        String type = "list_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> proposed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String body = Json.write(Map.of("actionType", type, "actionPayload", Map.of("n", i)));
            proposed.add((String) Answer.invoke(local.propose, ApiEvents.propose(body, null).bytes()).body().get("id"));
        }

        List<String> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            LocalApprovals.StatementCount statements = local.countStatements();
            Answer page = Answer.invoke(local.read, ApiEvents.list("actionType=" + type + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor)).bytes());
            assertThat(statements.sent()).isEqualTo(1);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.body().get("items");
            items.forEach(item -> listed.add((String) item.get("id")));
            pageSizes.add(items.size());
            cursor = (String) page.body().get("nextCursor");
        } while (cursor != null);

        assertThat(listed).containsExactlyElementsOf(proposed);
        assertThat(pageSizes).containsExactly(3, 3, 1);
    }

    @Test
    void list_byStatus_showsOnlyThatStatus_andExpiredPendingAsExpired() {
        String type = "status_" + UUID.randomUUID().toString().substring(0, 8);
        UUID decided = propose(type);
        UUID pending = propose(type);
        local.update("UPDATE ai_approvals SET expires_at = now() - interval '1 minute' WHERE id = ?", pending);
        Answer.invoke(local.reject, Shape.HTTP_API.event(dev.approvals.core.Decision.REJECT, decided, 1, "r-" + decided)
                .bytes());

        Map<String, Object> pendingPage = Answer.invoke(local.read,
                ApiEvents.list("status=pending&actionType=" + type).bytes()).body();
        Map<String, Object> rejectedPage = Answer.invoke(local.read,
                ApiEvents.list("status=rejected&actionType=" + type).bytes()).body();

        assertThat(pendingPage.get("items")).asList().singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("id", pending.toString())
                .containsEntry("expired", true);
        assertThat(pendingPage).doesNotContainKey("nextCursor");
        assertThat(rejectedPage.get("items")).asList().singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("id", decided.toString());
    }

    @Test
    void aCursor_isRefused_withOtherFilters_orAltered() {
        String type = "cursor_" + UUID.randomUUID().toString().substring(0, 8);
        propose(type);
        propose(type);
        String cursor = (String) Answer.invoke(local.read, ApiEvents.list("actionType=" + type + "&limit=1").bytes())
                .body().get("nextCursor");
        char last = cursor.charAt(cursor.length() - 2);
        String altered = cursor.substring(0, cursor.length() - 2) + (last == 'A' ? 'B' : 'A') + cursor.charAt(cursor.length() - 1);

        Answer foreign = Answer.invoke(local.read, ApiEvents.list("status=pending&actionType=" + type + "&cursor=" + cursor).bytes());
        Answer forged = Answer.invoke(local.read, ApiEvents.list("actionType=" + type + "&cursor=" + altered).bytes());
        Answer same = Answer.invoke(local.read, ApiEvents.list("actionType=" + type + "&limit=5&cursor=" + cursor).bytes());

        assertThat(foreign.status()).isEqualTo(400);
        assertThat((String) foreign.body().get("detail")).contains("other filters");
        assertThat(forged.status()).isEqualTo(400);
        assertThat((String) forged.body().get("detail")).contains("not a cursor this API issued");
        assertThat(same.status()).as("the limit may change from page to page").isEqualTo(200);
    }

    private static UUID propose(String type) {
        String body = Json.write(Map.of("actionType", type, "actionPayload", Map.of()));
        return UUID.fromString((String) Answer.invoke(local.propose, ApiEvents.propose(body, null).bytes()).body().get("id"));
    }

}
