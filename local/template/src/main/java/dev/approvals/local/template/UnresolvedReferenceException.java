package dev.approvals.local.template;

import java.io.Serial;

/** An intrinsic function refers to something the resolver was given no value for; the message says what to supply. */
public final class UnresolvedReferenceException extends TemplateException {

    @Serial
    private static final long serialVersionUID = 1L;

    public UnresolvedReferenceException(String message) {
        super(message);
    }
}
