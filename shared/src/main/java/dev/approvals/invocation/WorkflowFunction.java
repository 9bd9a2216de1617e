package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;
import dev.approvals.callback.CallbackOutcome;
import dev.approvals.callback.WorkflowCallbacks;
import dev.approvals.core.Approval;
import dev.approvals.core.WorkflowSteps;
import dev.approvals.direct.WorkflowInput;
import dev.approvals.errors.ApprovalNotConfirmedException;
import dev.approvals.errors.DecisionFailedException;
import dev.approvals.errors.DecisionUnavailableException;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;
import dev.approvals.json.ApprovalJson;
import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The workflow function: runs one step of statemachine/approval-flow.asl.json, named by the payload's {@code step}
 * (docs/workflows.md, "How it runs"). Only the state machine invokes it, so a malformed payload is a bug in the
 * definition ({@link InvalidDecisionRequestException}, naming the field). Refusals are thrown as
 * {@code dev.approvals.errors} exceptions, which the state machine matches by class name; of them, only
 * {@code DecisionUnavailableException} is worth a retry. Anything unexpected is {@link DecisionFailedException}.
 */
public final class WorkflowFunction {

    private final WorkflowSteps steps;
    private final WorkflowCallbacks callbacks;
    private final Clock clock;
    private final DecisionLog log;

    public WorkflowFunction(WorkflowSteps steps, WorkflowCallbacks callbacks, Clock clock, DecisionLog log) {
        this.steps = Objects.requireNonNull(steps, "steps");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    public void handle(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        DecisionLog.Line line = log.line(context.getAwsRequestId(), context.getFunctionName(), "workflow step");
        try {
            Map<String, Object> payload = payload(Event.parse(input.readAllBytes()));
            String step = text(payload, "step");
            UUID approvalId = Fields.approvalId(payload.get("approvalId"), "approvalId");
            line.put("step", step).put("approvalId", approvalId.toString());
            Map<String, Object> answer = run(step, approvalId, payload, Deadlines.of(context, clock), line);
            output.write(Json.writeBytes(answer));
        } catch (RuntimeException error) {
            throw line.thrownForDirectCaller(error, context.getAwsRequestId());
        } finally {
            line.write(started);
        }
    }

    private Map<String, Object> run(String step, UUID approvalId, Map<String, Object> payload, Instant deadline,
                                    DecisionLog.Line line) {
        return switch (step) {
            case "propose" -> propose(approvalId, payload, deadline, line);
            case "await" -> await(approvalId, text(payload, "taskToken"), deadline, line);
            case "expire" -> answer(steps.expire(approvalId, text(payload, "decisionKey"), deadline), line);
            case "confirm" -> answer(steps.confirm(approvalId, claimedVersion(approvalId, payload.get("claim")),
                    deadline), line);
            default -> throw new InvalidDecisionRequestException("step must be propose, await, expire or confirm");
        };
    }

    private Map<String, Object> propose(UUID approvalId, Map<String, Object> payload, Instant deadline,
                                        DecisionLog.Line line) {
        WorkflowInput input = WorkflowInput.parse(payload.get("input"));
        boolean auto = steps.propose(approvalId, input.proposal(text(payload, "requestedBy"), clock.instant()),
                deadline);
        line.put("outcome", auto ? "recorded, approved by policy" : "recorded, a person decides");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("approvalId", approvalId.toString());
        answer.put("autoApprove", auto);
        answer.put("timeoutSeconds", input.timeoutSeconds());
        return answer;
    }

    /**
     * Waits for a person, or resumes this very task at once with a decision that came first, exactly as the
     * decider's own callback would have (the approval with this task's token).
     */
    private Map<String, Object> await(UUID approvalId, String taskToken, Instant deadline, DecisionLog.Line line) {
        String outcome = "waiting";
        if (steps.await(approvalId, taskToken, deadline) instanceof WorkflowSteps.AwaitOutcome.Decided decided) {
            CallbackOutcome callback = callbacks.resume(decided.approval().withTaskToken(taskToken));
            line.put("callback", callback.name());
            if (callback == CallbackOutcome.FAILED) {
                throw new DecisionUnavailableException("Step Functions did not accept the callback; retry", 5);
            }
            outcome = "resumed";
        }
        line.put("outcome", outcome);
        return Map.of("approvalId", approvalId.toString(), "outcome", outcome);
    }

    private static Map<String, Object> answer(Approval approval, DecisionLog.Line line) {
        line.put("outcome", approval.status().wireName()).put("version", approval.version());
        return ApprovalJson.of(approval);
    }

    /**
     * The version named by what resumed the workflow: the approval the approve function (or the await step) sent.
     * Anything else, an output forged with a stolen task token for instance, is refused before the database is read.
     */
    private static int claimedVersion(UUID approvalId, Object claim) {
        Map<String, Object> approval = Fields.object(claim);
        Object version = approval == null ? null : approval.get("version");
        if (approval == null || !"approved".equals(approval.get("status"))
                || !approvalId.toString().equals(approval.get("id"))
                || !(version instanceof Integer number) || number < 1) {
            throw new ApprovalNotConfirmedException("The workflow was resumed with something other than approval "
                    + approvalId + " approved at a version");
        }
        return (Integer) version;
    }

    private static Map<String, Object> payload(Event event) {
        if (event.malformed() != null) {
            throw new InvalidDecisionRequestException("The payload is not JSON: " + event.malformed());
        }
        if (event.object() == null) {
            throw new InvalidDecisionRequestException("The payload must be a JSON object");
        }
        return event.object();
    }

    private static String text(Map<String, Object> payload, String name) {
        if (!(payload.get(name) instanceof String value) || value.isEmpty()) {
            throw new InvalidDecisionRequestException(name + " must be a non-empty string");
        }
        return value;
    }
}
