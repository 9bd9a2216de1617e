package dev.approvals.core;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which proposed actions a workflow may approve without a person: a deployment's configuration, never the
 * requester's input (docs/workflows.md, "Who may start what").
 *
 * @param actionTypes the action types approved automatically; empty means a person decides every approval
 */
public record AutoApprovalPolicy(Set<String> actionTypes) {

    public static final AutoApprovalPolicy NONE = new AutoApprovalPolicy(Set.of());

    public AutoApprovalPolicy {
        actionTypes = Set.copyOf(actionTypes);
    }

    /** Reads a comma-separated list; blanks around and between items are ignored. */
    public static AutoApprovalPolicy parse(String commaSeparated) {
        return new AutoApprovalPolicy(Arrays.stream(commaSeparated.split(","))
                .map(String::strip).filter(type -> !type.isEmpty()).collect(Collectors.toSet()));
    }

    public boolean approvesWithoutAPerson(String actionType) {
        return actionTypes.contains(actionType);
    }
}
