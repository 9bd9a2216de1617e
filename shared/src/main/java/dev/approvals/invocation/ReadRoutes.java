package dev.approvals.invocation;

import dev.approvals.core.ApprovalPage;
import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.ListQuery;
import dev.approvals.core.ReadService;
import dev.approvals.http.Cursors;
import dev.approvals.http.HttpAnswers;
import dev.approvals.http.HttpRequest;
import dev.approvals.http.HttpRequests;
import dev.approvals.http.ListRequests;
import dev.approvals.http.Route;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /approvals/{id}} (with {@code If-None-Match}) and {@code GET /approvals} (keyset pages with a signed
 * cursor). Readers must be in {@code APPROVER_GROUP} when it is set: those who decide are those who look.
 */
public final class ReadRoutes {

    private static final String FORBIDDEN = "Only members of the approver group may read approvals";

    private final ReadService service;
    private final Cursors cursors;
    private final String approverGroup;

    public ReadRoutes(ReadService service, Cursors cursors, Optional<String> approverGroup) {
        this.service = Objects.requireNonNull(service, "service");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.approverGroup = approverGroup.orElse(null);
    }

    /** The routes, each with its answer, for {@link HttpFunction}. */
    public Map<Route, HttpFunction.RouteAnswer> routes() {
        return Map.of(Route.READ, this::read, Route.LIST, this::list);
    }

    Map<String, Object> read(HttpRequest request, Instant deadline, DecisionLog.Line log) {
        request.caller(approverGroup, FORBIDDEN);
        var id = request.approvalId();
        log.put("approvalId", id.toString());
        ApprovalSnapshot snapshot = service.read(id, deadline);
        int version = snapshot.approval().version();
        log.put("version", version);
        if (HttpRequests.noneMatchHas(request.header("If-None-Match"), version)) {
            log.put("outcome", "not-modified");
            return HttpAnswers.notModified(version);
        }
        log.put("outcome", "read");
        return HttpAnswers.approval(snapshot);
    }

    Map<String, Object> list(HttpRequest request, Instant deadline, DecisionLog.Line log) {
        request.caller(approverGroup, FORBIDDEN);
        ListQuery query = ListRequests.parse(request, cursors);
        ApprovalPage page = service.list(query, deadline);
        log.put("outcome", "listed").put("items", page.items().size()).put("more", page.next().isPresent());
        return HttpAnswers.page(page.items(), page.next().map(next -> cursors.encode(next, query)).orElse(null));
    }
}
