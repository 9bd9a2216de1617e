package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;
import dev.approvals.errors.ApprovalException;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.http.HttpAnswers;
import dev.approvals.http.HttpRequest;
import dev.approvals.http.HttpRequestRejectedException;
import dev.approvals.http.HttpRequests;
import dev.approvals.http.InvocationShape;
import dev.approvals.http.Route;
import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a function that serves HTTP routes only (read and list, propose) does: read the event once, find
 * which of its routes it is, answer through {@link HttpAnswers} (errors included), one log line. Such a function
 * has no direct-invocation contract: any other event is refused with {@link InvalidDecisionRequestException}.
 */
public final class HttpFunction {

    /** What one route answers. */
    @FunctionalInterface
    public interface RouteAnswer {
        /**
         * @param deadline give up waiting for the database at this instant
         * @param log      the invocation's log line, for ids and outcomes (never payloads or tokens)
         */
        Map<String, Object> answer(HttpRequest request, Instant deadline, DecisionLog.Line log);
    }

    private final Map<Route, RouteAnswer> routes;
    private final Clock clock;
    private final DecisionLog log;

    /** @param routes the routes this function serves, each with its answer */
    public HttpFunction(Map<Route, RouteAnswer> routes, Clock clock, DecisionLog log) {
        this.routes = Map.copyOf(routes);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    public Set<Route> routes() {
        return routes.keySet();
    }

    public void handle(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        String requestId = context.getAwsRequestId();
        Map<String, Object> event = Event.parse(input.readAllBytes()).object();
        InvocationShape shape = event == null ? InvocationShape.DIRECT : InvocationShape.of(event);
        DecisionLog.Line line = log.line(requestId, context.getFunctionName(), "http").put("shape", shape.name());
        try {
            if (!shape.isHttp()) {
                InvalidDecisionRequestException refusal = new InvalidDecisionRequestException(
                        "This function answers API Gateway HTTP events only (routes " + routes.keySet() + ")");
                line.refused(refusal);
                throw refusal;
            }
            output.write(Json.writeBytes(answer(event, shape, context, line)));
        } finally {
            line.write(started);
        }
    }

    private Map<String, Object> answer(Map<String, Object> event, InvocationShape shape, Context context,
                                       DecisionLog.Line line) {
        line.put("apiRequestId", HttpRequests.apiRequestId(event));
        Map<String, Object> answer;
        try {
            HttpRequest request = HttpRequest.read(event, shape, routes.keySet());
            line.put("route", request.route().routeKey());
            answer = routes.get(request.route()).answer(request, Deadlines.of(context, clock), line);
        } catch (ApprovalException | HttpRequestRejectedException refusal) {
            line.refused(refusal);
            answer = HttpAnswers.refused(refusal, context.getAwsRequestId());
        } catch (RuntimeException unexpected) {
            line.failure(unexpected);
            answer = HttpAnswers.refused(unexpected, context.getAwsRequestId());
        }
        line.put("status", answer.get("statusCode"));
        return answer;
    }
}
