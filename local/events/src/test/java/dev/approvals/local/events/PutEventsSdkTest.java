package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PutEvents as the unmodified SDK EventBridgeClient sees it, and what the stand-in does with the events. */
class PutEventsSdkTest {

    static final String BUS = "approvals-events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingInvoker INVOKER = new RecordingInvoker();
    private static LocalEventBridge events;
    private static EventBridgeClient client;

    @BeforeAll
    static void start() {
        EventRule decided = new EventRule("DecidedToExecutor", BUS,
                EventPattern.parse("{\"source\": [\"dev.approvals\"], \"detail-type\": [\"ApprovalDecided\"],"
                        + " \"detail\": {\"status\": [\"approved\"]}}"),
                List.of(Target.of("executor",
                        "arn:aws:lambda:us-east-1:123456789012:function:ExecuteActionFunction:live")), true);
        EventRule requested = new EventRule("RequestedToTopic", BUS,
                EventPattern.parse("{\"detail-type\": [\"ApprovalRequested\"]}"),
                List.of(Target.of("topic", "arn:aws:sns:us-east-1:123456789012:approvers")), true);
        events = LocalEventBridge.builder().port(0).rules(List.of(decided, requested)).invoker(INVOKER)
                .retryDelays(List.of(Duration.ofMillis(10), Duration.ofMillis(10))).start();
        client = EventBridgeClient.builder().endpointOverride(events.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        events.close();
    }

    private static PutEventsRequestEntry.Builder decided(String status) {
        return PutEventsRequestEntry.builder().eventBusName(BUS).source("dev.approvals").detailType("ApprovalDecided")
                .resources("approval/11111111-1111-1111-1111-111111111111")
                .detail("{\"status\": \"" + status + "\", \"version\": 2}");
    }

    @Test
    void putEvents_answersWithAnEventIdPerEntry_andDeliversMatchesToTheFunctionAsAnEnvelope() throws Exception {
        PutEventsResponse response = client.putEvents(b -> b.entries(decided("approved").build(),
                decided("rejected").build()));

        assertThat(response.failedEntryCount()).isZero();
        assertThat(response.entries()).hasSize(2).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
        String approvedId = response.entries().getFirst().eventId();
        Eventually.until(Duration.ofSeconds(10), () -> INVOKER.calls.stream()
                .anyMatch(c -> c.payload().contains(approvedId)));
        RecordingInvoker.Call call = INVOKER.calls.stream().filter(c -> c.payload().contains(approvedId)).findFirst()
                .orElseThrow();
        assertThat(call.function()).isEqualTo("ExecuteActionFunction");
        assertThat(call.qualifier()).contains("live");
        JsonNode envelope = JSON.readTree(call.payload());
        assertThat(envelope.get("version").asText()).isEqualTo("0");
        assertThat(envelope.get("id").asText()).isEqualTo(approvedId);
        assertThat(envelope.get("detail-type").asText()).isEqualTo("ApprovalDecided");
        assertThat(envelope.get("source").asText()).isEqualTo("dev.approvals");
        assertThat(envelope.get("account").asText()).isEqualTo("123456789012");
        assertThat(envelope.get("region").asText()).isEqualTo("us-east-1");
        assertThat(Instant.parse(envelope.get("time").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(envelope.get("resources").get(0).asText()).startsWith("approval/");
        assertThat(envelope.get("detail").get("status").asText()).isEqualTo("approved");
        String rejectedId = response.entries().get(1).eventId();
        assertThat(INVOKER.calls).noneMatch(c -> c.payload().contains(rejectedId));
        ReceivedEvent rejected = received(rejectedId);
        assertThat(rejected.matchedRules()).isEmpty();
    }

    @Test
    void theDetailsNumbers_reachTheTargetAsSent_notRoundedToADouble() throws Exception {
        String detail = "{\"status\": \"approved\", \"actionPayload\": {\"amount\": 12345678901234567.89, "
                + "\"rate\": 1.50, \"count\": 123456789012345678901234567890}}";
        String id = client.putEvents(b -> b.entries(decided("approved").detail(detail).build())).entries().getFirst()
                .eventId();

        Eventually.until(Duration.ofSeconds(10), () -> INVOKER.calls.stream().anyMatch(c -> c.payload().contains(id)));
        String payload = INVOKER.calls.stream().filter(c -> c.payload().contains(id)).findFirst().orElseThrow()
                .payload();
        assertThat(payload).contains("\"amount\":12345678901234567.89", "\"rate\":1.50",
                "\"count\":123456789012345678901234567890");
    }

    @Test
    void entriesFailOneByOne_withTheServicesErrorCodes() {
        PutEventsResponse response = client.putEvents(b -> b.entries(
                decided("approved").build(),
                decided("approved").source(null).build(),
                decided("approved").detailType(null).build(),
                decided("approved").detail("{not json").build(),
                decided("approved").detail("[1, 2]").build(),
                decided("approved").eventBusName("no-such-bus").build(),
                decided("approved").source("aws.events").build()));

        assertThat(response.failedEntryCount()).isEqualTo(6);
        assertThat(response.entries().getFirst().eventId()).isNotBlank();
        assertThat(response.entries().subList(1, 7)).extracting(e -> e.errorCode()).containsExactly(
                "InvalidArgument", "InvalidArgument", "MalformedDetail", "MalformedDetail", "InvalidArgument",
                "NotAuthorizedForSourceException");
        assertThat(response.entries().get(1).errorMessage()).isEqualTo(
                "Parameter Source is not valid. Reason: Source is a required argument.");
        assertThat(response.entries().subList(1, 7)).allSatisfy(e -> assertThat(e.eventId()).isNull());
    }

    @Test
    void moreThanTenEntries_orMoreThan256KB_failTheWholeRequest_asValidationException() {
        List<PutEventsRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(decided("approved").build());
        }
        int before = events.received().size();

        assertThatThrownBy(() -> client.putEvents(b -> b.entries(eleven)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("less than or equal to 10");
                });
        String big = "{\"blob\": \"" + "x".repeat(PutEvents.MAX_BYTES) + "\"}";
        assertThatThrownBy(() -> client.putEvents(b -> b.entries(decided("approved").detail(big).build())))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("over the limit");
                });
        assertThat(events.received()).hasSize(before);
    }

