package dev.approvals.local.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for the local Lambda runtime: records each invocation, fails the first {@code failures} of them. */
final class RecordingInvoker implements FunctionInvoker {

    record Call(String function, Optional<String> qualifier, String payload) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public CompletableFuture<Optional<String>> invoke(String functionName, Optional<String> qualifier, byte[] payload) {
        calls.add(new Call(functionName, qualifier, new String(payload, StandardCharsets.UTF_8)));
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.completedFuture(Optional.of("java.lang.IllegalStateException"));
        }
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
