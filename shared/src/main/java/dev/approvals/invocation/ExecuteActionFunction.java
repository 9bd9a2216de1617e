package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;
import dev.approvals.core.ActionExecutor;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;
import dev.approvals.json.ApprovalEventJson;
import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The executor (docs/events.md, "The executor"). Two callers, one path: the {@code ApprovalDecided} rule delivers the
 * event ({@code detail.approval}), and the workflow's last state passes {@code {"decision": <approval>}}. Only the
 * approval's id and version are taken from either; the approval the action gets is the one the database confirms.
 */
public final class ExecuteActionFunction {

    private final ActionExecutor executor;
    private final Clock clock;
    private final DecisionLog log;

    public ExecuteActionFunction(ActionExecutor executor, Clock clock, DecisionLog log) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    public void handle(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        DecisionLog.Line line = log.line(context.getAwsRequestId(), context.getFunctionName(), "execute action");
        try {
            Map<String, Object> approval = approval(Event.parse(input.readAllBytes()).object());
            UUID approvalId = Fields.approvalId(approval.get("id"), "approval.id");
            if (!(approval.get("version") instanceof Integer version) || version < 1) {
                throw new InvalidDecisionRequestException("approval.version must be a positive integer");
            }
            line.put("approvalId", approvalId.toString()).put("version", version);
            ActionExecutor.Outcome outcome = executor.execute(approvalId, version, context.getAwsRequestId(),
                    Deadlines.of(context, clock));
            line.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
            output.write(Json.writeBytes(Map.of("approvalId", approvalId.toString(), "version", version,
                    "outcome", outcome.name().toLowerCase(Locale.ROOT))));
        } catch (RuntimeException error) {
            throw line.thrownForDirectCaller(error, context.getAwsRequestId());
        } finally {
            line.write(started);
        }
    }

    /** {@code detail.approval} of an approval event, or {@code decision} of the workflow's input. */
    private static Map<String, Object> approval(Map<String, Object> payload) {
        Map<String, Object> approval = payload == null ? null
                : ApprovalEventJson.SOURCE.equals(payload.get("source"))
                ? Fields.object(Fields.path(payload, "detail", "approval"))
                : Fields.object(payload.get("decision"));
        if (approval == null) {
            throw new InvalidDecisionRequestException("The payload must be an ApprovalDecided event or "
                    + "{\"decision\": <approval>}");
        }
        return approval;
    }
}
