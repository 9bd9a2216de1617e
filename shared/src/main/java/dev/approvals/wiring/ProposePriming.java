package dev.approvals.wiring;

import dev.approvals.invocation.HttpFunction;

import java.util.List;
import java.util.Map;

/**
 * Primes the propose function's request path: a proposal with an idempotency key that creates an approval,
 * through a graph like the function's own whose SDK client answers from {@link CannedHttpClient} with dummy
 * credentials. No database, no network, no log line; it must answer 201, or the init fails.
 */
final class ProposePriming implements Runnable {

    private final ProposeConfig config;

    ProposePriming(ProposeConfig config) {
        this.config = config;
    }

    @Override
    public void run() {
        List<Map<String, Object>> row = Priming.concat(
                List.of(Map.of("booleanValue", true), Map.of("booleanValue", false)),
                Priming.concat(Priming.visibleValues("pending", 1, null), List.of(Map.of("stringValue", "priming"))));
        List<String> columns = Priming.concat(List.of("created", "expired"),
                Priming.concat(Priming.VISIBLE_COLUMNS, List.of("proposal_hash")));
        HttpFunction function = ProposeFunctionFactory.proposeFunction(config,
                new CannedHttpClient(List.of(Priming.statementResult(columns, List.of(row), 1))),
                Priming.credentials(), Priming.silentLog());
        Priming.expect(Priming.invoke(function::handle, Priming.httpEvent("POST /approvals", "/approvals", "",
                Map.of("content-type", "application/json", "idempotency-key", "\"priming\""),
                "{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": 42}}", config.proposerGroup())),
                "statusCode", 201);
    }
}
