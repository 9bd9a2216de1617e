package dev.approvals.local.dataapi.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The six Data API operations and their rest-json request paths. */
public enum Operation {
    ExecuteStatement("/Execute"),
    BatchExecuteStatement("/BatchExecute"),
    BeginTransaction("/BeginTransaction"),
    CommitTransaction("/CommitTransaction"),
    RollbackTransaction("/RollbackTransaction"),
    ExecuteSql("/ExecuteSql");

    private static final Map<String, Operation> BY_PATH = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Operation::path, Function.identity()));

    private final String path;

    Operation(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    public static Optional<Operation> forPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    /** Looks an operation up by its name (e.g. {@code "ExecuteStatement"}); throws for an unknown name. */
    public static Operation named(String name) {
        for (Operation op : values()) {
            if (op.name().equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown operation '" + name + "'; one of " + Arrays.toString(values()));
    }
}
