package dev.approvals.local.dataapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a client that is not the SDK can send: raw HTTP, with malformed and incomplete requests. */
class BadInputIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalDataApi api;

    @BeforeAll
    static void setUp() {
        api = LocalDataApi.shared();
    }

    private static HttpResponse<String> send(String method, String path, String body, String contentType)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, "application/json");
    }

    private static String validExecute(String sql) {
        ObjectNode body = JSON.createObjectNode().put("resourceArn", api.clusterArn())
                .put("secretArn", api.secretArn()).put("sql", sql).put("includeResultMetadata", true);
        return body.toString();
    }

    /** Asserts the AWS error shape on the wire, and that nothing internal leaks. */
    private static JsonNode assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("__type").asText()).isEqualTo(type);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:").doesNotContain("dev.approvals");
        return body;
    }

    @AfterEach
    void serverStillServes() throws Exception {
        HttpResponse<String> ok = post("/Execute", validExecute("SELECT 1 AS one"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).at("/records/0/0/longValue").asLong()).isEqualTo(1);
    }

    @Test
    void malformedJson_shouldBeSerializationException() throws Exception {
        JsonNode body = assertError(post("/Execute", "{\"sql\": \"SELECT 1\""), 400, "SerializationException");
        assertThat(body.get("message").asText()).contains("not valid JSON");
        assertError(post("/BeginTransaction", "not json at all"), 400, "SerializationException");
    }

    @Test
    void jsonThatIsNotAnObjectOrHasWrongTypes_shouldBeSerializationException() throws Exception {
        assertError(post("/Execute", "[1, 2]"), 400, "SerializationException");
        assertError(post("/Execute", "{\"resourceArn\": 5, \"secretArn\": \"x\", \"sql\": \"SELECT 1\"}"), 400,
                "SerializationException");
        assertError(post("/Execute", validExecute("SELECT 1").replace("true", "\"yes\"")), 400,
                "SerializationException");
    }

    @Test
    void missingSql_shouldBeAValidationErrorNamingTheMember() throws Exception {
        String body = JSON.createObjectNode().put("resourceArn", api.clusterArn()).put("secretArn", api.secretArn())
                .toString();
        JsonNode error = assertError(post("/Execute", body), 400, "ValidationException");
        assertThat(error.get("message").asText()).isEqualTo("1 validation error detected: Value null at 'sql'"
                + " failed to satisfy constraint: Member must not be null");
    }

    @Test
    void emptyBodyOrMissingArns_shouldListEveryViolation() throws Exception {
        JsonNode error = assertError(send("POST", "/Execute", null, null), 400, "ValidationException");
        assertThat(error.get("message").asText()).startsWith("3 validation errors detected: ")
                .contains("'resourceArn'").contains("'secretArn'").contains("'sql'");
        JsonNode shortArn = assertError(post("/Execute", "{\"resourceArn\":\"arn\",\"secretArn\":\""
                + api.secretArn() + "\",\"sql\":\"SELECT 1\"}"), 400, "ValidationException");
        assertThat(shortArn.get("message").asText()).contains("Member must have length greater than or equal to 11");
        assertError(post("/CommitTransaction", "{\"resourceArn\":\"" + api.clusterArn() + "\",\"secretArn\":\""
                + api.secretArn() + "\"}"), 400, "ValidationException");
    }

    @Test
    void badEnumValue_shouldBeAValidationError() throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(validExecute("SELECT 1"));
        node.put("formatRecordsAs", "XML");
        JsonNode error = assertError(post("/Execute", node.toString()), 400, "ValidationException");
        assertThat(error.get("message").asText()).contains("Member must satisfy enum value set: [NONE, JSON]");
    }

    @Test
    void unknownPath_shouldBeUnknownOperation404() throws Exception {
        assertError(post("/Exec", validExecute("SELECT 1")), 404, "UnknownOperationException");
        assertError(send("GET", "/", null, null), 404, "UnknownOperationException");
    }

    @Test
    void wrongMethod_shouldBe405WithAllowPost() throws Exception {
        HttpResponse<String> response = send("GET", "/Execute", null, null);
        assertError(response, 405, "UnknownOperationException");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertError(send("PUT", "/BeginTransaction", "{}", "application/json"), 405, "UnknownOperationException");
    }

    @Test
    void queryStringAndAnyContentType_shouldBeAccepted() throws Exception {
        HttpResponse<String> response = send("POST", "/Execute?x=1", validExecute("SELECT 2"),
                "application/x-amz-json-1.1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void oversizedBody_shouldBeRefused() throws Exception {
        String huge = validExecute("SELECT '" + "x".repeat(4 * 1024 * 1024) + "'");
        HttpResponse<String> response = post("/Execute", huge);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("RequestEntityTooLargeException");
    }

    @Test
    void parameterWithNoField_shouldBeBadRequest() throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(validExecute("SELECT :x"));
        node.putArray("parameters").addObject().put("name", "x").putObject("value");
        JsonNode error = assertError(post("/Execute", node.toString()), 400, "BadRequestException");
        assertThat(error.get("message").asText()).isEqualTo("Parameter \"x\" has value with no field set");
    }

    @Test
    void successResponses_shouldCarryTheWireDetailsClientsRelyOn() throws Exception {
        HttpResponse<String> response = post("/Execute", validExecute(
                "SELECT 1::int AS n, NULL::text AS t"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("numberOfRecordsUpdated").isIntegralNumber()).isTrue();
        assertThat(body.at("/records/0/1/isNull").asBoolean()).isTrue();
        JsonNode column = body.at("/columnMetadata/0");
        assertThat(column.size()).isEqualTo(14);
        assertThat(column.get("nullable").isInt()).as("nullable is an int, not a boolean").isTrue();
        assertThat(column.get("isSigned").isBoolean()).isTrue();
        assertThat(column.get("type").asInt()).isEqualTo(java.sql.Types.INTEGER);
        assertThat(body.has("formattedRecords")).isFalse();
    }

    @Test
    void doubleValueSpecialStrings_shouldBeAccepted() throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(validExecute("SELECT :d::float8 = 'NaN'::float8"));
        node.putArray("parameters").addObject().put("name", "d").putObject("value").put("doubleValue", "NaN");
        HttpResponse<String> response = post("/Execute", node.toString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/records/0/0/booleanValue").asBoolean()).isTrue();
    }
}
