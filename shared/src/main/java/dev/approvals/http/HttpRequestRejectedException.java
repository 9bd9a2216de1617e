package dev.approvals.http;

/** An HTTP request refused by the adapter (401, 403, 405, 413, 415, 428); never thrown on the direct path. */
public final class HttpRequestRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpRejection rejection;

    public HttpRequestRejectedException(HttpRejection rejection, String detail) {
        super(detail, null, false, false);
        this.rejection = rejection;
    }

    public HttpRejection rejection() {
        return rejection;
    }
}
