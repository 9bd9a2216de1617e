package dev.approvals.core;

import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.ProposalKeyReusedException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the proposal statement found, and the answer (docs/design.md §8), with a scripted store. */
class ProposalServiceTest {

    private static final Instant DEADLINE = Instant.parse("2026-12-01T12:00:20Z");
    private static final ApprovalSnapshot PENDING = new ApprovalSnapshot(Approvals.pending(1), false);
    private static final ProposalRequest KEYED = new ProposalRequest("refund", "{}", null, "agent-7", "k", "hash-1");

    private final ScriptedStore store = new ScriptedStore();
    private final ProposalService service = new ProposalService(store);

    @Test
    void inserted_isCreated_inOneStatement() {
        store.attempts.add(new ProposalAttempt.Created(PENDING));

        ProposalResult result = service.propose(Approvals.ID, KEYED, DEADLINE);

        assertThat(result).isEqualTo(new ProposalResult(PENDING, false));
        assertThat(store.reads).isZero();
        assertThat(store.proposedIds).containsExactly(Approvals.ID);
    }

    @Test
    void theKeysRowWithTheSameHash_isAReplay_andAnotherHash_isRefused() {
        store.attempts.add(new ProposalAttempt.Existing(PENDING, "hash-1"));
        store.attempts.add(new ProposalAttempt.Existing(PENDING, "hash-2"));

        assertThat(service.propose(Approvals.ID, KEYED, DEADLINE)).isEqualTo(new ProposalResult(PENDING, true));
        assertThatThrownBy(() -> service.propose(Approvals.ID, KEYED, DEADLINE)).isInstanceOf(ProposalKeyReusedException.class)
                .satisfies(e -> assertThat(((ProposalKeyReusedException) e).approvalId()).isEqualTo(Approvals.ID));
    }

    @Test
    void aRowCommittedAfterTheStatementsSnapshot_isReadOnceMore() {
        store.attempts.add(new ProposalAttempt.Unseen());
        store.found = Optional.of(new ProposalAttempt.Existing(PENDING, "hash-1"));

        assertThat(service.propose(Approvals.ID, KEYED, DEADLINE)).isEqualTo(new ProposalResult(PENDING, true));
        assertThat(store.reads).isEqualTo(1);
    }

    @Test
    void aKeyThatStoppedTheInsertButCannotBeFound_isUnavailable_toRetry() {
        store.attempts.add(new ProposalAttempt.Unseen());

        assertThatThrownBy(() -> service.propose(Approvals.ID, KEYED, DEADLINE)).isInstanceOf(DecisionUnavailableException.class);
    }

    /** A workflow's retried propose step sends the same id: the row its first attempt made is the answer. */
    @Test
    void withoutAKey_theIdsRow_isAReplay_readOnceMoreWhenUnseen() {
        ProposalRequest keyless = new ProposalRequest("refund", "{}", null, "execution-1", null, null);
        store.attempts.add(new ProposalAttempt.Existing(PENDING, null));
        store.attempts.add(new ProposalAttempt.Unseen());
        store.found = Optional.of(new ProposalAttempt.Existing(PENDING, null));

        assertThat(service.propose(Approvals.ID, keyless, DEADLINE)).isEqualTo(new ProposalResult(PENDING, true));
        assertThat(service.propose(Approvals.ID, keyless, DEADLINE)).isEqualTo(new ProposalResult(PENDING, true));
        assertThat(store.reads).isEqualTo(1);
        assertThat(store.proposedIds).containsExactly(Approvals.ID, Approvals.ID);
    }

    @Test
    void aKeyWithoutItsHash_orAHashWithoutAKey_isABug() {
        assertThatThrownBy(() -> new ProposalRequest("refund", "{}", null, "agent-7", "k", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProposalRequest("refund", "{}", null, "agent-7", null, "h"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final class ScriptedStore implements ProposalStore {
        final Deque<ProposalAttempt> attempts = new ArrayDeque<>();
        final Deque<UUID> proposedIds = new ArrayDeque<>();
        Optional<ProposalAttempt.Existing> found = Optional.empty();
        int reads;

        @Override
        public ProposalAttempt propose(UUID id, ProposalRequest request, Instant deadline) {
            proposedIds.add(id);
            return attempts.removeFirst();
        }

        @Override
        public Optional<ProposalAttempt.Existing> findExisting(UUID id, ProposalRequest request, Instant deadline) {
            reads++;
            return found;
        }
    }
}
