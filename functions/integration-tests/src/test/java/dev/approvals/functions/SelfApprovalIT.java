package dev.approvals.functions;

import dev.approvals.core.Decision;
import dev.approvals.errors.SelfApprovalException;
import dev.approvals.local.seeds.ApprovalSeeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Separation of duties (docs/security.md): a requester never approves its own request, through either entry path,
 * and not even a caller that bypasses the functions; it may still reject (withdraw) it. Real handlers, the local
 * Data API, PostgreSQL.
 */
class SelfApprovalIT {

    private static LocalApprovals local;

    @BeforeAll
    static void startDatabase() {
        local = LocalApprovals.create("selfapproval");
    }

    @Test
    void theRequesterApprovingItsOwnProposal_isRefusedWith403SelfApproval_inOneStatement_andNothingChanges() {
        UUID id = proposeAs(ApiEvents.AGENT);
        List<Map<String, Object>> before = local.everything();

        long statements = executeStatements();
        Answer answer = Answer.invoke(local.approve, decideAs(Decision.APPROVE, id, 1, ApiEvents.AGENT).bytes());

        assertThat(executeStatements() - statements).as("the decision statement itself classifies it").isEqualTo(1);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(403);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(answer.body()).containsEntry("type", "urn:problem-type:approvals:self-approval")
                .containsEntry("status", 403).containsEntry("approvalId", id.toString());
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void selfApproval_isRefusedAtAStaleVersionToo_sinceNoVersionWouldLetTheRequesterApprove() {
        UUID id = proposeAs(ApiEvents.AGENT);

        Answer answer = Answer.invoke(local.approve, decideAs(Decision.APPROVE, id, 7, ApiEvents.AGENT).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(403);
        assertThat(answer.body()).containsEntry("type", "urn:problem-type:approvals:self-approval");
        assertThat(local.row(id)).containsEntry("status", "pending").containsEntry("version", 1);
    }

    @Test
    void theRequester_mayStillRejectItsOwnProposal() {
        UUID id = proposeAs(ApiEvents.AGENT);

        Answer answer = Answer.invoke(local.reject, decideAs(Decision.REJECT, id, 1, ApiEvents.AGENT).bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(local.row(id)).containsEntry("status", "rejected").containsEntry("decided_by", ApiEvents.AGENT);
        assertThat(local.events(id)).singleElement().satisfies(e -> assertThat(e).containsEntry("actor", ApiEvents.AGENT));
    }

    @Test
    void anotherApprover_mayApproveIt() {
        UUID id = proposeAs(ApiEvents.AGENT);

        Answer answer = Answer.invoke(local.approve, decideAs(Decision.APPROVE, id, 1, "alice").bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(local.row(id)).containsEntry("status", "approved").containsEntry("decided_by", "alice");
    }

    @Test
    void onTheDirectPath_theWorkflowApprovingWhatItRequested_throwsSelfApprovalException() {
        UUID id = ApprovalSeeds.into(local.jdbc).pending(UUID.randomUUID(),
                new ApprovalSeeds.Action("refund", "{\"amount\": 42}", Shape.DIRECT.actor()), null).id();
        List<Map<String, Object>> before = local.everything();

        assertThatThrownBy(() -> Answer.invoke(local.approve,
                Shape.DIRECT.event(Decision.APPROVE, id, 1, "k-" + id).bytes()))
                .isInstanceOf(SelfApprovalException.class)
                .hasMessageContaining(id.toString());
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void theDatabaseRefusesASelfApproval_evenFromACallerThatBypassesTheFunctions() {
        UUID id = local.seedPending();

        assertThatThrownBy(() -> local.update("""
                UPDATE ai_approvals SET status = 'approved', version = 2, decided_by = requested_by,
                       decided_at = now() WHERE id = ?""", id))
                .hasStackTraceContaining("ai_approvals_no_self_approval");
        assertThat(local.row(id)).containsEntry("status", "pending").containsEntry("version", 1);
        // Rejecting one's own request stays possible for the database too.
        assertThat(local.update("""
                UPDATE ai_approvals SET status = 'rejected', version = 2, decided_by = requested_by,
                       decided_at = now() WHERE id = ?""", id)).isEqualTo(1);
    }

    /** POST /approvals as {@code sub}: the propose function records the caller as the requester. */
    private static UUID proposeAs(String sub) {
        Answer answer = Answer.invoke(local.propose,
                ApiEvents.as(ApiEvents.propose(ApiEvents.refund(42), "k-" + UUID.randomUUID()), sub, "[approvers]")
                        .bytes());
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        UUID id = UUID.fromString((String) answer.body().get("id"));
        assertThat(local.row(id)).containsEntry("requested_by", sub);
        return id;
    }

    private static EventBuilder decideAs(Decision decision, UUID id, int version, String sub) {
        return ApiEvents.as(Shape.HTTP_API.event(decision, id, version, "k-" + UUID.randomUUID()), sub, "[approvers]");
    }

    private static long executeStatements() {
        return local.dataApi.calls().count("ExecuteStatement");
    }
}
