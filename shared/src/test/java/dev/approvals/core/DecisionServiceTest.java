package dev.approvals.core;

import dev.approvals.errors.ApprovalAlreadyDecidedException;
import dev.approvals.errors.ApprovalExpiredException;
import dev.approvals.errors.ApprovalNotFoundException;
import dev.approvals.errors.ApprovalVersionConflictException;
import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.IdempotencyKeyReusedException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;

import static dev.approvals.core.Approvals.decided;
import static dev.approvals.core.Approvals.pending;
import static dev.approvals.core.Approvals.request;
import static dev.approvals.core.ApprovalStatus.APPROVED;
import static dev.approvals.core.ApprovalStatus.EXPIRED;
import static dev.approvals.core.ApprovalStatus.REJECTED;
import static dev.approvals.core.Decision.APPROVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every row of the docs/design.md §3 table, against a scripted store. */
class DecisionServiceTest {

    private static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:00Z");

    private final ScriptedStore store = new ScriptedStore();
    private final DecisionService service = new DecisionService(store);

    @Test
    void updatedRow_isAWin_inOneRoundTrip() {
        store.decideReturns(new DecisionAttempt.Won(decided(APPROVED, 2, "alice", "k1")));

        DecisionResult result = service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE);

        assertThat(result.replayed()).isFalse();
        assertThat(result.approval().version()).isEqualTo(2);
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    void noRow_isNotFound() {
        store.decideReturns(new DecisionAttempt.Missing());

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(ApprovalNotFoundException.class);
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    void sameKeySameActorSameStatus_isAReplay_notAConflict() {
        store.decideReturns(notWon(decided(APPROVED, 2, "alice", "k1"), false));

        DecisionResult result = service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE);

        assertThat(result.replayed()).isTrue();
        assertThat(result.approval().status()).isEqualTo(APPROVED);
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    void sameKeyOtherDecision_isIdempotencyKeyReused() {
        store.decideReturns(notWon(decided(REJECTED, 2, "alice", "k1"), false));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(IdempotencyKeyReusedException.class)
                .hasMessageContaining("rejected");
    }

    @Test
    void sameKeyFromAnotherActor_isNotAReplay_butAlreadyDecided() {
        store.decideReturns(notWon(decided(APPROVED, 2, "alice", "k1"), false));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "mallory", "k1"), DEADLINE))
                .isInstanceOfSatisfying(ApprovalAlreadyDecidedException.class, e -> {
                    assertThat(e.currentStatus()).isEqualTo("approved");
                    assertThat(e.decidedBy()).isEqualTo("alice");
                });
    }

    @Test
    void decidedByOthers_isAlreadyDecided_withWhoAndWhen() {
        store.decideReturns(notWon(decided(REJECTED, 2, "bob", "other"), false));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOfSatisfying(ApprovalAlreadyDecidedException.class, e -> {
                    assertThat(e.currentVersion()).isEqualTo(2);
                    assertThat(e.currentStatus()).isEqualTo("rejected");
                    assertThat(e.decidedBy()).isEqualTo("bob");
                    assertThat(e.decidedAt()).isNotNull();
                });
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    void pendingAtAnotherVersion_isVersionConflict() {
        store.decideReturns(notWon(pending(3), false));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 2, "alice", "k1"), DEADLINE))
                .isInstanceOfSatisfying(ApprovalVersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(2);
                    assertThat(e.currentVersion()).isEqualTo(3);
                    assertThat(e.currentStatus()).isEqualTo("pending");
                });
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    void pendingButPastItsDeadline_isExpired_evenAtTheExpectedVersion() {
        store.decideReturns(notWon(pending(1), true));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(ApprovalExpiredException.class);
        assertThat(store.roundTrips()).isEqualTo(1);
    }

    @Test
    void expiredStatus_isExpired() {
        store.decideReturns(notWon(decided(EXPIRED, 2, "system:timeout", "sfn"), false));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(ApprovalExpiredException.class);
    }

    @Test
    void rowThatStillLooksDecidable_isReadOnceMore_andTheConcurrentWinnerReported() {
        store.decideReturns(notWon(pending(1), false));
        store.readReturns(Optional.of(new ApprovalSnapshot(decided(REJECTED, 2, "bob", "kb"), false)));

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(ApprovalAlreadyDecidedException.class);
        assertThat(store.roundTrips()).isEqualTo(2);
    }

    @Test
    void reReadShowingOurOwnWin_isAReplay() {
        store.decideReturns(notWon(pending(1), false));
        store.readReturns(Optional.of(new ApprovalSnapshot(decided(APPROVED, 2, "alice", "k1"), false)));

        assertThat(service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE).replayed()).isTrue();
    }

    @Test
    void competitorThatRolledBack_leavesTheApprovalFree_soTheDecisionIsRetried() {
        store.decideReturns(notWon(pending(1), false));
        store.readReturns(Optional.of(new ApprovalSnapshot(pending(1), false)));
        store.decideReturns(new DecisionAttempt.Won(decided(APPROVED, 2, "alice", "k1")));

        assertThat(service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE).replayed()).isFalse();
        assertThat(store.roundTrips()).isEqualTo(3);
    }

    @Test
    void anApprovalThatNeverSettles_isUnavailable_notALoop() {
        for (int i = 0; i < 3; i++) {
            store.decideReturns(notWon(pending(1), false));
            store.readReturns(Optional.of(new ApprovalSnapshot(pending(1), false)));
        }

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(DecisionUnavailableException.class);
        assertThat(store.roundTrips()).isEqualTo(6);
    }

    @Test
    void rowDeletedBetweenStatementAndReRead_isNotFound() {
        store.decideReturns(notWon(pending(1), false));
        store.readReturns(Optional.empty());

        assertThatThrownBy(() -> service.decide(request(APPROVE, 1, "alice", "k1"), DEADLINE))
                .isInstanceOf(ApprovalNotFoundException.class);
    }

    private static DecisionAttempt notWon(Approval approval, boolean expired) {
        return new DecisionAttempt.NotWon(new ApprovalSnapshot(approval, expired));
    }

    /** Answers each call with the next scripted result; fails the test on an unscripted call. */
    private static final class ScriptedStore implements ApprovalStore {
        private final Deque<DecisionAttempt> decisions = new ArrayDeque<>();
        private final Deque<Optional<ApprovalSnapshot>> reads = new ArrayDeque<>();
        private int roundTrips;

        void decideReturns(DecisionAttempt attempt) {
            decisions.add(attempt);
        }

        void readReturns(Optional<ApprovalSnapshot> snapshot) {
            reads.add(snapshot);
        }

        int roundTrips() {
            return roundTrips;
        }

        @Override
        public DecisionAttempt decide(DecisionRequest request, Instant deadline) {
            roundTrips++;
            return decisions.remove();
        }

        @Override
        public Optional<ApprovalSnapshot> read(UUID approvalId, Instant deadline) {
            roundTrips++;
            return reads.remove();
        }
    }
}
