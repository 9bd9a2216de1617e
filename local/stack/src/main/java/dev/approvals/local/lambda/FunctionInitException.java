package dev.approvals.local.lambda;

import java.io.Serial;

/** A function's execution environment could not initialise; the message holds what its runtime reported. */
public final class FunctionInitException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String function;

    public FunctionInitException(String function, String detail) {
        super(function + " failed to initialise: " + detail);
        this.function = function;
    }

    public String function() {
        return function;
    }
}
