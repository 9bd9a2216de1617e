package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Raw requests no SDK would send: answered in the service's error shape, nothing accepted, no internals shown. */
class BadRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalEventBridge events;

    @BeforeAll
    static void start() {
        events = LocalEventBridge.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    @ParameterizedTest(name = "{0} {1} [{2}] {3} -> {4} {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            POST | /  | AWSEvents.PutEvents    | {not json                       | 400 | SerializationException
            POST | /  | AWSEvents.PutEvents    | `[1, 2]`                        | 400 | SerializationException
            POST | /  | AWSEvents.PutEvents    | {}                              | 400 | ValidationException
            POST | /  | AWSEvents.PutEvents    | `{"Entries": []}`               | 400 | ValidationException
            POST | /  | AWSEvents.PutEvents    | `{"Entries": "x"}`              | 400 | SerializationException
            POST | /  | AWSEvents.PutEvents    | `{"Entries": [5]}`              | 400 | SerializationException
            POST | /  | AWSEvents.PutEvents    | `{"Entries": [{"Source": 5}]}`  | 400 | SerializationException
            POST | /  | AWSEvents.PutEvents    | `{"Entries": [{"Source": "a", "DetailType": "b", "Detail": "{}", "Time": "yesterday"}]}` | 400 | SerializationException
            POST | /  | AWSEvents.ListRules    | {}                              | 400 | UnknownOperationException
            POST | /  | Other.PutEvents        | {}                              | 400 | UnknownOperationException
            POST | /  |                        | {}                              | 400 | UnknownOperationException
            GET  | /  | AWSEvents.PutEvents    |                                 | 400 | UnknownOperationException
            POST | /x | AWSEvents.PutEvents    | {}                              | 400 | UnknownOperationException
            POST | /_local/events |                | {}                        | 405 | MethodNotAllowed
            """)
    void answersInTheServicesErrorShape(String method, String path, String target, String body, int status,
                                        String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(events.endpoint() + path))
                .header("Content-Type", "application/x-amz-json-1.1")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }

        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains(type);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("__type").asText()).isEqualTo(type);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception:").doesNotContain("\tat ").doesNotContain("dev.approvals");
        assertThat(events.received()).isEmpty();
    }
}
