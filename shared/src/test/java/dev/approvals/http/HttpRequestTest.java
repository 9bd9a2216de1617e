package dev.approvals.http;

import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.testing.Events;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one request reader every route shares: route and method, query parameters. */
class HttpRequestTest {

    private static final Set<Route> READS = Set.of(Route.READ, Route.LIST);

    @Test
    void theRouteKey_picksTheRoute_andAnotherMethodIs405_withTheAllowedOnes() {
        Map<String, Object> list = Events.load("list-http.json");

        assertThat(HttpRequest.read(list, InvocationShape.HTTP_API, READS).route()).isEqualTo(Route.LIST);
        assertThat(HttpRequest.read(Events.load("read-http.json"), InvocationShape.HTTP_API, READS).route())
                .isEqualTo(Route.READ);
        Events.at(list, "requestContext", "http").put("method", "DELETE");
        assertThatThrownBy(() -> HttpRequest.read(list, InvocationShape.HTTP_API, READS))
                .isInstanceOfSatisfying(HttpRequestRejectedException.class, e -> {
                    assertThat(e.rejection()).isEqualTo(HttpRejection.METHOD_NOT_ALLOWED);
                    assertThat(e.allow()).isEqualTo("GET");
                });
    }

    @Test
    void withoutAMatchingRouteKey_theApprovalIdInThePath_decides() {
        Map<String, Object> read = Events.load("read-http.json");
        read.put("routeKey", "$default");
        Map<String, Object> list = Events.load("list-http.json");
        list.remove("routeKey");

        assertThat(HttpRequest.read(read, InvocationShape.HTTP_API, READS).route()).isEqualTo(Route.READ);
        assertThat(HttpRequest.read(list, InvocationShape.HTTP_API, READS).route()).isEqualTo(Route.LIST);
    }

    @Test
    void queryParameters_areDecoded_andEachMayAppearOnce_andOnlyTheAllowedOnes() {
        assertThat(query("status=pending&actionType=crm%2Eupdate%3Av2&limit=7"))
                .containsExactly(Map.entry("status", "pending"), Map.entry("actionType", "crm.update:v2"),
                        Map.entry("limit", "7"));
        assertThatThrownBy(() -> query("limit=1&limit=2")).hasMessageContaining("more than once");
        assertThatThrownBy(() -> query("sort=desc")).hasMessageContaining("Unknown query parameter 'sort'");
        for (String broken : List.of("status=%E0%A4%A", "status=%ZZ", "status=%+1", "actionType=%FF", "status=é")) {
            assertThatThrownBy(() -> query(broken)).as(broken).isInstanceOf(InvalidDecisionRequestException.class)
                    .hasMessageContaining("percent-encoded UTF-8");
        }
    }

    @Test
    void restApiQueryParameters_comeFromTheMultiValueMap_soRepeatsAreSeen() {
        Map<String, Object> event = Events.load("approve-rest.json");
        event.put("multiValueQueryStringParameters", Map.of("limit", List.of("1", "2")));

        HttpRequest request = HttpRequest.read(event, InvocationShape.REST_API, Set.of(Route.APPROVE));

        assertThatThrownBy(() -> request.query(Set.of("limit"))).hasMessageContaining("more than once");
    }

    private static Map<String, String> query(String raw) {
        Map<String, Object> event = Events.load("list-http.json");
        event.put("rawQueryString", raw);
        return HttpRequest.read(event, InvocationShape.HTTP_API, READS).query(Set.of("status", "actionType", "limit"));
    }
}
