package dev.approvals.local.openapi;

import dev.approvals.local.stack.LocalStack;
import dev.approvals.local.stack.Stacks;
import dev.approvals.local.template.HttpApiRoute;
import dev.approvals.local.template.SamFunction;
import dev.approvals.local.template.SamTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml against what is deployed and what answers: the template's routes are exactly the document's
 * operations, and real answers of the local stack (the read-decide-retry loop and its refusals, through the HTTP
 * API front door and the real functions) validate against it. Each check is also shown failing on a broken copy.
 */
class OpenApiIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().proxy(ProxySelector.of(null))
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    /** One request and its answer, with the route it took. */
    record Exchange(String method, String route, String request, int status, Map<String, String> headers, String body) {
    }

    private static Path root;
    private static LocalStack stack;
    private static final List<Exchange> exchanges = new ArrayList<>();

    @TempDir
    Path temp;

    @BeforeAll
    static void runTheLoopThroughTheLocalStack() {
        root = Path.of(System.getProperty("approvals.repositoryRoot", "../..")).toAbsolutePath().normalize();
        // the shared stack: this loop looks only at the approval it proposes (the pages may list others' too)
        stack = Stacks.shared();
        String key = "openapi-" + UUID.randomUUID();
        String proposal = "{\"actionType\": \"refund\", \"actionPayload\": {\"orderId\": \"A-7\", \"amount\": 7}}";

        // An agent proposes; the dev user (another caller: nobody approves its own request) decides.
        String agent = "Bearer " + dev.approvals.local.apigateway.JwtTokens.unsigned(
                dev.approvals.local.apigateway.JwtTokens.devClaims("agent-7", "agent-7", java.util.List.of("approvers"),
                        LocalStack.LOCAL_ISSUER, LocalStack.LOCAL_CLIENT_ID, java.time.Instant.now(),
                        Duration.ofHours(1)));
        Exchange proposed = call("POST", "/approvals", "/approvals", proposal, "Idempotency-Key", key,
                "Authorization", agent);
        Matcher matched = ID.matcher(proposed.body());
        assertThat(matched.find()).as(proposed.body()).isTrue();
        String id = matched.group(1);
        String path = "/approvals/" + id;
        call("POST", "/approvals", "/approvals", proposal, "Idempotency-Key", key, "Authorization", agent);
        call("POST", "/approvals/{id}/approve", path + "/approve", "{}", "If-Match", "\"1\"", "Authorization", agent);
        call("GET", "/approvals/{id}", path, null);
        call("GET", "/approvals/{id}", path, null, "If-None-Match", "\"1\"");
        call("POST", "/approvals/{id}/approve", path + "/approve", "{\"reason\": \"Looks right\"}", "If-Match", "\"1\"");
        call("GET", "/approvals/{id}", path, null);
        String cursor = null;
        do {
            Exchange page = call("GET", "/approvals", "/approvals?status=pending&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.body()).as("the approved one is no longer pending").doesNotContain(id);
            Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page.body());
            cursor = next.find() ? next.group(1) : null;
        } while (cursor != null);
        // refusals
        call("POST", "/approvals/{id}/approve", path + "/approve", "{}", "If-Match", "\"1\"");
        call("POST", "/approvals/{id}/reject", path + "/reject", "{\"reason\": \"no version\"}");
        call("POST", "/approvals", "/approvals", "{\"actionType\": \"refund\", \"actionPayload\": {}}",
                "Idempotency-Key", key, "Authorization", agent);
        call("POST", "/approvals", "/approvals", "{\"actionType\": \"refund\", \"actionPayload\": {}, \"status\": \"x\"}");
        call("POST", "/approvals", "/approvals", "actionType=refund", "Content-Type", "text/plain");
        call("GET", "/approvals/{id}", "/approvals/" + UUID.randomUUID(), null);
        call("GET", "/approvals", "/approvals?limit=0", null);
        call("GET", "/approvals", "/approvals?cursor=forged", null);
        call("GET", "/approvals/{id}", path, null, "Authorization", null);
        call("GET", "/approvals/{id}", path, null, "Authorization", "Bearer not-a-jwt");
        printTranscript();
    }

    @Test
    void theTemplatesRoutes_areExactlyTheDocumentsOperations() {
        assertThat(routeDifferences(templateRoutes(), OpenApiDocument.read(document()).routes())).isEmpty();
    }

    @Test
    void aDocumentMissingARoute_orDescribingOneTheTemplateLacks_isCaught() throws IOException {
        Path broken = brokenCopy(text -> text.replace("  /approvals/{id}/reject:", "  /approvals/{id}/cancel:"));

        assertThat(routeDifferences(templateRoutes(), OpenApiDocument.read(broken).routes())).containsExactly(
                "the template routes POST /approvals/{id}/reject, which the document does not describe",
                "the document describes POST /approvals/{id}/cancel, which the template does not route");
    }

    @Test
    void everyAnswerOfTheLocalStack_validatesAgainstTheDocument() {
        OpenApiDocument document = OpenApiDocument.read(document());

        assertThat(document.openapi()).isEqualTo("3.1.0");
        assertThat(exchanges).extracting(Exchange::status).contains(200, 201, 304, 400, 401, 404, 409, 415, 422, 428);
        for (Exchange exchange : exchanges) {
            assertThat(document.problems(exchange.method(), exchange.route(), exchange.status(), exchange.headers(),
                    exchange.body())).as(exchange.request() + " -> " + exchange.status() + " " + exchange.body()).isEmpty();
        }
    }

    @Test
    void aDocumentThatDisagreesWithTheAnswers_isCaught() throws IOException {
        Path broken = brokenCopy(text -> text
                .replace("pattern: '^\"[1-9][0-9]*\"$'", "pattern: '^W/\"[1-9][0-9]*\"$'")
                .replace("required: [id, status, version, actionType, actionPayload, requestedBy, requestedAt]",
                        "required: [id, status, version, actionType, actionPayload, requestedBy, requestedAt, risk]"));
        OpenApiDocument document = OpenApiDocument.read(broken);

        List<String> problems = new ArrayList<>();
        exchanges.forEach(e -> problems.addAll(document.problems(e.method(), e.route(), e.status(), e.headers(), e.body())));

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("200: header ETag").contains("pattern"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("201: body").contains("risk"));
        assertThat(OpenApiDocument.read(broken).problems("DELETE", "/approvals", 204, Map.of(), ""))
                .containsExactly("DELETE /approvals is not an operation of the document");
    }

    private static Exchange call(String method, String route, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.httpEndpoint() + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("Authorization", "Bearer " + stack.devToken());
        if (body != null) {
            sent.put("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            sent.put(headers[i], headers[i + 1]);
        }
        sent.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> received = new LinkedHashMap<>();
            response.headers().map().forEach((name, values) -> received.put(name, values.getFirst()));
            sent.remove("Authorization");
            String described = method + " " + pathAndQuery + (sent.isEmpty() ? "" : " " + sent)
                    + (body == null ? "" : " " + body);
            Exchange exchange = new Exchange(method, route, described, response.statusCode(), received, response.body());
            exchanges.add(exchange);
            return exchange;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void printTranscript() {
        StringBuilder transcript = new StringBuilder("Transcript through the local stack's HTTP API:\n");
        for (Exchange e : exchanges) {
            transcript.append("> ").append(e.request()).append('\n').append("< ").append(e.status());
            for (String name : List.of("etag", "location", "idempotent-replayed", "cache-control", "allow", "www-authenticate")) {
                if (e.headers().containsKey(name)) {
                    transcript.append("  ").append(name).append(": ").append(e.headers().get(name));
                }
            }
            String body = e.body().length() > 220 ? e.body().substring(0, 220) + "..." : e.body();
            transcript.append('\n').append("  ").append(body).append('\n');
        }
        System.out.println(transcript);
    }

    private static Set<String> templateRoutes() {
        Set<String> routes = new TreeSet<>();
        for (SamFunction function : SamTemplate.read(root.resolve("template.yaml")).functions()) {
            function.httpApiRoutes().stream().map(HttpApiRoute::routeKey).forEach(routes::add);
        }
        return routes;
    }

    private static List<String> routeDifferences(Set<String> template, Set<String> document) {
        List<String> differences = new ArrayList<>();
        template.stream().filter(r -> !document.contains(r)).forEach(r ->
                differences.add("the template routes " + r + ", which the document does not describe"));
        document.stream().filter(r -> !template.contains(r)).forEach(r ->
                differences.add("the document describes " + r + ", which the template does not route"));
        return differences;
    }

    private static Path document() {
        return root.resolve("docs/openapi.yaml");
    }

    private Path brokenCopy(java.util.function.UnaryOperator<String> change) throws IOException {
        String original = Files.readString(document());
        String changed = change.apply(original);
        assertThat(changed).as("the change took effect").isNotEqualTo(original);
        Path copy = temp.resolve("openapi-" + UUID.randomUUID() + ".yaml");
        Files.writeString(copy, changed);
        return copy;
    }
}
