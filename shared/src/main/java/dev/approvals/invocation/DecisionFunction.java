package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;
import dev.approvals.callback.CallbackOutcome;
import dev.approvals.callback.WorkflowCallbacks;
import dev.approvals.core.ApprovalEvent;
import dev.approvals.core.Decision;
import dev.approvals.core.DecisionRequest;
import dev.approvals.core.DecisionResult;
import dev.approvals.core.DecisionService;
import dev.approvals.core.EventPublisher;
import dev.approvals.direct.DirectRequests;
import dev.approvals.errors.ApprovalException;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.http.HttpAnswers;
import dev.approvals.http.HttpRequestRejectedException;
import dev.approvals.http.HttpRequests;
import dev.approvals.http.InvocationShape;
import dev.approvals.json.ApprovalJson;
import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a decision handler does, for either decision: read the event, recognise its shape, decide, answer.
 * HTTP events always get an HTTP answer (errors included); direct invocations get the decided approval or a
 * thrown exception from {@code dev.approvals.errors}, which Step Functions matches by class name.
 */
public final class DecisionFunction {

    private final Decision decision;
    private final Optional<String> approverGroup;
    private final DecisionService service;
    private final WorkflowCallbacks callbacks;
    private final EventPublisher events;
    private final Clock clock;
    private final DecisionLog log;

    /** A function that publishes no events itself: its decisions' outbox rows wait for the sweeper. */
    public DecisionFunction(Decision decision, Optional<String> approverGroup, DecisionService service,
                            WorkflowCallbacks callbacks, Clock clock, DecisionLog log) {
        this(decision, approverGroup, service, callbacks, EventPublisher.NONE, clock, log);
    }

    /**
     * @param approverGroup when present, only callers in this group may decide over HTTP
     * @param events        where the decision's event is published once its statement committed
     */
    public DecisionFunction(Decision decision, Optional<String> approverGroup, DecisionService service,
                            WorkflowCallbacks callbacks, EventPublisher events, Clock clock, DecisionLog log) {
        this.decision = Objects.requireNonNull(decision, "decision");
        this.approverGroup = Objects.requireNonNull(approverGroup, "approverGroup");
        this.service = Objects.requireNonNull(service, "service");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    public void handle(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        String requestId = context.getAwsRequestId();
        DecisionLog.Line line = log.line(requestId, context.getFunctionName()).put("decision", decision.name());
        Event event = Event.parse(input.readAllBytes());
        InvocationShape shape = event.object() == null ? InvocationShape.DIRECT : InvocationShape.of(event.object());
        line.put("shape", shape.name());
        try {
            Object answer = shape.isHttp()
                    ? answerHttp(event.object(), shape, context, line)
                    : answerDirect(event, context, line);
            output.write(Json.writeBytes(answer));
        } finally {
            line.write(started);
        }
    }

    private Map<String, Object> answerHttp(Map<String, Object> event, InvocationShape shape, Context context,
                                           DecisionLog.Line line) {
        line.put("apiRequestId", HttpRequests.apiRequestId(event));
        Map<String, Object> answer;
        try {
            DecisionRequest request = HttpRequests.parse(event, shape, decision,
                    approverGroup.orElse(null), context.getAwsRequestId());
            answer = HttpAnswers.decided(decide(request, context, line));
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

    private Map<String, Object> answerDirect(Event payload, Context context, DecisionLog.Line line) {
        try {
            if (payload.malformed() != null) {
                throw new InvalidDecisionRequestException("The payload is not valid JSON: " + payload.malformed());
            }
            if (payload.object() == null) {
                throw new InvalidDecisionRequestException("The payload must be a JSON object such as "
                        + "{\"approvalId\": \"...\", \"expectedVersion\": 1, \"actor\": \"...\"}");
            }
            DecisionRequest request = DirectRequests.parse(payload.object(), decision, context.getAwsRequestId());
            return ApprovalJson.of(decide(request, context, line).approval());
        } catch (RuntimeException error) {
            throw line.thrownForDirectCaller(error, context.getAwsRequestId());
        }
    }

    private DecisionResult decide(DecisionRequest request, Context context, DecisionLog.Line line) {
        line.put("approvalId", request.approvalId().toString()).put("expectedVersion", request.expectedVersion());
        DecisionResult result = service.decide(request, Deadlines.of(context, clock));
        line.put("outcome", result.replayed() ? "replayed" : "won").put("version", result.approval().version());
        // Wins and their replays resume a waiting workflow; a replay re-sends a callback that may have been lost.
        CallbackOutcome callback = callbacks.resume(result.approval());
        if (callback != CallbackOutcome.NOT_WAITED_ON) {
            line.put("callback", callback.name());
        }
        publish(result, line);
        return result;
    }

    /**
     * The decision's event, after its statement committed and without a second statement (docs/design.md §12): the
     * outbox row the statement wrote is marked published when the bus delivers the event, or the sweeper publishes
     * it. A replay publishes again, as it calls back again: its first attempt may have died before publishing.
     */
    private void publish(DecisionResult result, DecisionLog.Line line) {
        if (events != EventPublisher.NONE) {
            line.put("published", !events.publish(List.of(ApprovalEvent.of(result.approval()))).isEmpty());
        }
    }
}
