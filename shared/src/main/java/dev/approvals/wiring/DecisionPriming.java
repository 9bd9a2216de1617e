package dev.approvals.wiring;

import dev.approvals.core.Decision;
import dev.approvals.invocation.DecisionFunction;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Primes a decision function's request path: an HTTP decision that wins, one refused as already decided, and a
 * direct one that wins, each through a graph like the function's own (same decision, configuration and code)
 * whose SDK client answers from {@link CannedHttpClient} with dummy credentials. No database, no network, no log
 * line; and each must end as intended, or the init fails.
 */
public final class DecisionPriming implements Runnable {

    /** The approval the canned answers describe. */
    public static final String APPROVAL_ID = Priming.APPROVAL_ID;

    private final Decision decision;
    private final DecisionConfig config;

    public DecisionPriming(Decision decision, DecisionConfig config) {
        this.decision = decision;
        this.config = config;
    }

    @Override
    public void run() {
        byte[] won = statementResult(true, decision.targetStatus().wireName(), Priming.CALLER);
        byte[] alreadyDecided = statementResult(false, "approved", "someone-else");
        DecisionFunction function = FunctionFactory.decisionFunction(decision, config,
                new CannedHttpClient(List.of(won, alreadyDecided, won)), Priming.credentials(), Priming.silentLog());
        Priming.expect(Priming.invoke(function::handle, httpEvent(), "http"), "statusCode", 200);
        Priming.expect(Priming.invoke(function::handle, httpEvent(), "http"), "statusCode", 409);
        if (config.workflowActor().isPresent()) {
            Priming.expect(Priming.invoke(function::handle, Map.of("approvalId", APPROVAL_ID, "expectedVersion", 1,
                    "reason", "priming", "idempotencyKey", "priming"), "workflow"), "version", 2);
        }
    }

    /** An HTTP API request to decide, from a caller in the approver group if there is one. */
    private Map<String, Object> httpEvent() {
        String verb = decision.name().toLowerCase(Locale.ROOT);
        return Priming.httpEvent("POST /approvals/{id}/" + verb, "/approvals/" + APPROVAL_ID + "/" + verb, "",
                Map.of("content-type", "application/json", "idempotency-key", "\"priming\""),
                "{\"expectedVersion\": 1, \"reason\": \"priming\"}", config.approverGroup());
    }

    /**
     * An {@code ExecuteStatement} answer as the Data API sends it: the decision statement's one row, {@code decided}
     * or not, the approval at version 2 in {@code status}, decided by {@code decidedBy}.
     */
    public static byte[] statementResult(boolean decided, String status, String decidedBy) {
        List<Map<String, Object>> row = Priming.concat(
                List.of(Map.of("booleanValue", decided), Map.of("booleanValue", false)),
                Priming.concat(Priming.visibleValues(status, 2, decidedBy),
                        List.of(Map.of("stringValue", "priming"), Map.of("isNull", true))));
        List<String> columns = Priming.concat(List.of("decided", "expired"),
                Priming.concat(Priming.VISIBLE_COLUMNS, List.of("decision_key", "task_token")));
        return Priming.statementResult(columns, List.of(row), decided ? 1 : 0);
    }
}
