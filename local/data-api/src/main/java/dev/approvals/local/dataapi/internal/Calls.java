package dev.approvals.local.dataapi.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Per-operation counters of the Data API calls received (faulted and failed calls included). */
public final class Calls {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void increment(Operation operation) {
        counts.computeIfAbsent(operation.name(), k -> new LongAdder()).increment();
    }

    public long count(String operation) {
        LongAdder adder = counts.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A sorted copy of the non-zero counters. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((op, adder) -> {
            long n = adder.sum();
            if (n > 0) {
                copy.put(op, n);
            }
        });
        return copy;
    }

    public void reset() {
        counts.clear();
    }
}
