package dev.approvals.local.stack;

import dev.approvals.local.apigateway.JwtTokens;
import dev.approvals.local.seeds.ApprovalSeeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's security controls (docs/security.md) through the whole local stack, as a client meets them:
 * the HTTP API stand-in enforcing the template's scopes, the real functions, the database. Each refused request
 * targets a real pending approval and leaves the database as it was.
 */
class SecurityIT {

    private static LocalStack stack;
    private static DataSource jdbc;

    @BeforeAll
    static void start() {
        stack = Stacks.shared();
        jdbc = stack.dataApi().dataSource(stack.dataApi().databaseName());
    }

    @Test
    void theRequesterApprovingItsOwnProposal_gets403SelfApproval_butMayRejectIt() {
        String agent = accessToken("agent-" + UUID.randomUUID(), JwtTokens.DEV_SCOPES);
        HttpResponse<String> proposed = Http.post(uri("/approvals"), agent,
                "{\"actionType\": \"refund\", \"actionPayload\": {\"amount\": 5}}",
                "Idempotency-Key", "k-" + UUID.randomUUID());
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
        String id = Http.json(proposed).path("id").asText();
        List<List<Object>> before = database();

        HttpResponse<String> approved = Http.post(uri("/approvals/" + id + "/approve"), agent, "{}",
                "If-Match", "\"1\"");

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(403);
        assertThat(Http.json(approved).path("type").asText()).isEqualTo("urn:problem-type:approvals:self-approval");
        assertThat(database()).isEqualTo(before);
        HttpResponse<String> withdrawn = Http.post(uri("/approvals/" + id + "/reject"), agent,
                "{\"reason\": \"not needed after all\"}", "If-Match", "\"1\"");
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
        assertThat(Http.json(withdrawn).path("status").asText()).isEqualTo("rejected");
    }

    @Test
    void anIdToken_isRefusedOnEveryApiRoute_andDecidesNothing() {
        UUID pending = seedPending();
        String idToken = JwtTokens.unsigned(JwtTokens.devIdTokenClaims("dev-alice", "alice", List.of("approvers"),
                LocalStack.LOCAL_ISSUER, LocalStack.LOCAL_CLIENT_ID, Instant.now(), Duration.ofHours(1)));
        List<List<Object>> before = database();

        HttpResponse<String> approve = Http.post(uri("/approvals/" + pending + "/approve"), idToken,
                "{\"expectedVersion\": 1}");
        HttpResponse<String> read = get("/approvals/" + pending, idToken);

        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(403);
        assertThat(approve.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(read.statusCode()).as(read.body()).isEqualTo(403);
        assertThat(database()).isEqualTo(before);
    }

    @Test
    void anAccessTokenWithoutTheDecideScope_gets403_butMayStillRead() {
        UUID pending = seedPending();
        String readOnly = accessToken("dev-alice", List.of("approvals/read"));
        List<List<Object>> before = database();

        HttpResponse<String> approve = Http.post(uri("/approvals/" + pending + "/approve"), readOnly,
                "{\"expectedVersion\": 1}");
        HttpResponse<String> reject = Http.post(uri("/approvals/" + pending + "/reject"), readOnly,
                "{\"expectedVersion\": 1}");
        HttpResponse<String> read = get("/approvals/" + pending, readOnly);

        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(403);
        assertThat(reject.statusCode()).as(reject.body()).isEqualTo(403);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(database()).isEqualTo(before);
        String noScope = accessToken("dev-alice", List.of());
        assertThat(Http.post(uri("/approvals/" + pending + "/approve"), noScope, "{\"expectedVersion\": 1}")
                .statusCode()).isEqualTo(403);
        assertThat(database()).isEqualTo(before);
    }

    @Test
    void aForgedHttpShapedDirectInvocation_isRefusedOnEveryPathButTheApis_andChangesNothing() throws Exception {
        UUID pending = seedPending();
        // events/approve-http.json as an IAM caller could send it: claims of an approver, no JWT anywhere.
        String forged = java.nio.file.Files.readString(Stacks.root().resolve("events/approve-http.json"))
                .replace("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f", pending.toString());
        List<List<Object>> before = database();

        for (String target : List.of("ApproveFunction:workflow", "ApproveFunction", "ApproveFunction:$LATEST",
                "ApproveFunction?Qualifier=workflow")) {
            HttpResponse<String> answer = invoke(target, forged);

            assertThat(answer.statusCode()).as(target).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-amz-function-error")).as(target).contains("Unhandled");
            assertThat(Http.json(answer).path("errorType").asText()).as(target)
                    .isEqualTo("dev.approvals.errors.InvocationRefusedException");
        }
        assertThat(database()).isEqualTo(before);
        assertThat(invoke("RejectFunction:workflow", forged).statusCode()).as("reject has no workflow alias")
                .isEqualTo(404);
        assertThat(database()).isEqualTo(before);
    }

    @Test
    void theWorkflowAlias_decidesAsTheDeploymentsActor_andRefusesAPayloadNamingAnother() {
        UUID pending = seedPending();
        String named = "{\"approvalId\": \"" + pending + "\", \"expectedVersion\": 1, \"actor\": \"alice\"}";
        List<List<Object>> before = database();

        HttpResponse<String> refused = invoke("ApproveFunction:workflow", named);

        assertThat(Http.json(refused).path("errorType").asText())
                .isEqualTo("dev.approvals.errors.InvalidDecisionRequestException");
        assertThat(database()).isEqualTo(before);
        HttpResponse<String> approved = invoke("ApproveFunction:workflow",
                "{\"approvalId\": \"" + pending + "\", \"expectedVersion\": 1}");
        assertThat(Http.json(approved).path("decidedBy").asText()).isEqualTo("workflow:auto-approval-policy");
    }

    private static HttpResponse<String> invoke(String target, String payload) {
        int query = target.indexOf('?');
        String function = query < 0 ? target : target.substring(0, query);
        String uri = stack.lambdaEndpoint() + "/2015-03-31/functions/"
                + java.net.URLEncoder.encode(function, java.nio.charset.StandardCharsets.UTF_8) + "/invocations"
                + (query < 0 ? "" : target.substring(query));
        return Http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build());
    }

    private static String accessToken(String subject, List<String> scopes) {
        return JwtTokens.unsigned(JwtTokens.devClaims(subject, subject, List.of("approvers"), scopes,
                LocalStack.LOCAL_ISSUER, LocalStack.LOCAL_CLIENT_ID, Instant.now(), Duration.ofHours(1)));
    }

    private static UUID seedPending() {
        return ApprovalSeeds.into(jdbc).pending(UUID.randomUUID()).id();
    }

    private static URI uri(String path) {
        return URI.create(stack.httpEndpoint() + path);
    }

    private static HttpResponse<String> get(String path, String token) {
        return Http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /** Every approval and audit event, to compare before and after a refused request. */
    static List<List<Object>> database() {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = jdbc.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : List.of("SELECT * FROM ai_approvals ORDER BY id", "SELECT * FROM ai_approval_events ORDER BY id")) {
                try (ResultSet rs = statement.executeQuery(sql)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= columns; i++) {
                            row.add(rs.getObject(i));
                        }
                        rows.add(row);
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

}
