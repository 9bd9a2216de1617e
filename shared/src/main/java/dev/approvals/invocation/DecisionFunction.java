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
import dev.approvals.errors.InvocationRefusedException;
import dev.approvals.http.HttpAnswers;
import dev.approvals.http.HttpRejection;
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
 * Everything a decision handler does, for either decision: check the entry path (the alias it was invoked
 * through), read the event (bounded), check its shape is the one that path accepts, decide, answer. HTTP events
 * always get an HTTP answer (errors included); direct invocations get the decided approval or a thrown exception
 * from {@code dev.approvals.errors}, which Step Functions matches by class name (docs/security.md).
 */
public final class DecisionFunction {

    /**
     * Largest event read (docs/api.md): an HTTP decision is at most 16 KiB of body (about 22 KiB base64) and
     * API Gateway's headers; a direct payload is a few hundred bytes. Anything larger is refused unparsed.
     */
    static final int MAX_EVENT_BYTES = 64 * 1024;

    private final Decision decision;
    private final Optional<String> approverGroup;
    private final Optional<String> workflowActor;
    private final DecisionService service;
    private final WorkflowCallbacks callbacks;
    private final EventPublisher events;
    private final Clock clock;
    private final DecisionLog log;

    /** A function that publishes no events itself: its decisions' outbox rows wait for the sweeper. */
    public DecisionFunction(Decision decision, Optional<String> approverGroup, Optional<String> workflowActor,
                            DecisionService service, WorkflowCallbacks callbacks, Clock clock, DecisionLog log) {
        this(decision, approverGroup, workflowActor, service, callbacks, EventPublisher.NONE, clock, log);
    }

    /**
     * @param approverGroup when present, only callers in this group may decide over HTTP
     * @param workflowActor who decides through the alias {@code workflow}; empty: that entry path is refused
     * @param events        where the decision's event is published once its statement committed
     */
    public DecisionFunction(Decision decision, Optional<String> approverGroup, Optional<String> workflowActor,
                            DecisionService service, WorkflowCallbacks callbacks, EventPublisher events, Clock clock,
                            DecisionLog log) {
        this.decision = Objects.requireNonNull(decision, "decision");
        this.approverGroup = Objects.requireNonNull(approverGroup, "approverGroup");
        this.workflowActor = Objects.requireNonNull(workflowActor, "workflowActor");
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
        try {
            EntryPath path = EntryPath.of(context.getInvokedFunctionArn());
            line.put("entry", path == null ? "none" : path.alias());
            if (path == null) {
                throw refused("Invoke the alias http (API Gateway) or workflow (the state machine), not "
                        + "the unqualified function, $LATEST or another alias", line, requestId);
            }
            byte[] bytes = Event.read(input, MAX_EVENT_BYTES + 1);
            Event event = bytes.length > MAX_EVENT_BYTES ? null : Event.parse(bytes);
            InvocationShape shape = event == null || event.object() == null
                    ? InvocationShape.DIRECT : InvocationShape.of(event.object());
            line.put("shape", shape.name());
            if (event != null && shape.isHttp() != (path == EntryPath.HTTP)) {
                // An HTTP-shaped event on the workflow alias is a forged API Gateway event; a plain payload on
                // the http alias did not come from API Gateway. Neither is read further.
                throw refused("The alias " + path.alias() + " accepts only " + (path == EntryPath.HTTP
                        ? "API Gateway's events" : "the direct decision payload"), line, requestId);
            }
            Object answer = event == null ? tooLarge(path, line, requestId)
                    : path == EntryPath.HTTP ? answerHttp(event.object(), shape, context, line)
                    : answerDirect(event, context, line);
            output.write(Json.writeBytes(answer));
        } finally {
            line.write(started);
        }
    }

    private static RuntimeException refused(String why, DecisionLog.Line line, String requestId) {
        return line.thrownForDirectCaller(new InvocationRefusedException(why), requestId);
    }

    /** Over {@link #MAX_EVENT_BYTES}, unparsed: 413 on the HTTP path (API Gateway's caller reads it), else thrown. */
    private Object tooLarge(EntryPath path, DecisionLog.Line line, String requestId) {
        String why = "The event is over " + MAX_EVENT_BYTES + " bytes";
        if (path == EntryPath.HTTP) {
            HttpRequestRejectedException refusal = new HttpRequestRejectedException(HttpRejection.PAYLOAD_TOO_LARGE,
                    why + "; a decision body is at most " + HttpRequests.MAX_BODY_BYTES + " bytes");
            line.refused(refusal);
            Map<String, Object> answer = HttpAnswers.refused(refusal, requestId);
            line.put("status", answer.get("statusCode"));
            return answer;
        }
        throw line.thrownForDirectCaller(new InvalidDecisionRequestException(why), requestId);
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
                        + "{\"approvalId\": \"...\", \"expectedVersion\": 1}");
            }
            String actor = workflowActor.orElseThrow(() -> new InvocationRefusedException(
                    "This function has no workflow actor (WORKFLOW_ACTOR); only API Gateway may invoke it"));
            DecisionRequest request = DirectRequests.parse(payload.object(), decision, actor,
                    context.getAwsRequestId());
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
