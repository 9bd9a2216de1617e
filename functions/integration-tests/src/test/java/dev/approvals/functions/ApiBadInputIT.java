package dev.approvals.functions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.approvals.core.ListPosition;
import dev.approvals.core.ListQuery;
import dev.approvals.http.Cursors;
import dev.approvals.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed read, list and propose requests (query parameters, cursors, payload size and depth, dates, keys,
 * methods): each gets a 4xx problem, changes nothing in the database and shows no stack trace, SQL or internals.
 * They run against a database with real approvals, so a wrongly accepted request would show.
 */
class ApiBadInputIT {

    private static LocalApprovals local;
    private static UUID pending;

    @BeforeAll
    static void start() {
        local = LocalApprovals.create("apibadinput");
        pending = local.seedPending();
        local.seedPending();
    }

    /** Which function gets the request. */
    enum Target {
        READ, PROPOSE;

        RequestStreamHandler handler() {
            return this == READ ? local.read : local.propose;
        }
    }

    private static Arguments bad(String name, int status, Target target, Supplier<EventBuilder> event) {
        return Arguments.of(name, status, target, event);
    }

    private static Arguments read(String name, int status, Function<EventBuilder, EventBuilder> edit) {
        return bad(name, status, Target.READ, () -> edit.apply(ApiEvents.read(pending)));
    }

    private static Arguments list(String name, Supplier<String> rawQuery) {
        return bad(name, 400, Target.READ, () -> ApiEvents.list(rawQuery.get()));
    }

    private static Arguments propose(String name, int status, Supplier<String> body) {
        return bad(name, status, Target.PROPOSE, () -> ApiEvents.propose(body.get(), "bad-" + UUID.randomUUID()));
    }

    private static Arguments proposeWith(String name, Map<String, Object> members) {
        return propose(name, 400, () -> Json.write(members));
    }

