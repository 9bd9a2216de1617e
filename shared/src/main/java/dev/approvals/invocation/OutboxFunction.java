package dev.approvals.invocation;

import com.amazonaws.services.lambda.runtime.Context;
import dev.approvals.core.ApprovalEvent;
import dev.approvals.core.OutboxSweeper;
import dev.approvals.errors.InvalidDecisionRequestException;
import dev.approvals.input.Fields;
import dev.approvals.json.ApprovalEventJson;
import dev.approvals.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The outbox function (docs/design.md §12). Two callers: EventBridge Scheduler every minute ({@code {"sweep": true}}:
 * publish what is still unpublished), and the bus itself, which delivers every approval event back through a rule
 * (the event is published: mark it so). A decision thus costs its function no second statement.
 */
public final class OutboxFunction {

    private final OutboxSweeper sweeper;
    private final Clock clock;
    private final DecisionLog log;

    public OutboxFunction(OutboxSweeper sweeper, Clock clock, DecisionLog log) {
        this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    public void handle(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        DecisionLog.Line line = log.line(context.getAwsRequestId(), context.getFunctionName(), "outbox");
        try {
            Map<String, Object> payload = Event.parse(input.readAllBytes()).object();
            Instant deadline = Deadlines.of(context, clock);
            Map<String, Object> answer;
            if (payload != null && Boolean.TRUE.equals(payload.get("sweep"))) {
                OutboxSweeper.Sweep sweep = sweeper.sweep(deadline);
                line.put("outcome", "swept").put("found", sweep.found()).put("published", sweep.published());
                answer = Map.of("found", sweep.found(), "published", sweep.published());
            } else {
                String eventId = deliveredEventId(payload);
                boolean marked = sweeper.delivered(eventId, deadline);
                line.put("outcome", marked ? "marked published" : "already published").put("eventId", eventId);
                answer = Map.of("eventId", eventId, "marked", marked);
            }
            output.write(Json.writeBytes(answer));
        } catch (RuntimeException error) {
            throw line.thrownForDirectCaller(error, context.getAwsRequestId());
        } finally {
            line.write(started);
        }
    }

    /** The id of an approval event as EventBridge delivers it; checked before it reaches any statement. */
    static String deliveredEventId(Map<String, Object> event) {
        Map<String, Object> detail = event == null || !ApprovalEventJson.SOURCE.equals(event.get("source"))
                ? null : Fields.object(event.get("detail"));
        if (detail == null || !(detail.get("eventId") instanceof String eventId)) {
            throw new InvalidDecisionRequestException(
                    "The payload must be {\"sweep\": true} or an approval event (source dev.approvals)");
        }
        int colon = eventId.indexOf(':');
        try {
            UUID approvalId = UUID.fromString(eventId.substring(0, Math.max(colon, 0)));
            int version = Integer.parseInt(eventId.substring(colon + 1));
            if (version < 1 || !ApprovalEvent.eventId(approvalId.toString(), version).equals(eventId)) {
                throw new IllegalArgumentException("not canonical");
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            throw new InvalidDecisionRequestException("detail.eventId must be <approval id>:<version>");
        }
        return eventId;
    }
}
