package dev.approvals.wiring;

import dev.approvals.invocation.HttpFunction;

import java.util.List;
import java.util.Map;

/**
 * Primes the read function's request path: a read of one approval through a graph like the function's own whose SDK
 * client answers from {@link CannedHttpClient} with dummy credentials. No database, no network, no log line; it must
 * answer 200, or the init fails. A listing is not primed as well: the read already loads what a first page needs
 * but the listing's own few classes, and priming one too measured no clear gain (docs/performance.md).
 */
final class ReadPriming implements Runnable {

    private final ReadConfig config;

    ReadPriming(ReadConfig config) {
        this.config = config;
    }

    @Override
    public void run() {
        List<Map<String, Object>> row = Priming.concat(List.of(Map.of("booleanValue", false)),
                Priming.visibleValues("pending", 1, null));
        HttpFunction function = ReadFunctionFactory.readFunction(config,
                new CannedHttpClient(List.of(Priming.statementResult(
                        Priming.concat(List.of("expired"), Priming.VISIBLE_COLUMNS), List.of(row), 0))),
                Priming.credentials(), Priming.silentLog());
        Priming.expect(Priming.invoke(function::handle, Priming.httpEvent("GET /approvals/{id}",
                "/approvals/" + Priming.APPROVAL_ID, "", Map.of("accept", "application/json"), null,
                config.approverGroup())), "statusCode", 200);
    }
}
