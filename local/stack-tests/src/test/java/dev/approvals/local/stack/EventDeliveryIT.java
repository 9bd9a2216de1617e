package dev.approvals.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.events.Delivery;
import dev.approvals.local.events.LocalEventBridge;
import dev.approvals.local.events.ReceivedEvent;
import dev.approvals.local.lambda.LambdaFunction;
import dev.approvals.local.lambda.PoolSettings;
import dev.approvals.local.testfunctions.TestFunctions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EventBridge stand-in with the rules and schedules of a small template, delivering to a real Lambda function
 * (its own JVM under the RIC) through the stack's Lambda pool: what the function receives, Lambda's asynchronous
 * retries, and a schedule firing on its (sped-up) period.
 */
class EventDeliveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestFunctions functions;
    private static LocalEventBridge events;
    private static EventBridgeClient client;
    private static Path records;

    @BeforeAll
    static void start() throws IOException {
        functions = new TestFunctions("event-delivery");
        records = Files.createTempFile("recorded-events", ".txt");
        LambdaFunction recorder = functions.start(TestFunctions.spec("RecorderFunction",
                "dev.approvals.local.testfunctions.EventRecorderHandler::handleRequest", Duration.ofSeconds(20),
                Map.of("RECORD_FILE", records.toString())), PoolSettings.of(1, 2));
        LocalStackConfig config = LocalStackConfig.builder(Stacks.root()).eventsPort(0)
                .scheduleSpeedup(120) // rate(1 minute): every 500 ms; rate(1 hour): every 30 s
                .log(functions.log()).build();
        var template = TemplateEventsTest.fixture();
        events = StackEvents.start(template, TemplateEventsTest.resolver(template), config,
                Map.of("RecorderFunction", recorder), functions.log());
        client = EventBridgeClient.builder().endpointOverride(events.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        if (events != null) {
            events.close();
        }
        if (functions != null) {
            functions.close();
        }
        Files.deleteIfExists(records);
    }

    private static String put(String detailType, String detail) {
        var response = client.putEvents(b -> b.entries(e -> e.eventBusName("test-approvals-events")
                .source("dev.approvals").detailType(detailType).detail(detail)));
        assertThat(response.failedEntryCount()).isZero();
        return response.entries().getFirst().eventId();
    }

    @Test
    void aMatchingEvent_reachesTheRulesFunction_asTheEventBridgeEnvelope_throughItsAlias() throws Exception {
        String id = put("ApprovalDecided", "{\"status\": \"approved\", \"approvalId\": \"a-1\"}");
        String ignored = put("ApprovalDecided", "{\"status\": \"rejected\"}");

        until(() -> recordedLines(id).size() == 1);
        String line = recordedLines(id).getFirst();
        assertThat(line.substring(0, line.indexOf(' '))).endsWith(":function:RecorderFunction:live");
        JsonNode envelope = JSON.readTree(line.substring(line.indexOf(' ') + 1));
        assertThat(envelope.get("detail-type").asText()).isEqualTo("ApprovalDecided");
        assertThat(envelope.get("detail").get("approvalId").asText()).isEqualTo("a-1");
        assertThat(envelope.get("account").asText()).isEqualTo(LocalStack.ACCOUNT_ID);
        ReceivedEvent received = received(id);
        assertThat(received.matchedRules()).containsExactly("DecidedRule"); // not the disabled rule
        until(() -> received.deliveries().getFirst().status() == Delivery.Status.DELIVERED);
        assertThat(received(ignored).matchedRules()).isEmpty();
        assertThat(recordedLines(ignored)).isEmpty();
    }

    @Test
    void aSamEventBridgeRuleEvent_andAnSnsTarget_areAppliedToo() {
        String expired = put("ApprovalExpired", "{\"approvalId\": \"a-2\"}");
        String requested = put("ApprovalRequested", "{\"approvalId\": \"a-3\"}");

        until(() -> recordedLines(expired).size() == 1);
        assertThat(received(expired).matchedRules()).containsExactly("RecorderFunctionExpired");
        assertThat(received(requested).deliveries()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(Delivery.Status.RECORDED);
            assertThat(d.target().arn()).endsWith(":sns:us-east-1:123456789012:ApproversTopic");
        });
    }

    @Test
    void aFailingFunction_isInvokedThreeTimes_thenTheDeliveryFails_asLambdaAsyncDoes() {
        String id = put("ApprovalDecided", "{\"status\": \"approved\", \"fail\": true}");

        ReceivedEvent received = received(id);
        until(() -> received.deliveries().getFirst().status() != Delivery.Status.PENDING);
        Delivery delivery = received.deliveries().getFirst();
        assertThat(delivery.status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.lastError()).isEqualTo("java.lang.IllegalStateException");
        assertThat(recordedLines(id)).hasSize(3);
    }

    @Test
    void aRateSchedule_firesItsTarget_withItsInput_onTheSpedUpPeriod() {
        events.startSchedules();

        until(() -> recordedLines("\"sweep\"").size() >= 2);
        assertThat(recordedLines("\"sweep\"")).allSatisfy(line -> assertThat(line).endsWith("{\"sweep\": true}"));
        assertThat(events.received()).anySatisfy(e -> {
            assertThat(e.origin()).isEqualTo("schedule");
            assertThat(e.matchedRules()).containsExactly("RecorderFunctionSweep");
        });
        assertThat(recordedLines("NightlyCleanup")).isEmpty(); // cron: not run locally
    }

    private static ReceivedEvent received(String id) {
        return events.received().stream().filter(e -> e.envelope().path("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("not received: " + id));
    }

    private static List<String> recordedLines(String containing) {
        try {
            return Files.readAllLines(records).stream().filter(l -> l.contains(containing)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bounded wait for something asynchronous (deliveries, retries 1 s and 2 s apart, schedules). */
    private static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("did not happen within 60 s").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
