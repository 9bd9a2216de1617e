package dev.approvals.http;

/**
 * The HTTP API's routes, as {@code template.yaml} declares them (a template test checks that each function serves
 * exactly the routes the template sends it, and docs/openapi.yaml describes each).
 */
public enum Route {
    PROPOSE("POST", "/approvals"),
    LIST("GET", "/approvals"),
    READ("GET", "/approvals/{id}"),
    APPROVE("POST", "/approvals/{id}/approve"),
    REJECT("POST", "/approvals/{id}/reject");

    private final String method;
    private final String path;

    Route(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public String method() {
        return method;
    }

    /** The path template, with {@code {id}} where the approval id goes. */
    public String path() {
        return path;
    }

    /** API Gateway's route key, e.g. {@code GET /approvals/{id}}. */
    public String routeKey() {
        return method + " " + path;
    }

    boolean hasApprovalId() {
        return path.contains("{id}");
    }
}
