package dev.approvals.functions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.approvals.core.Decision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AWS's own API Gateway sample events (those of {@code aws-lambda-java-tests}, in
 * {@code src/test/resources/aws-sample-events/}) loaded with {@link EventLoader} into the aws-lambda-java-events
 * types, pointed at a seeded approval (route, path, {@code id}, authorizer claims, a JSON body; everything else as
 * AWS wrote it: their headers, query strings, cookies, stage variables, client certificate), serialised back with
 * the library's own serializer (the one the Lambda runtime uses) and sent to both decision handlers through the
 * local Data API and PostgreSQL. Each must decide: so the hand-written event reader reads what the library models.
 */
class AwsSampleEventsIT {

    private static final String SUB = "5f0c1a2b-aws-sample-caller";

    private static LocalApprovals local;

    @BeforeAll
    static void startDatabase() {
        local = LocalApprovals.create("samples");
    }

    /** The sample events: HTTP API 2.0 ones as {@link APIGatewayV2HTTPEvent}, REST API ones as the proxy event. */
    enum Sample {
        HTTP_API_V2("aws-sample-events/apigw_http_event.json"),
        REST_API("aws-sample-events/apigw_rest_event.json"),
        REST_API_PROXY("aws-sample-events/apigw/events/apigw_event.json"),
        REST_API_PROXY_NO_BODY("aws-sample-events/apigw/events/apigw_event_nobody.json");

        final String file;

        Sample(String file) {
            this.file = file;
        }

        /**
         * The sample, loaded by EventLoader, aimed at {@code id} with {@code body} and an {@code Idempotency-Key},
         * and serialised back by the library.
         */
        byte[] aimedAt(Decision decision, UUID id, String body, String idempotencyKey) {
            String verb = decision.name().toLowerCase();
            String path = "/approvals/" + id + "/" + verb;
            if (this == HTTP_API_V2) {
                APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(file);
                assertThat(event.getVersion()).isEqualTo("2.0"); // as AWS wrote it, before aiming it
                event.setRouteKey("POST /approvals/{id}/" + verb);
                event.setRawPath(path);
                event.setPathParameters(Map.of("id", id.toString()));
                event.getRequestContext().setRouteKey(event.getRouteKey());
                event.getRequestContext().getHttp().setMethod("POST");
                event.getRequestContext().getHttp().setPath(path);
                Map<String, String> claims = new LinkedHashMap<>(event.getRequestContext().getAuthorizer().getJwt()
                        .getClaims());
                claims.put("sub", SUB);
                event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
                Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
                headers.put("content-type", "application/json");
                headers.put("idempotency-key", "\"" + idempotencyKey + "\"");
                event.setHeaders(headers);
                event.setBody(body);
                return serialise(event, APIGatewayV2HTTPEvent.class);
            }
            APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(file);
            assertThat(event.getRequestContext().getAccountId()).isEqualTo("123456789012");
            event.setHttpMethod("POST");
            event.setResource("/approvals/{id}/" + verb);
            event.setPath(path);
            event.setPathParameters(Map.of("id", id.toString()));
            event.getRequestContext().setHttpMethod("POST");
            event.getRequestContext().setResourcePath(event.getResource());
            event.getRequestContext().setPath("/prod" + path);
            Map<String, Object> authorizer = new HashMap<>();
            authorizer.put("claims", Map.of("sub", SUB));
            event.getRequestContext().setAuthorizer(authorizer);
            Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
            headers.put("Content-Type", "application/json");
            headers.put("Idempotency-Key", "\"" + idempotencyKey + "\"");
            event.setHeaders(headers);
            // The REST sample says its body is base64: keep it so, encoding ours.
            event.setBody(Boolean.TRUE.equals(event.getIsBase64Encoded())
                    ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
            return serialise(event, APIGatewayProxyRequestEvent.class);
        }

        private static <T> byte[] serialise(T event, Class<T> type) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LambdaEventSerializers.serializerFor(type, AwsSampleEventsIT.class.getClassLoader()).toJson(event, out);
            return out.toByteArray();
        }
    }

    static Stream<Arguments> everySampleAndHandler() {
        return Arrays.stream(Sample.values())
                .flatMap(sample -> Arrays.stream(Decision.values()).map(decision -> Arguments.of(sample, decision)));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("everySampleAndHandler")
    void awsSampleEvent_aimedAtAPendingApproval_isDecidedByTheHandler(Sample sample, Decision decision) {
        UUID id = local.seedPending();
        String key = "sample-" + UUID.randomUUID();
        byte[] event = sample.aimedAt(decision, id, "{\"expectedVersion\": 1, \"reason\": \"from AWS's sample\"}",
                key);

        Answer answer = Answer.invoke(local.handler(decision), event);

        String status = decision == Decision.APPROVE ? "approved" : "rejected";
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry("ETag", "\"2\"");
        assertThat(answer.body()).containsEntry("id", id.toString()).containsEntry("status", status)
                .containsEntry("version", 2).containsEntry("decidedBy", SUB);
        assertThat(local.row(id)).containsEntry("status", status).containsEntry("version", 2)
                .containsEntry("decided_by", SUB).containsEntry("decision_reason", "from AWS's sample")
                .containsEntry("decision_key", key);
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("everySampleAndHandler")
    void awsSampleEvent_atAStaleVersion_isAConflict_andChangesNothing(Sample sample, Decision decision) {
        UUID id = local.seedPending();
        byte[] event = sample.aimedAt(decision, id, "{\"expectedVersion\": 7}", "sample-" + UUID.randomUUID());
        var before = local.everything();

        Answer answer = Answer.invoke(local.handler(decision), event);

        assertThat(answer.status()).as(answer.raw()).isEqualTo(409);
        assertThat(local.everything()).isEqualTo(before);
    }
}
