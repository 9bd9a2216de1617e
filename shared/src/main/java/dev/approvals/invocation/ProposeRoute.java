package dev.approvals.invocation;

import dev.approvals.core.ProposalRequest;
import dev.approvals.core.ProposalResult;
import dev.approvals.core.ProposalService;
import dev.approvals.http.HttpAnswers;
import dev.approvals.http.HttpRequest;
import dev.approvals.http.ProposalRequests;
import dev.approvals.http.Route;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** {@code POST /approvals}: an agent proposes an action; callers must be in {@code PROPOSER_GROUP} when it is set. */
public final class ProposeRoute {

    private final ProposalService service;
    private final Supplier<UUID> ids;
    private final String proposerGroup;
    private final Clock clock;

    /** @param ids a new approval id for each request */
    public ProposeRoute(ProposalService service, Supplier<UUID> ids, Optional<String> proposerGroup, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.proposerGroup = proposerGroup.orElse(null);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The route with its answer, for {@link HttpFunction}. */
    public Map<Route, HttpFunction.RouteAnswer> routes() {
        return Map.of(Route.PROPOSE, this::propose);
    }

    Map<String, Object> propose(HttpRequest request, Instant deadline, DecisionLog.Line log) {
        String caller = request.caller(proposerGroup, "Only members of the proposer group may propose approvals");
        ProposalRequest proposal = ProposalRequests.parse(request, caller, clock.instant());
        log.put("actionType", proposal.actionType()).put("idempotent", proposal.idempotencyKey() != null);
        ProposalResult result = service.propose(ids.get(), proposal, deadline);
        String id = result.approval().approval().id().toString();
        log.put("approvalId", id).put("outcome", result.replayed() ? "replayed" : "proposed");
        return HttpAnswers.proposed(result, location(request.path(), id));
    }

    /**
     * Where the approval is read: the path this request was sent to (which carries any stage prefix) plus the id,
     * so the reference resolves on AWS ({@code /prod/approvals/<id>}) and locally ({@code /approvals/<id>}).
     */
    static String location(String requestPath, String id) {
        String base = requestPath.endsWith("/") ? requestPath.substring(0, requestPath.length() - 1) : requestPath;
        return (base.endsWith(Route.PROPOSE.path()) ? base : Route.PROPOSE.path()) + "/" + id;
    }
}
