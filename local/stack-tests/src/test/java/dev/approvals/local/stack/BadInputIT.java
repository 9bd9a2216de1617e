package dev.approvals.local.stack;


import dev.approvals.local.seeds.ApprovalSeeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes and requests a client can send that no JSON library or URI parser should be trusted with, through the
 * whole stack as a client sends them (written byte for byte on a socket): the HTTP API front door with the real
 * functions, and the Lambda Invoke endpoint. Every answer is a 4xx, the database is unchanged, and nothing of the
 * server shows (no stack trace, no exception name, no HTML page). Each goes to a real pending approval, so a
 * request wrongly accepted would decide it.
 */
class BadInputIT {

    private static LocalStack stack;
    private static UUID pending;

    @BeforeAll
    static void start() {
        stack = Stacks.shared();
        pending = ApprovalSeeds.into(stack.dataApi().dataSource(stack.dataApi().databaseName()))
                .pending(UUID.randomUUID()).id();
    }

    private static byte[] bytes(String text, Charset charset) {
        return text.getBytes(charset);
    }

    /** {"expectedVersion":1,"reason":"a<bytes>b"} with these bytes (hex) in the reason. */
    private static byte[] reasonWith(String hex) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.writeBytes("{\"expectedVersion\":1,\"reason\":\"a".getBytes(StandardCharsets.UTF_8));
        json.writeBytes(HexFormat.ofDelimiter(" ").parseHex(hex));
        json.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
        return json.toByteArray();
    }

    static Stream<Arguments> badBodies() {
        String json = "{\"expectedVersion\": 1}";
        return Stream.of(
                Arguments.of("read as UTF-32 by encoding detection", new byte[]{0, 0, 0, '{', 0, 0x11, 0, 0}),
                Arguments.of("UTF-16LE", bytes(json, StandardCharsets.UTF_16LE)),
                Arguments.of("UTF-16BE", bytes(json, StandardCharsets.UTF_16BE)),
                Arguments.of("UTF-16 with a BOM", bytes(json, StandardCharsets.UTF_16)),
                Arguments.of("UTF-32LE", bytes(json, Charset.forName("UTF-32LE"))),
                Arguments.of("reason ff fe", reasonWith("ff fe")),
                Arguments.of("reason overlong slash c0 af", reasonWith("c0 af")),
                Arguments.of("reason overlong e0 80 af", reasonWith("e0 80 af")),
                Arguments.of("reason CESU-8 surrogate ed a0 80", reasonWith("ed a0 80")),
                Arguments.of("reason lone continuation byte", reasonWith("80")),
                Arguments.of("reason truncated sequence", reasonWith("e2 82")),
                Arguments.of("reason beyond U+10FFFF", reasonWith("f4 90 80 80")));
    }

    @ParameterizedTest(name = "HTTP body {0}")
    @MethodSource("badBodies")
    void httpBodyThatIsNotUtf8Json_is400_andChangesNothing(String name, byte[] body) throws Exception {
        List<List<Object>> before = database();

        String answer = post("/approvals/" + pending + "/approve", "application/json", body, "");

        assertThat(answer).as(name).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("application/problem+json")
                .contains("UTF-8");
        assertNothingLeaked(answer);
        assertThat(database()).isEqualTo(before);
    }

    static Stream<Arguments> badRequests() {
        String body = "{\"expectedVersion\": 1}";
        return Stream.of(
                Arguments.of("raw braces around the id", "/approvals/{" + "%s" + "}/approve", "", body, "UUID"),
                Arguments.of("a pipe after the id", "/approvals/%s|/approve", "", body, "UUID"),
                Arguments.of("a quote and a caret after the id", "/approvals/%s\"^/approve", "", body, "UUID"),
                Arguments.of("a backslash after the id", "/approvals/%s\\/approve", "", body, "UUID"),
                Arguments.of("a tab inside Idempotency-Key", "/approvals/%s/approve", "Idempotency-Key: a\tb\r\n", body,
                        "Idempotency-Key"),
                Arguments.of("a control character before Idempotency-Key", "/approvals/%s/approve",
                        "Idempotency-Key: \u0001key\r\n", body, "Idempotency-Key"),
                Arguments.of("DEL after If-Match", "/approvals/%s/approve", "If-Match: \"1\"\u007f\r\n", "{}", "If-Match"));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @MethodSource("badRequests")
    void httpRequestWithOddCharacters_isAProblem400_fromTheFunction_andChangesNothing(
            String name, String path, String headers, String body, String named) throws Exception {
        List<List<Object>> before = database();

        String answer = post(path.formatted(pending), "application/json", body.getBytes(StandardCharsets.UTF_8),
                headers);

        assertThat(answer).as(name).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("application/problem+json")
                .contains(named);
        assertNothingLeaked(answer);
        assertThat(database()).isEqualTo(before);
    }

    @Test
    void requestTheFrontDoorCannotRead_isApiGateways400_andChangesNothing() throws Exception {
        List<List<Object>> before = database();
        for (String request : List.of("NOT HTTP AT ALL\r\n\r\n", "POST /approvals/" + pending + "/approve HTTP/1.1\r\n"
                + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nxx", "POST /approvals/" + pending + "/approve\u0000 HTTP/1.1\r\n\r\n")) {
            String answer = send(stack.httpEndpoint(), request.getBytes(StandardCharsets.ISO_8859_1));

            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").endsWith("{\"message\":\"Bad Request\"}");
            assertNothingLeaked(answer);
        }
        assertThat(database()).isEqualTo(before);
    }

    @ParameterizedTest(name = "Invoke payload {0}")
    @MethodSource("badBodies")
    void invokePayloadThatIsNotUtf8Json_isLambdas400InvalidRequestContent_andChangesNothing(String name, byte[] body)
            throws Exception {
        List<List<Object>> before = database();
        byte[] payload = name.startsWith("reason") ? directWithReasonOf(body) : body;

        String answer = send(stack.lambdaEndpoint(), request("/2015-03-31/functions/ApproveFunction/invocations",
                "application/json", payload, ""));

        assertThat(answer).as(name).startsWith("HTTP/1.1 400 ")
                .containsIgnoringCase("x-amzn-ErrorType: InvalidRequestContentException")
                .contains("\"Type\":\"User\"").contains("\"Message\":\"Could not parse request body into json: ");
        assertNothingLeaked(answer);
        assertThat(database()).isEqualTo(before);
    }

    /** The direct payload for the pending approval, with the bad reason bytes of an HTTP body case. */
    private static byte[] directWithReasonOf(byte[] httpBody) {
        String text = new String(httpBody, StandardCharsets.ISO_8859_1)
                .replace("{\"expectedVersion\":1,", "{\"approvalId\":\"" + pending + "\",\"expectedVersion\":1,"
                        + "\"actor\":\"bad-input\",");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertNothingLeaked(String answer) {
        assertThat(answer).doesNotContain("Exception:", "at dev.", "at java.", "<h1>", "URISyntax", "SQLState",
                "UPDATE ", "ai_approval", "Jackson", "CharConversion");
    }

    private static String post(String path, String contentType, byte[] body, String headers) throws Exception {
        return send(stack.httpEndpoint(), request(path, contentType, body,
                "Authorization: Bearer " + stack.devToken() + "\r\n" + headers));
    }

    private static byte[] request(String path, String contentType, byte[] body, String headers) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\n"
                + headers + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        return request.toByteArray();
    }

    /** Written byte for byte; the answer until the server closes the connection (never an empty reply). */
    private static String send(URI endpoint, byte[] request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.getPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("an answer, not a dropped connection").isNotEmpty();
            return answer;
        }
    }

    /** Every row of both tables, in a stable order: what a wrongly accepted request would change. */
    private static List<List<Object>> database() throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = stack.dataApi().dataSource(stack.dataApi().databaseName()).getConnection();
             Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT * FROM ai_approvals ORDER BY id",
                    "SELECT * FROM ai_approval_events ORDER BY approval_id, to_version")) {
                try (ResultSet result = statement.executeQuery(query)) {
                    while (result.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                            row.add(result.getObject(i));
                        }
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }
}
