package dev.approvals.local.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.PoolSettings;
import dev.approvals.local.stack.Stacks;
import dev.approvals.local.testfunctions.TestFunctions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API front door with real functions under the RIC: the payload 2.0 event the function receives, its
 * answer turned back into HTTP, and API Gateway's own answers (404, 401, 502 for function errors, malformed answers
 * and function timeouts, 503 when the integration timeout passes first).
 */
class HttpApiServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(ProxySelector.of(null))
            .version(HttpClient.Version.HTTP_1_1).build();
    private static TestFunctions functions;
    private static HttpApiServer api;

    @BeforeAll
    static void start() {
        functions = new TestFunctions("http-api");
        // Timeout 2 s: /sleep (4 s) times out in the function, before the 3 s integration timeout
        LambdaFunction front = functions.start(TestFunctions.spec("FrontFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(2), Map.of()), PoolSettings.of(1, 2));
        // Timeout 20 s: /sleep outlasts the (shortened) 3 s integration timeout instead
        LambdaFunction slow = functions.start(TestFunctions.spec("SlowFunction", TestFunctions.HANDLER,
                Duration.ofSeconds(20), Map.of()), PoolSettings.of(1, 1));
        RouteTable routes = new RouteTable(List.of(
                new Route("ANY", "/slow/{proxy+}", "SlowFunction", null),
                new Route("POST", "/items/{id}/{action}", "FrontFunction", "JwtAuthorizer"),
                new Route("ANY", "/{proxy+}", "FrontFunction", null)));
        api = HttpApiServer.start(0, routes, Map.of("FrontFunction", front, "SlowFunction", slow),
                new HttpApiServer.Settings(Duration.ofSeconds(3), new HttpApiEvents.ApiContext("123456789012", "local",
                        "$default")), Clock.systemUTC(), functions.log().prefixed("http"));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (functions != null) {
            functions.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(api.endpoint() + pathAndQuery));
    }

    /** The event the function received, echoed back by /echo. */
    private static JsonNode echoed(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void event_shouldBePayloadFormat20AsApiGatewaySendsIt() throws Exception {
        // GIVEN a request with repeated headers, cookies, a query string and a JSON body
        long before = Instant.now().toEpochMilli();
        HttpResponse<String> response = send(request("/echo?tag=a&tag=b&q=x%20y")
                .header("X-Custom", "one").header("X-Custom", "two").header("Cookie", "s=1; t=2")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"k\":1}")));

        // THEN
        JsonNode event = echoed(response);
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("ANY /{proxy+}");
        assertThat(event.path("rawPath").asText()).isEqualTo("/echo");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("tag=a&tag=b&q=x%20y");
        assertThat(event.path("queryStringParameters").path("tag").asText()).isEqualTo("a,b");
        assertThat(event.path("queryStringParameters").path("q").asText()).isEqualTo("x y");
        assertThat(event.path("pathParameters").path("proxy").asText()).isEqualTo("echo");
        JsonNode headers = event.path("headers");
        headers.fieldNames().forEachRemaining(name -> assertThat(name).isLowerCase());
        assertThat(headers.path("x-custom").asText()).isEqualTo("one,two");
        assertThat(headers.path("content-type").asText()).isEqualTo("application/json");
        assertThat(headers.path("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(headers.path("x-amzn-trace-id").asText()).startsWith("Root=1-");
        assertThat(headers.has("cookie")).isFalse();
        assertThat(event.path("cookies")).hasSize(2);
        assertThat(event.path("cookies").get(0).asText()).isEqualTo("s=1");
        assertThat(event.path("body").asText()).isEqualTo("{\"k\":1}");
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = event.path("requestContext");
        assertThat(context.path("http").path("method").asText()).isEqualTo("POST");
        assertThat(context.path("http").path("path").asText()).isEqualTo("/echo");
        assertThat(context.path("http").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.path("routeKey").asText()).isEqualTo("ANY /{proxy+}");
        assertThat(context.path("stage").asText()).isEqualTo("$default");
        assertThat(context.path("timeEpoch").asLong()).as("milliseconds").isBetween(before, Instant.now().toEpochMilli());
        assertThat(context.path("requestId").asText()).isEqualTo(response.headers().firstValue("apigw-requestid")
                .orElseThrow());
        assertThat(context.has("authorizer")).as("no JWT authorizer on this route").isFalse();
        assertThat(response.headers().firstValue("x-echo")).contains("yes");
    }

    @Test
    void requestId_shouldBeFreshForEveryRequest() throws Exception {
        Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(echoed(send(request("/echo"))).path("requestContext").path("requestId").asText());
        }
        assertThat(ids).hasSize(3);
    }

    @Test
    void binaryBody_shouldArriveBase64Encoded() throws Exception {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        JsonNode event = echoed(send(request("/echo").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))));

        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(event.path("body").asText())).isEqualTo(bytes);
    }

    @Test
    void bearerToken_shouldBeDecodedIntoFlattenedClaims() throws Exception {
        String token = JwtTokens.unsigned(JwtTokens.devClaims("user-1", "bob", List.of("approvers", "admins"),
                "https://issuer", "client", Instant.now(), Duration.ofHours(1)));

        JsonNode event = echoed(send(request("/items/42/echo").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())));

        // the route POST /items/{id}/{action} beats the greedy ANY /{proxy+}
        assertThat(event.path("routeKey").asText()).isEqualTo("POST /items/{id}/{action}");
        assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("42");
        JsonNode jwt = event.path("requestContext").path("authorizer").path("jwt");
        assertThat(jwt.path("claims").path("sub").asText()).isEqualTo("user-1");
        assertThat(jwt.path("claims").path("cognito:groups").asText()).isEqualTo("[approvers admins]");
        assertThat(jwt.path("claims").path("exp").isTextual()).isTrue();
        assertThat(jwt.path("scopes").toString())
                .isEqualTo("[\"approvals/read\",\"approvals/propose\",\"approvals/decide\"]");
    }

    @Test
    void malformedOrExpiredToken_shouldBeRefusedWith401BeforeTheFunction() throws Exception {
        String expired = JwtTokens.unsigned(JwtTokens.devClaims("user-1", "bob", List.of(), "i", "c",
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)));
        for (String value : List.of("Bearer not-a-jwt", "Bearer " + expired, "Bearer a.b.c")) {
            HttpResponse<String> response = send(request("/items/42/echo").header("Authorization", value)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(response.statusCode()).as(value).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
    }

    @Test
    void noToken_shouldReachTheFunctionWithoutAnAuthorizerBlock() throws Exception {
        JsonNode event = echoed(send(request("/items/42/echo").POST(HttpRequest.BodyPublishers.noBody())));
        assertThat(event.path("requestContext").has("authorizer")).isFalse();
    }

    @Test
    void functionAnswers_shouldBecomeHttpAsPayloadFormat20Says() throws Exception {
        HttpResponse<String> inferred = send(request("/inferred"));
        assertThat(inferred.statusCode()).isEqualTo(200);
        assertThat(inferred.headers().firstValue("content-type")).contains("application/json");
        assertThat(inferred.body()).isEqualTo("{\"hello\":\"world\"}");

        HttpResponse<byte[]> binary = HTTP.send(request("/binary").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(binary.body()).isEqualTo(java.util.Base64.getDecoder().decode("iVBORw0KGgo="));
        assertThat(binary.headers().firstValue("content-type")).contains("image/png");

        HttpResponse<String> cookies = send(request("/cookies"));
        assertThat(cookies.statusCode()).isEqualTo(201);
        assertThat(cookies.headers().allValues("set-cookie")).containsExactly("a=1; Path=/", "b=2");
        assertThat(cookies.headers().allValues("x-multi")).containsExactly("one", "two");
    }

    @Test
    void functionErrorOrMalformedAnswerOrFunctionTimeout_shouldBe502() throws Exception {
        for (String path : List.of("/throw", "/malformed", "/sleep")) {
            HttpResponse<String> response = send(request(path));
            assertThat(response.statusCode()).as(path).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}");
        }
        assertThat(functions.lines()).anyMatch(l -> l.contains("FrontFunction failed: Sandbox.Timedout"));
    }

    @Test
    void integrationTimeout_shouldBe503WhileTheInvocationRunsOn() throws Exception {
        HttpResponse<String> response = send(request("/slow/sleep"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void unknownRoute_shouldBe404() throws Exception {
        HttpApiServer only = HttpApiServer.start(0, new RouteTable(List.of(new Route("POST", "/items/{id}",
                "FrontFunction", null))), Map.of("FrontFunction", unusedFunction()), HttpApiServer.Settings.defaults("1"),
                Clock.systemUTC(), line -> { });
        try {
            for (HttpRequest.Builder request : List.of(
                    HttpRequest.newBuilder(URI.create(only.endpoint() + "/nothing")),
                    HttpRequest.newBuilder(URI.create(only.endpoint() + "/items/1")).GET(),
                    HttpRequest.newBuilder(URI.create(only.endpoint() + "/items/1/more"))
                            .POST(HttpRequest.BodyPublishers.noBody()))) {
                HttpResponse<String> notFound = send(request);
                assertThat(notFound.statusCode()).isEqualTo(404);
                assertThat(notFound.body()).isEqualTo("{\"message\":\"Not Found\"}");
                assertThat(notFound.headers().firstValue("apigw-requestid")).isPresent();
            }
        } finally {
            only.close();
        }
    }

    private static LambdaFunction unusedFunction() {
        // any started function will do: the routes above never reach it
        return functions.start(TestFunctions.spec("Unused", TestFunctions.HANDLER, Duration.ofSeconds(5), Map.of()),
                PoolSettings.of(0, 1));
    }

    /** One request written byte for byte on its own connection; the whole answer as ISO-8859-1 text. */
    private static String raw(String request) throws Exception {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String raw(byte[] request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode rawEchoed(String answer) throws Exception {
        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void rawBraceInThePath_shouldBeRoutedAsSent_neverTheJdksErrorPage() throws Exception {
        String answer = raw("POST /items/{5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f}/echo HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");

        assertThat(answer).doesNotContain("URISyntaxException", "<h1>");
        JsonNode event = rawEchoed(answer);
        assertThat(event.path("rawPath").asText()).isEqualTo("/items/{5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f}/echo");
        assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("{5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f}");
    }

    @Test
    void tabInsideAHeaderValue_shouldReachTheFunctionAsATab_withTheSpacesAroundItDropped() throws Exception {
        JsonNode event = rawEchoed(raw("GET /echo HTTP/1.1\r\nHost: x\r\nIdempotency-Key: \t a\tb \t\r\n"
                + "Connection: close\r\n\r\n"));

        assertThat(event.path("headers").path("idempotency-key").asText()).isEqualTo("a\tb");
    }

    @Test
    void statusLines_shouldCarryTheirReasonPhrases() throws Exception {
        Map<Integer, String> phrases = Map.of(200, "OK", 400, "Bad Request", 409, "Conflict", 413, "Content Too Large",
                415, "Unsupported Media Type", 422, "Unprocessable Content", 428, "Precondition Required",
                503, "Service Unavailable");
        for (var phrase : phrases.entrySet()) {
            String answer = raw("GET /status-" + phrase.getKey() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 " + phrase.getKey() + " " + phrase.getValue() + "\r\n");
        }
    }

    @Test
    void textBodyThatIsNotUtf8_shouldReachTheFunctionBase64Encoded_asSent() throws Exception {
        byte[] body = {'{', '"', 'r', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        JsonNode event = echoed(send(request("/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));

        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(event.path("body").asText())).isEqualTo(body);
    }

    @Test
    void chunkedBody_andExpectContinue_shouldBeRead() throws Exception {
        String answer = raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n");
        assertThat(JSON.readTree(answer.substring(answer.lastIndexOf("\r\n\r\n") + 4)).path("body").asText())
                .isEqualTo("abcde");
    }

    @Test
    void twoRequestsOnOneConnection_shouldBothBeAnswered() throws Exception {
        String one = "GET /status-204 HTTP/1.1\r\nHost: x\r\n\r\n";
        String answer = raw(one + one.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));

        assertThat(answer.split("HTTP/1.1 204 No Content\r\n", -1)).hasSize(3);
    }

    @Test
    void requestThatIsNotHttp_shouldBe400WithApiGatewaysMessage_andNothingOfTheServer() throws Exception {
        for (String request : List.of("GARBAGE\r\n\r\n", "GET /echo HTTP/1.1\r\nBad Header: x\r\n\r\n",
                "GET /echo HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                "POST /echo HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "GET /e\u0001cho HTTP/1.1\r\n\r\n", "GET echo HTTP/1.1\r\n\r\n")) {
            String answer = raw(request);

            assertThat(answer).as(request).startsWith("HTTP/1.1 400 Bad Request\r\n")
                    .endsWith("\r\n\r\n{\"message\":\"Bad Request\"}").contains("apigw-requestid: ")
                    .doesNotContain("Exception", "<h1>");
        }
    }

    @Test
    void bodyAnnouncedOverTenMegabytes_shouldBe413_withoutReadingIt() throws Exception {
        String answer = raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10485761\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 Content Too Large\r\n")
                .endsWith("{\"message\":\"Request Entity Too Large\"}");
    }

    @Test
    void stop_shouldFreeThePort() throws Exception {
        HttpApiServer extra = HttpApiServer.start(0, new RouteTable(List.of()), Map.of(),
                HttpApiServer.Settings.defaults("1"), Clock.systemUTC(), line -> { });
        int port = extra.port();
        assertThat(Stacks.listening(port)).as("listening while open").isTrue();
        extra.close();
        assertThat(Stacks.listening(port)).as("listening once closed").isFalse();
    }
}