    static Stream<Arguments> malformedRequests() {
        String tooDeep = "{\"a\":".repeat(33) + "1" + "}".repeat(33);
        String absurdlyDeep = "[".repeat(5000) + "]".repeat(5000);
        return Stream.of(
                // GET /approvals/{id}
                read("id is not a UUID", 400, e -> e.set("pathParameters", Map.of("id", "not-a-uuid"))),
                read("id carries SQL", 400, e -> e.set("pathParameters", Map.of("id", "1' OR '1'='1"))),
                read("id is missing", 400, e -> e.set("pathParameters", null)),
                read("If-None-Match is not an entity tag", 400, e -> e.header("if-none-match", "1")),
                read("If-None-Match is cut short", 400, e -> e.header("if-none-match", "\"1")),
                read("method is POST", 405, e -> method(e, "POST")),
                read("method is DELETE", 405, e -> method(e, "DELETE")),
                read("no authenticated caller", 401, ApiBadInputIT::withoutAuthorizer),
                // GET /approvals
                list("limit is 0", () -> "limit=0"),
                list("limit is 101", () -> "limit=101"),
                list("limit is negative", () -> "limit=-1"),
                list("limit is a word", () -> "limit=ten"),
                list("limit is fractional", () -> "limit=1.5"),
                list("limit is empty", () -> "limit="),
                list("limit is huge", () -> "limit=99999999999999999999"),
                list("limit is given twice", () -> "limit=5&limit=6"),
                list("status is unknown", () -> "status=waiting"),
                list("status is in capitals", () -> "status=PENDING"),
                list("status is a list", () -> "status=pending,approved"),
                list("status is given twice", () -> "status=pending&status=approved"),
                list("actionType is too long", () -> "actionType=" + "a".repeat(101)),
                list("actionType carries SQL", () -> "actionType=refund%27%20OR%20%271%27%3D%271"),
                list("an unknown parameter", () -> "orderBy=requested_at%20DESC"),
                list("percent-encoding is broken", () -> "status=%E0%A4%A"),
                list("query is not UTF-8", () -> "actionType=%FF%FE"),
                list("cursor is not base64url", () -> "cursor=!!!not-a-cursor!!!"),
                list("cursor is empty", () -> "cursor="),
                list("cursor is cut short", () -> "cursor=" + realCursor().substring(0, 40)),
                list("cursor has one character changed", () -> "cursor=" + flip(realCursor(), 10)),
                list("cursor is from another listing", () -> "status=approved&cursor=" + realCursor()),
                list("cursor is in another format", () -> "cursor=" + reformatted(realCursor(), (byte) 2)),
                list("cursor is signed with another key", () -> "cursor=" + forged()),
                list("cursor is absurdly long", () -> "cursor=" + "A".repeat(5000)),
                bad("list by POST", 405, Target.READ, () -> method(ApiEvents.list("limit=5"), "POST")),
                // POST /approvals
                propose("body is not JSON", 400, () -> "{\"actionType\": \"refund\","),
                propose("body is an array", 400, () -> "[{\"actionType\": \"refund\"}]"),
                propose("body is empty", 400, () -> ""),
                propose("body has a duplicate key", 400, () -> "{\"actionType\":\"a\",\"actionType\":\"b\",\"actionPayload\":{}}"),
                proposeWith("actionType is missing", Map.of("actionPayload", Map.of())),
                proposeWith("actionType is empty", Map.of("actionType", "", "actionPayload", Map.of())),
                proposeWith("actionType is a number", Map.of("actionType", 42, "actionPayload", Map.of())),
                proposeWith("actionType is too long", Map.of("actionType", "x".repeat(101), "actionPayload", Map.of())),
                proposeWith("actionType has spaces", Map.of("actionType", "drop table", "actionPayload", Map.of())),
                proposeWith("actionPayload is missing", Map.of("actionType", "refund")),
                proposeWith("actionPayload is an array", Map.of("actionType", "refund", "actionPayload", List.of(1))),
                proposeWith("actionPayload is a string", Map.of("actionType", "refund", "actionPayload", "{}")),
                proposeWith("actionPayload is over 64 KiB", Map.of("actionType", "refund",
                        "actionPayload", Map.of("blob", "x".repeat(64 * 1024)))),
                propose("body is over 128 KiB", 413, () -> "{\"actionType\":\"refund\",\"actionPayload\":{\"blob\":\""
                        + "x".repeat(129 * 1024) + "\"}}"),
                propose("actionPayload nests 33 levels", 400, () -> "{\"actionType\":\"refund\",\"actionPayload\":" + tooDeep + "}"),
                propose("body nests 5000 levels", 400, () -> "{\"actionType\":\"refund\",\"actionPayload\":{\"a\":" + absurdlyDeep + "}}"),
                propose("actionPayload holds a NUL", 400, () -> "{\"actionType\":\"refund\",\"actionPayload\":{\"note\":\"a\\u0000b\"}}"),
                propose("actionPayload key is a lone surrogate", 400, () -> "{\"actionType\":\"refund\",\"actionPayload\":{\"\\ud800\":1}}"),
                propose("actionPayload number beyond PostgreSQL's numeric", 400, () -> "{\"actionType\":\"refund\",\"actionPayload\":{\"amount\":1e999999}}"),
                propose("actionPayload number with 16384 decimals", 400, () -> "{\"actionType\":\"refund\",\"actionPayload\":{\"amount\":1e-16384}}"),
                proposeWith("expiresAt is in the past", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "expiresAt", Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString())),
                proposeWith("expiresAt is 31 days ahead", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "expiresAt", Instant.now().plus(31, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())),
                proposeWith("expiresAt is a word", Map.of("actionType", "refund", "actionPayload", Map.of(), "expiresAt", "tomorrow")),
                proposeWith("expiresAt has no offset", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "expiresAt", Instant.now().plus(1, ChronoUnit.DAYS).toString().replace("Z", ""))),
                proposeWith("expiresAt is a date only", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "expiresAt", Instant.now().plus(1, ChronoUnit.DAYS).toString().substring(0, 10))),
                proposeWith("expiresAt is not a calendar date", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "expiresAt", "2027-02-30T10:00:00Z")),
                proposeWith("expiresAt is a number", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "expiresAt", 1796000000)),
                proposeWith("requestedBy is smuggled in", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "requestedBy", "ceo")),
                proposeWith("status is smuggled in", Map.of("actionType", "refund", "actionPayload", Map.of(),
                        "status", "approved")),
                bad("Idempotency-Key is too long", 400, Target.PROPOSE,
                        () -> ApiEvents.propose(ApiEvents.refund(1), "k".repeat(256))),
                bad("Idempotency-Key is not ASCII", 400, Target.PROPOSE, () -> ApiEvents.propose(ApiEvents.refund(1), "clé")),
                bad("content type is not JSON", 415, Target.PROPOSE,
                        () -> ApiEvents.propose(ApiEvents.refund(1), null).header("content-type", "text/csv")),
                bad("body is base64 garbage", 400, Target.PROPOSE,
                        () -> ApiEvents.propose("@@@", null).set("isBase64Encoded", true)),
                bad("propose by GET", 405, Target.PROPOSE, () -> method(ApiEvents.propose(ApiEvents.refund(1), null), "GET")),
                bad("propose without a caller", 401, Target.PROPOSE,
                        () -> withoutAuthorizer(ApiEvents.propose(ApiEvents.refund(1), null))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("malformedRequests")
    void malformedRequest_isA4xxProblem_thatChangesNothing_andLeaksNothing(String name, int status, Target target,
                                                                           Supplier<EventBuilder> event) {
        List<Map<String, Object>> before = local.everything();

        Answer answer = Answer.invoke(target.handler(), event.get().bytes());

        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(answer.body()).containsEntry("status", status).containsKeys("type", "title", "detail", "requestId");
        assertThat(answer.raw()).doesNotContain("Exception", "at dev.", "at java.", "SQLState", "SELECT", "INSERT",
                "ai_approvals", "jackson", LocalApprovals.CURSOR_SIGNING_KEY);
        if (status == 405) {
            assertThat(answer.headers()).containsEntry("Allow", target == Target.READ ? "GET" : "POST");
        }
        assertThat(local.everything()).isEqualTo(before);
    }

    @Test
    void atLeastFortyKindsOfMalformedRequestAreCovered() {
        assertThat(malformedRequests().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aDirectInvocation_ofAnHttpOnlyFunction_isRefused_byName() {
        byte[] payload = "{\"approvalId\": \"5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f\"}".getBytes(StandardCharsets.UTF_8);

        for (RequestStreamHandler handler : List.of(local.read, local.propose)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Answer.invoke(handler, payload))
                    .isInstanceOf(dev.approvals.errors.InvalidDecisionRequestException.class)
                    .hasMessageContaining("API Gateway HTTP events only");
        }
    }

    /** The cursor of the first page of an unfiltered listing, one item per page. */
    private static String realCursor() {
        return (String) Answer.invoke(local.read, ApiEvents.list("limit=1").bytes()).body().get("nextCursor");
    }

    private static String flip(String cursor, int index) {
        char c = cursor.charAt(index);
        return cursor.substring(0, index) + (c == 'Q' ? 'R' : 'Q') + cursor.substring(index + 1);
    }

    private static String reformatted(String cursor, byte format) {
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        bytes[0] = format;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A well-formed cursor for the same listing, signed with a key that is not the function's. */
    private static String forged() {
        Cursors other = new Cursors("another key of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));
        ListQuery query = new ListQuery(Optional.empty(), Optional.empty(), 1, Optional.empty());
        return other.encode(new ListPosition(0, pending), query);
    }

    private static EventBuilder method(EventBuilder event, String method) {
        Map<String, Object> context = new LinkedHashMap<>(requestContext(event));
        Map<String, Object> http = new LinkedHashMap<>(dev.approvals.testing.Events.at(context, "http"));
        http.put("method", method);
        context.put("http", http);
        return event.set("requestContext", context);
    }

    private static EventBuilder withoutAuthorizer(EventBuilder event) {
        Map<String, Object> context = new LinkedHashMap<>(requestContext(event));
        context.remove("authorizer");
        return event.set("requestContext", context);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requestContext(EventBuilder event) {
        return (Map<String, Object>) event.map().get("requestContext");
    }
}
