package dev.approvals.functions;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.approvals.core.Decision;
import dev.approvals.functions.approve.ApproveHandler;
import dev.approvals.functions.execute.ExecuteActionHandler;
import dev.approvals.functions.outbox.OutboxHandler;
import dev.approvals.json.Json;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.wiring.ExecutorConfig;
import dev.approvals.wiring.ExecutorFunctionFactory;
import dev.approvals.wiring.FunctionFactory;
import dev.approvals.wiring.OutboxFunctionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decision events end to end over the real handlers (docs/events.md): the deciding functions publish to a scripted
 * EventBridge after their one statement, the bus delivers to the outbox function (marks published) and to the
 * executor (ApprovalDecided, approved) as the template's rules do, and the outbox function sweeps on a schedule.
 */
class DecisionEventsIT {

    private static final Path SCHEMA = Path.of(System.getProperty("approvals.repositoryRoot", "../.."))
            .resolve("docs/events/approval-event.schema.json");
    /** The sweeper's period in this test (a minute on AWS) and its grace (SWEEP_AFTER_SECONDS; 10 s on AWS). */
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(2);
    private static final int GRACE_SECONDS = 1;

    private static LocalEventBus bus;
    private static LocalApprovals local;
    private static CountingAction action;
    private static RequestStreamHandler executor;
    private static RequestStreamHandler outbox;
    /** An approve function whose JVM dies right after its statement committed: it never publishes. */
    private static RequestStreamHandler killedAfterCommit;

    @BeforeAll
    static void setUp() throws IOException {
        bus = new LocalEventBus(13);
        Map<String, String> events = Map.of("EVENT_BUS_NAME", "approvals", "EVENTS_ENDPOINT", bus.endpoint().toString());
        local = LocalApprovals.create("events", events);
        action = new CountingAction();
        executor = new ExecuteActionHandler(ExecutorFunctionFactory.executeActionFunction(
                ExecutorConfig.fromEnvironment(local.environment(DatabaseRoles.EXECUTOR, Map.of())), action));
        Map<String, String> outboxEnv = new HashMap<>(events);
        outboxEnv.put("SWEEP_AFTER_SECONDS", String.valueOf(GRACE_SECONDS));
        outbox = new OutboxHandler(OutboxFunctionFactory.outboxFunction(
                local.environment(DatabaseRoles.PUBLISHER, outboxEnv)));
        killedAfterCommit = new ApproveHandler(FunctionFactory.decisionFunction(Decision.APPROVE,
                local.environment(DatabaseRoles.APPROVER, Map.of())));
        // The template's rules: every approval event back to the outbox function, approved decisions to the
        // executor, each delivered twice (the duplicate run: EventBridge delivers at least once).
        bus.subscribe(event -> "dev.approvals".equals(event.get("source")), event -> invoke(outbox, event), 1);
        bus.subscribe(event -> "ApprovalDecided".equals(event.get("detail-type"))
                && "approved".equals(status(event)), event -> invoke(executor, event), 2);
    }

    @AfterAll
    static void tearDown() {
        bus.close();
    }

