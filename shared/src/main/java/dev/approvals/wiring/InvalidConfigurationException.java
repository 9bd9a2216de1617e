package dev.approvals.wiring;

/** The function's environment is incomplete or wrong; raised at init, so the function never takes traffic. */
public final class InvalidConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
