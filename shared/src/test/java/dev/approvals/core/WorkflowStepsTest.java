package dev.approvals.core;

import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotConfirmedException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.DecisionUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The workflow's steps (docs/workflows.md) over scripted stores: what each finds, and what it answers. */
class WorkflowStepsTest {

    private static final Instant DEADLINE = Instant.parse("2026-12-01T12:00:20Z");
    private static final Approval APPROVED = Approvals.decided(ApprovalStatus.APPROVED, 2, "dave", "dave-key");

    private final ScriptedStores stores = new ScriptedStores();
    private final WorkflowSteps steps = new WorkflowSteps(new ProposalService(stores), new ReadService(stores),
            stores, AutoApprovalPolicy.parse("small-refund"));

    @Test
    void propose_recordsUnderTheExecutionsApprovalId_andThePolicyDecidesWhetherAPersonIsNeeded() {
        ProposalRequest refund = new ProposalRequest("refund", "{}", DEADLINE, "execution", null, null);
        ProposalRequest small = new ProposalRequest("small-refund", "{}", DEADLINE, "execution", null, null);

        assertThat(steps.propose(Approvals.ID, refund, DEADLINE)).isFalse();
        assertThat(steps.propose(Approvals.ID, small, DEADLINE)).isTrue();
        assertThat(stores.proposedIds).containsExactly(Approvals.ID, Approvals.ID);
    }

    @Test
    void await_storesTheTokenWhilePending_andWaits() {
        stores.tokenStored = true;

        assertThat(steps.await(Approvals.ID, "token", DEADLINE)).isEqualTo(new WorkflowSteps.AwaitOutcome.Waiting());
        assertThat(stores.reads).isZero();
    }

    @Test
    void await_onAnApprovalDecidedBeforeTheTokenWasStored_answersThatDecision() {
        stores.current = Optional.of(new ApprovalSnapshot(APPROVED, false));

        assertThat(steps.await(Approvals.ID, "token", DEADLINE)).isEqualTo(new WorkflowSteps.AwaitOutcome.Decided(APPROVED));
    }

    @Test
    void await_pastTheDeadline_isExpired_andOnARowAnotherStatementHeld_isWorthARetry() {
        stores.current = Optional.of(new ApprovalSnapshot(Approvals.pending(1), true));
        assertThatThrownBy(() -> steps.await(Approvals.ID, "token", DEADLINE))
                .isInstanceOf(ApprovalExpiredException.class);

        stores.current = Optional.of(new ApprovalSnapshot(Approvals.pending(1), false));
        assertThatThrownBy(() -> steps.await(Approvals.ID, "token", DEADLINE))
                .isInstanceOf(DecisionUnavailableException.class);

        stores.current = Optional.empty();
        assertThatThrownBy(() -> steps.await(Approvals.ID, "token", DEADLINE))
                .isInstanceOf(ApprovalNotFoundException.class);
    }

    @Test
    void expire_answersTheExpiredApproval_orReadsAgainWhenADecisionCameFirst() {
        Approval expired = Approvals.decided(ApprovalStatus.EXPIRED, 2, WorkflowSteps.TIMEOUT_ACTOR, "execution");
        stores.expired = Optional.of(expired);
        assertThat(steps.expire(Approvals.ID, "execution", DEADLINE)).isEqualTo(expired);
        assertThat(stores.expiredBy).containsExactly(WorkflowSteps.TIMEOUT_ACTOR);
        assertThat(stores.reads).isZero();

        stores.expired = Optional.empty();
        stores.current = Optional.of(new ApprovalSnapshot(APPROVED, false));
        assertThat(steps.expire(Approvals.ID, "execution", DEADLINE)).isEqualTo(APPROVED);
        assertThat(stores.reads).isEqualTo(1);
    }

    @Test
    void confirm_passesOnlyAnApprovalApprovedAtTheVersionNamed() {
        stores.current = Optional.of(new ApprovalSnapshot(APPROVED, false));
        assertThat(steps.confirm(Approvals.ID, 2, DEADLINE)).isEqualTo(APPROVED);
        assertThatThrownBy(() -> steps.confirm(Approvals.ID, 3, DEADLINE))
                .isInstanceOf(ApprovalNotConfirmedException.class).hasMessageContaining("not approved at version 3");

        stores.current = Optional.of(new ApprovalSnapshot(Approvals.pending(1), false));
        assertThatThrownBy(() -> steps.confirm(Approvals.ID, 1, DEADLINE))
                .isInstanceOf(ApprovalNotConfirmedException.class).hasMessageContaining("is pending at version 1");
    }

    /** One fake for the three ports the steps use; each answers what the test scripted. */
    private static final class ScriptedStores implements ProposalStore, ApprovalQueries, WorkflowStore {
        final List<UUID> proposedIds = new ArrayList<>();
        final List<String> expiredBy = new ArrayList<>();
        Optional<ApprovalSnapshot> current = Optional.empty();
        Optional<Approval> expired = Optional.empty();
        boolean tokenStored;
        int reads;

        @Override
        public ProposalAttempt propose(UUID id, ProposalRequest request, Instant deadline) {
            proposedIds.add(id);
            return new ProposalAttempt.Created(new ApprovalSnapshot(Approvals.pending(1), false));
        }

        @Override
        public Optional<ProposalAttempt.Existing> findExisting(UUID id, ProposalRequest request, Instant deadline) {
            throw new AssertionError("not read in these tests");
        }

        @Override
        public Optional<ApprovalSnapshot> find(UUID approvalId, Instant deadline) {
            reads++;
            return current;
        }

        @Override
        public List<ListedApproval> list(ListQuery query, int rows, Instant deadline) {
            throw new AssertionError("workflows never list");
        }

        @Override
        public boolean attachTaskToken(UUID approvalId, String taskToken, Instant deadline) {
            return tokenStored;
        }

        @Override
        public Optional<Approval> expire(UUID approvalId, String actor, String decisionKey, Instant deadline) {
            expiredBy.add(actor);
            return expired;
        }
    }
}
