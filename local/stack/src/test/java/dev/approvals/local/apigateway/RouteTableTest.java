package dev.approvals.local.apigateway;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTableTest {

    private final RouteTable table = new RouteTable(List.of(
            new Route("ANY", "/{proxy+}", "Greedy", null),
            new Route("POST", "/approvals/{id}/approve", "Approve", "Jwt"),
            new Route("POST", "/approvals/{id}/reject", "Reject", "Jwt"),
            new Route("ANY", "/approvals/{id}/{action}", "AnyAction", null),
            new Route("GET", "/approvals/export", "Export", null)));

    private String function(String method, String path) {
        return table.match(method, path).map(m -> m.route().function()).orElse(null);
    }

    @Test
    void mostSpecificRoute_shouldWin() {
        assertThat(function("POST", "/approvals/42/approve")).isEqualTo("Approve");
        assertThat(function("POST", "/approvals/42/reject")).isEqualTo("Reject");
        assertThat(function("POST", "/approvals/42/escalate")).isEqualTo("AnyAction");
        assertThat(function("GET", "/approvals/42/approve")).as("method mismatch falls to ANY").isEqualTo("AnyAction");
        assertThat(function("GET", "/approvals/export")).isEqualTo("Export");
        assertThat(function("DELETE", "/other/thing")).isEqualTo("Greedy");
    }

    @Test
    void pathParameters_shouldBeDecoded() {
        RouteTable.Match match = table.match("POST", "/approvals/a%20b/approve").orElseThrow();
        assertThat(match.pathParameters()).isEqualTo(Map.of("id", "a b"));
        assertThat(match.route().routeKey()).isEqualTo("POST /approvals/{id}/approve");
        assertThat(table.match("GET", "/x/y/z").orElseThrow().pathParameters()).isEqualTo(Map.of("proxy", "x/y/z"));
    }

    @Test
    void noMatch_shouldBeEmpty() {
        RouteTable strict = new RouteTable(List.of(new Route("POST", "/approvals/{id}/approve", "Approve", null)));
        assertThat(strict.match("GET", "/approvals/1/approve")).isEmpty();
        assertThat(strict.match("POST", "/approvals/1/approve/")).as("trailing slash").isEmpty();
        assertThat(strict.match("POST", "/approvals//approve")).as("empty parameter").isEmpty();
        assertThat(strict.match("POST", "/approvals/1")).isEmpty();
    }

    @Test
    void defaultRoute_shouldTakeTheRest() {
        RouteTable withDefault = new RouteTable(List.of(new Route("ANY", "$default", "Default", null),
                new Route("GET", "/a", "A", null)));
        assertThat(withDefault.match("GET", "/a").orElseThrow().route().function()).isEqualTo("A");
        RouteTable.Match fallback = withDefault.match("PUT", "/whatever").orElseThrow();
        assertThat(fallback.route().routeKey()).isEqualTo("$default");
    }

    @Test
    void greedyVariableNotLast_shouldBeRefused() {
        assertThatThrownBy(() -> new RouteTable(List.of(new Route("GET", "/{p+}/x", "F", null))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
