package dev.approvals.local.template;

import java.io.Serial;

/** The template cannot be read or does not have the shape this package needs; the message says where. */
public class TemplateException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
