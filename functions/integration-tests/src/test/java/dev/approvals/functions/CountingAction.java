package dev.approvals.functions;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovedAction;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An action that counts how often it ran for each approval: the thing that must never exceed one. */
final class CountingAction implements ApprovedAction {

    private final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public String perform(Approval approval) {
        runs.computeIfAbsent(approval.id(), id -> new AtomicInteger()).incrementAndGet();
        return "counted";
    }

    int runs(UUID approvalId) {
        AtomicInteger count = runs.get(approvalId);
        return count == null ? 0 : count.get();
    }

    Map<UUID, AtomicInteger> all() {
        return Map.copyOf(runs);
    }
}