    @Test
    void anEntryOfExactly256KB_isAccepted() {
        PutEventsRequestEntry probe = decided("approved").detail("{}").build();
        int overhead = probe.source().length() + probe.detailType().length() + probe.resources().getFirst().length();
        String detail = "{\"blob\": \"" + "y".repeat(PutEvents.MAX_BYTES - overhead - 12) + "\"}";
        assertThat(overhead + detail.length()).isEqualTo(PutEvents.MAX_BYTES);

        PutEventsResponse response = client.putEvents(b -> b.entries(decided("rejected").detail(detail).build()));

        assertThat(response.failedEntryCount()).isZero();
    }

    @Test
    void anSnsTarget_isRecordedAsDelivered_withoutSending() {
        String id = client.putEvents(b -> b.entries(decided("x").detailType("ApprovalRequested").build()))
                .entries().getFirst().eventId();

        ReceivedEvent event = received(id);
        assertThat(event.matchedRules()).containsExactly("RequestedToTopic");
        assertThat(event.deliveries()).singleElement()
                .satisfies(d -> assertThat(d.status()).isEqualTo(Delivery.Status.RECORDED));
    }

    @Test
    void aFunctionError_isRetriedTwice_thenTheDeliveryFails() {
        INVOKER.failures.set(3);
        String id = client.putEvents(b -> b.entries(decided("approved").build())).entries().getFirst().eventId();

        Delivery delivery = received(id).deliveries().getFirst();
        Eventually.until(Duration.ofSeconds(10), () -> delivery.status() != Delivery.Status.PENDING);
        assertThat(delivery.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.lastError()).isEqualTo("java.lang.IllegalStateException");
        assertThat(INVOKER.calls.stream().filter(c -> c.payload().contains(id))).hasSize(3);

        INVOKER.failures.set(1);
        String second = client.putEvents(b -> b.entries(decided("approved").build())).entries().getFirst().eventId();
        Delivery retried = received(second).deliveries().getFirst();
        Eventually.until(Duration.ofSeconds(10), () -> retried.status() != Delivery.Status.PENDING);
        assertThat(retried.status()).isEqualTo(Delivery.Status.DELIVERED);
        assertThat(retried.attempts()).isEqualTo(2);
    }

    @Test
    void localEvents_listsEachEventWithItsEnvelopeRulesAndDeliveries_newestLast() throws Exception {
        String id = client.putEvents(b -> b.entries(decided("approved").build())).entries().getFirst().eventId();
        Eventually.until(Duration.ofSeconds(10), () -> received(id).deliveries().getFirst().status()
                == Delivery.Status.DELIVERED);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(events.endpoint() + "/_local/events")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(response.body()).get("events");
        JsonNode last = list.get(list.size() - 1);
        assertThat(last.get("event").get("id").asText()).isEqualTo(id);
        assertThat(last.get("eventBusName").asText()).isEqualTo(BUS);
        assertThat(last.get("matchedRules").get(0).asText()).isEqualTo("DecidedToExecutor");
        JsonNode delivery = last.get("deliveries").get(0);
        assertThat(delivery.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(delivery.get("arn").asText()).endsWith(":function:ExecuteActionFunction:live");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
    }

    static ReceivedEvent received(String eventId) {
        return events.received().stream().filter(e -> e.envelope().get("id").asText().equals(eventId)).findFirst()
                .orElseThrow(() -> new AssertionError("not received: " + eventId));
    }
}
