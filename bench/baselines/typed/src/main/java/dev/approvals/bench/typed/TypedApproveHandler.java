package dev.approvals.bench.typed;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.approvals.core.Decision;
import dev.approvals.invocation.DecisionFunction;
import dev.approvals.json.Json;
import dev.approvals.wiring.FunctionFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The approve function behind an HTTP adapter on aws-lambda-java-events types: the Lambda runtime binds the event
 * to {@link APIGatewayV2HTTPEvent} and the answer from {@link APIGatewayV2HTTPResponse} with its own serialization
 * (the lightest binding there is: no JSON library in the zip for it). Everything after the adapter is the
 * production decision path. Measured against today's stream handler by {@code bench/run.sh cold}; never deployed.
 *
 * <p>The decision path takes the event as bytes, so the typed event is handed on as JSON (a few microseconds once
 * the classes are loaded, which the answer loads anyway); what this variant adds at cold start is the events
 * model and the runtime's binding of it.
 */
public final class TypedApproveHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final DecisionFunction function = FunctionFactory.decisionFunction(Decision.APPROVE, System.getenv());

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            function.handle(new ByteArrayInputStream(Json.writeBytes(TypedEvents.toMap(event))), answer, context);
            return TypedEvents.response(answer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The typed model to and from the maps the decision path reads and writes. */
    static final class TypedEvents {
        private TypedEvents() {
        }

        static Map<String, Object> toMap(APIGatewayV2HTTPEvent event) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("version", event.getVersion());
            map.put("routeKey", event.getRouteKey());
            map.put("rawPath", event.getRawPath());
            map.put("rawQueryString", event.getRawQueryString());
            map.put("cookies", event.getCookies());
            map.put("headers", event.getHeaders());
            map.put("queryStringParameters", event.getQueryStringParameters());
            map.put("pathParameters", event.getPathParameters());
            map.put("body", event.getBody());
            map.put("isBase64Encoded", event.getIsBase64Encoded());
            APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
            if (context != null) {
                Map<String, Object> requestContext = new LinkedHashMap<>();
                requestContext.put("requestId", context.getRequestId());
                requestContext.put("routeKey", context.getRouteKey());
                requestContext.put("stage", context.getStage());
                if (context.getHttp() != null) {
                    requestContext.put("http", Map.of("method", context.getHttp().getMethod(),
                            "path", context.getHttp().getPath()));
                }
                if (context.getAuthorizer() != null && context.getAuthorizer().getJwt() != null) {
                    Map<String, Object> jwt = new LinkedHashMap<>();
                    jwt.put("claims", context.getAuthorizer().getJwt().getClaims());
                    jwt.put("scopes", context.getAuthorizer().getJwt().getScopes());
                    requestContext.put("authorizer", Map.of("jwt", jwt));
                }
                map.put("requestContext", requestContext);
            }
            map.values().removeIf(java.util.Objects::isNull);
            return map;
        }

        @SuppressWarnings("unchecked")
        static APIGatewayV2HTTPResponse response(byte[] answer) {
            Map<String, Object> map = (Map<String, Object>) Json.parse(answer);
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(((Number) map.get("statusCode")).intValue())
                    .withHeaders((Map<String, String>) map.get("headers"))
                    .withBody((String) map.get("body"))
                    .withIsBase64Encoded(Boolean.TRUE.equals(map.get("isBase64Encoded")))
                    .build();
        }
    }
}