    @Test
    void everyKindOfEvent_asPublished_matchesTheSchema_andCarriesTheApprovalAsTheHttpAnswerShowsIt() throws Exception {
        Answer proposed = Answer.invoke(local.propose, ApiEvents.propose(ApiEvents.refund(17), null).bytes());
        UUID id = UUID.fromString((String) proposed.body().get("id"));
        Answer approved = Answer.invoke(local.approve, EventBuilder.from("approve-http.json").approval(id)
                .header("if-match", "\"1\"").body("{\"reason\": \"fine\"}").bytes());
        UUID workflowId = UUID.randomUUID();
        Answer.invoke(local.workflow, Json.writeBytes(Map.of("step", "propose", "approvalId", workflowId.toString(),
                "requestedBy", "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:events",
                "input", Map.of("actionType", "refund", "actionPayload", Map.of("amount", 3), "timeoutSeconds", 60))));
        Map<String, Object> expired = Answer.invoke(local.workflow, Json.writeBytes(Map.of("step", "expire",
                "approvalId", workflowId.toString(), "decisionKey", "events#expire"))).json();
        bus.drain();

        Map<String, Map<String, Object>> byEventId = new HashMap<>();
        bus.received().forEach(received -> byEventId.putIfAbsent(received.eventId(), received.event()));
        assertThat(detail(byEventId.get(id + ":1"))).containsEntry("eventKind", "ApprovalRequested")
                .containsEntry("approval", proposed.body());
        assertThat(detail(byEventId.get(id + ":2"))).containsEntry("eventKind", "ApprovalDecided")
                .containsEntry("approval", approved.body());
        assertThat(byEventId.get(workflowId + ":1")).containsEntry("detail-type", "ApprovalRequested");
        assertThat(detail(byEventId.get(workflowId + ":2"))).containsEntry("eventKind", "ApprovalExpired")
                .containsEntry("approval", expired);
        Schema schema = schema();
        for (LocalEventBus.Received received : bus.received()) {
            List<Error> errors = schema.validate(Json.write(received.event()), InputFormat.JSON);
            assertThat(errors).as(received.eventId()).isEmpty();
        }
        // A rejected decision, or an event of another kind, is refused by the schema: it checks something.
        Map<String, Object> wrong = new HashMap<>(byEventId.get(id + ":2"));
        wrong.put("detail-type", "ApprovalExpired");
        assertThat(schema.validate(Json.write(wrong), InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void aDecision_isStillOneDataApiCall_beforeItsAnswer_publishingIncluded() throws Exception {
        UUID id = local.seedPending();
        bus.drain();
        long before = local.dataApi.calls().count("ExecuteStatement");
        int published = bus.received().size();
        bus.hold();
        Answer answer;
        try {
            answer = Answer.invoke(local.approve, EventBuilder.from("approve-direct.json").approval(id)
                    .set("expectedVersion", 1).bytes());

            assertThat(local.dataApi.calls().count("ExecuteStatement") - before)
                    .as("statements on the request path, before anything is delivered back").isEqualTo(1);
        } finally {
            bus.release();
        }
        assertThat(answer.json()).containsEntry("version", 2);
        assertThat(bus.received()).as("published before the answer").hasSize(published + 1);
        bus.drain();
    }

    /**
     * 1000 decisions, 30 % of every publish refused by the bus, every tenth decider killed right after its commit,
     * every approved decision delivered twice to the executor, the sweeper running on its schedule: every decided
     * approval's ApprovalDecided is published, every approved one executed exactly once.
     */
    @Test
    void faultRun_noEventLost_andEveryApprovedActionExecutedExactlyOnce() throws Exception {
        int decisions = 1000;
        List<UUID> ids = local.query("INSERT INTO ai_approvals (id, action_type, action_payload, requested_by)"
                        + " SELECT gen_random_uuid(), 'refund', '{\"amount\": 42}', 'agent-7' FROM generate_series(1, ?)"
                        + " RETURNING id", decisions).stream().map(row -> (UUID) row.get("id")).toList();
        bus.failing(0.3);
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor();
        schedule.scheduleAtFixedRate(() -> invoke(outbox, Json.writeBytes(Map.of("sweep", true))),
                0, SWEEP_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        Set<UUID> approved;
        long started = System.nanoTime();
        try (ExecutorService deciders = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < decisions; i++) {
                int n = i;
                running.add(deciders.submit(() -> decide(ids.get(n), n)));
            }
            for (Future<?> decided : running) {
                decided.get();
            }
            Set<UUID> all = Set.copyOf(ids);
            approved = local.query("SELECT id FROM ai_approvals WHERE status = 'approved'").stream()
                    .map(row -> (UUID) row.get("id")).filter(all::contains).collect(Collectors.toSet());
            // a bound on the wait, not on the time: the sweeper must publish everything, however busy the machine
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (unpublished() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } finally {
            schedule.shutdown();
            schedule.awaitTermination(30, TimeUnit.SECONDS);
        }
        bus.drain();
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(unpublished()).isZero();
        Map<String, Instant> firstPublished = new HashMap<>();
        for (LocalEventBus.Received received : bus.received()) {
            firstPublished.merge(received.eventId(), received.at(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<UUID, Instant> written = new HashMap<>();
        local.query("SELECT approval_id, created_at FROM ai_approval_outbox WHERE version = 2").forEach(row ->
                written.put((UUID) row.get("approval_id"), ((Timestamp) row.get("created_at")).toInstant()));
        Duration worst = Duration.ZERO;
        for (UUID id : ids) {
            assertThat(firstPublished).as("ApprovalDecided of " + id).containsKey(id + ":2");
            Duration delay = Duration.between(written.get(id), firstPublished.get(id + ":2"));
            worst = delay.compareTo(worst) > 0 ? delay : worst;
        }
        Set<UUID> decided = Set.copyOf(ids);
        List<Map<String, Object>> executions = local.query("SELECT approval_id, outcome FROM ai_action_executions")
                .stream().filter(row -> decided.contains((UUID) row.get("approval_id"))).toList();
        assertThat(executions).hasSize(approved.size());
        assertThat(executions).allSatisfy(row -> assertThat(row.get("outcome")).isEqualTo("succeeded"));
        assertThat(executions.stream().map(row -> (UUID) row.get("approval_id")).collect(Collectors.toSet()))
                .isEqualTo(approved);
        for (UUID id : ids) {
            assertThat(action.runs(id)).as("runs of " + id).isEqualTo(approved.contains(id) ? 1 : 0);
        }
        assertThat(bus.deliveryFailures()).isEmpty();
        long decidedEvents = bus.received().stream().filter(r -> r.kind().equals("ApprovalDecided")
                && ids.contains(UUID.fromString(r.eventId().split(":")[0]))).count();
        System.out.printf("Fault run: %d decisions (%d approved, %d rejected, %d deciders killed after commit) in"
                        + " %.1f s; the bus refused %d entries; %d ApprovalDecided published for %d decisions (%d"
                        + " duplicates); %d executions, each action run once; worst delay commit -> published %d ms"
                        + " (sweep every %d s, grace %d s)%n",
                decisions, approved.size(), decisions - approved.size(), decisions / 10, seconds, bus.refused(),
                decidedEvents, decisions, decidedEvents - decisions, executions.size(), worst.toMillis(),
                SWEEP_PERIOD.toSeconds(), GRACE_SECONDS);
        bus.failing(0);
    }

    /** Every tenth decider dies after its commit, one in five decisions is a rejection, the rest approve. */
    private static void decide(UUID id, int n) {
        boolean reject = n % 5 == 1;
        RequestStreamHandler handler = n % 10 == 0 ? killedAfterCommit : reject ? local.reject : local.approve;
        Map<String, Object> answer = Answer.invoke(handler, Json.writeBytes(Map.of("approvalId", id.toString(),
                "expectedVersion", 1, "idempotencyKey", "fault-run-" + n))).json();
        assertThat(answer).containsEntry("version", 2);
    }

    private static long unpublished() {
        return (Long) local.query("SELECT count(*) AS n FROM ai_approval_outbox WHERE published_at IS NULL")
                .getFirst().get("n");
    }

    private static void invoke(RequestStreamHandler handler, byte[] event) {
        Answer.invoke(handler, event);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> event) {
        assertThat(event).isNotNull();
        return (Map<String, Object>) event.get("detail");
    }

    @SuppressWarnings("unchecked")
    private static Object status(Map<String, Object> event) {
        return ((Map<String, Object>) ((Map<String, Object>) event.get("detail")).get("approval")).get("status");
    }

    private static Schema schema() throws IOException {
        String text = Files.readString(SCHEMA);
        String iri = "https://approvals.dev/schemas/approval-event.schema.json";
        return SchemaRegistry.withDialect(Dialects.getDraft202012(), registry -> registry.schemas(Map.of(iri, text)))
                .getSchema(SchemaLocation.of(iri));
    }
}
