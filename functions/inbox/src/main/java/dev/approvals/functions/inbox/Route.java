package dev.approvals.functions.inbox;

/**
 * The page's routes, as {@code template.yaml} declares them (the template tests check that the inbox function
 * serves exactly these, and that nothing else is sent to it). They need no token: the page signs the person in.
 */
public enum Route {
    /** The page itself ({@code web/index.html}) at the API's root. */
    PAGE("GET", "/"),
    /** Its scripts, style sheet and icon ({@code web/*}), and {@code config.json}. */
    FILE("GET", "/inbox/{file}");

    private final String method;
    private final String path;

    Route(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** API Gateway's route key, e.g. {@code GET /inbox/{file}}. */
    public String routeKey() {
        return method + " " + path;
    }

    /** The route of an API Gateway route key, or null. */
    static Route of(String routeKey) {
        for (Route route : values()) {
            if (route.routeKey().equals(routeKey)) {
                return route;
            }
        }
        return null;
    }
}
