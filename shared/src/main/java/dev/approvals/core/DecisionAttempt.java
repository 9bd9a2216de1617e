package dev.approvals.core;

/** What one run of the conditional decision statement found. */
public sealed interface DecisionAttempt {

    /** The update matched: this request decided the approval. */
    record Won(Approval approval) implements DecisionAttempt {
    }

    /** The update matched nothing; {@code current} is the row as the statement saw it. */
    record NotWon(ApprovalSnapshot current) implements DecisionAttempt {
    }

    /** No approval has this id. */
    record Missing() implements DecisionAttempt {
    }
}
