package dev.approvals.http;

/** An HTTP request refused by the adapter (401, 403, 405, 413, 415, 428); never thrown on the direct path. */
public final class HttpRequestRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpRejection rejection;
    private final String allow;

    public HttpRequestRejectedException(HttpRejection rejection, String detail) {
        this(rejection, null, detail);
    }

    /** @param allow for 405: the methods the path accepts, e.g. {@code GET} or {@code GET, POST} */
    public HttpRequestRejectedException(HttpRejection rejection, String allow, String detail) {
        super(detail, null, false, false);
        this.rejection = rejection;
        this.allow = allow;
    }

    public HttpRejection rejection() {
        return rejection;
    }

    /** The methods to name in an {@code Allow} header; null unless 405. */
    public String allow() {
        return allow;
    }
}
