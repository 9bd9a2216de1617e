package dev.approvals.invocation;

/**
 * The entry path of a decision invocation, from the qualifier of the ARN it was invoked by
 * ({@code context.getInvokedFunctionArn()}), never from the event: Lambda sets the ARN, the caller cannot forge it,
 * and IAM decides who may invoke which alias (only API Gateway may invoke {@code http}, only the state machine
 * {@code workflow}; docs/security.md).
 */
enum EntryPath {
    /** API Gateway: only its proxy events are accepted, and the actor comes from its authorizer. */
    HTTP("http"),
    /** The state machine: only the direct payload is accepted, and the actor is the deployment's workflow actor. */
    WORKFLOW("workflow");

    private final String alias;

    EntryPath(String alias) {
        this.alias = alias;
    }

    String alias() {
        return alias;
    }

    /** @return the path of this ARN's qualifier, or null (unqualified, {@code $LATEST}, another alias, no ARN) */
    static EntryPath of(String invokedFunctionArn) {
        if (invokedFunctionArn == null) {
            return null;
        }
        // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
        int colons = 0;
        int qualifierStart = -1;
        for (int i = 0; i < invokedFunctionArn.length(); i++) {
            if (invokedFunctionArn.charAt(i) == ':' && ++colons == 7) {
                qualifierStart = i + 1;
            }
        }
        if (colons != 7) {
            return null;
        }
        String qualifier = invokedFunctionArn.substring(qualifierStart);
        for (EntryPath path : values()) {
            if (path.alias.equals(qualifier)) {
                return path;
            }
        }
        return null;
    }
}
