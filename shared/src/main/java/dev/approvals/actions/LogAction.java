package dev.approvals.actions;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovedAction;
import dev.approvals.json.Json;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default action when no webhook is configured: one JSON log line naming the approval, its version and action
 * type (never its payload, which may hold anything an agent wrote). Replace it with your own {@link ApprovedAction}.
 */
public final class LogAction implements ApprovedAction {

    private final PrintStream out;

    public LogAction(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String perform(Approval approval) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", "INFO");
        line.put("message", "approved action");
        line.put("approvalId", approval.id().toString());
        line.put("version", approval.version());
        line.put("actionType", approval.actionType());
        out.println(Json.write(line));
        return "logged";
    }
}
