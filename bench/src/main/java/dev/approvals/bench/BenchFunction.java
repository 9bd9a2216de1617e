package dev.approvals.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.approvals.local.dataapi.DatabaseRoles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One function the harnesses measure: its deployable zip, its handler, the database role it runs as (as deployed:
 * each function has its own role's secret), and the sample event it answers.
 *
 * @param module the Maven module whose {@code target/function.zip} it is
 * @param role   the database role whose secret its {@code DB_SECRET_ARN} names (floor and naive decide as approve)
 * @param event  the {@code events/} file it is invoked with (floor and naive decide the approve event)
 * @param status the status code its answer must have, or {@link #DIRECT} for a function the state machine invokes
 */
public record BenchFunction(String name, String module, String handler, String role, String event, int status) {

    /** The status of a directly invoked function: its answer has none, and must not be an error. */
    public static final int DIRECT = 0;

    public static final BenchFunction FLOOR = new BenchFunction("floor", "bench/baselines/floor",
            "dev.approvals.bench.floor.FloorHandler::handleRequest", DatabaseRoles.APPROVER,
            "events/approve-http.json", 200);
    public static final BenchFunction NAIVE = new BenchFunction("naive", "bench/baselines/naive",
            "dev.approvals.bench.naive.NaiveHandler::handleRequest", DatabaseRoles.APPROVER,
            "events/approve-http.json", 200);
    public static final BenchFunction APPROVE = new BenchFunction("approve", "functions/approve",
            "dev.approvals.functions.approve.ApproveHandler::handleRequest", DatabaseRoles.APPROVER,
            "events/approve-http.json", 200);
    public static final BenchFunction REJECT = new BenchFunction("reject", "functions/reject",
            "dev.approvals.functions.reject.RejectHandler::handleRequest", DatabaseRoles.REJECTER,
            "events/reject-http.json", 200);
    public static final BenchFunction READ = new BenchFunction("read", "functions/read",
            "dev.approvals.functions.read.ReadHandler::handleRequest", DatabaseRoles.READER,
            "events/read-http.json", 200);
    /** The read function's other route: the first page of a listing ({@code bench/run.sh priming 7 list}). */
    public static final BenchFunction LIST = new BenchFunction("list", "functions/read",
            "dev.approvals.functions.read.ReadHandler::handleRequest", DatabaseRoles.READER,
            "events/list-http.json", 200);
    /** Each invocation proposes anew: a fresh {@code Idempotency-Key} (see {@link #event(Path)}). */
    public static final BenchFunction PROPOSE = new BenchFunction("propose", "functions/propose",
            "dev.approvals.functions.propose.ProposeHandler::handleRequest", DatabaseRoles.PROPOSER,
            "events/propose-http.json", 201);
    /** The state machine's first step, recording the sample execution input under a fresh approval id. */
    public static final BenchFunction WORKFLOW = new BenchFunction("workflow", "functions/workflow",
            "dev.approvals.functions.workflow.WorkflowHandler::handleRequest", DatabaseRoles.WORKFLOW,
            "events/approval-flow-input.json", DIRECT);

    /** Approve with its HTTP adapter on aws-lambda-java-events types, bound by the runtime (never deployed). */
    public static final BenchFunction TYPED = new BenchFunction("typed", "bench/baselines/typed",
            "dev.approvals.bench.typed.TypedApproveHandler::handleRequest", DatabaseRoles.APPROVER,
            "events/approve-http.json", 200);
    /** Approve unchanged but for its JSON codec: jackson-databind instead of jackson-jr (never deployed). */
    public static final BenchFunction DATABIND = new BenchFunction("databind", "bench/baselines/databind",
            "dev.approvals.functions.approve.ApproveHandler::handleRequest", DatabaseRoles.APPROVER,
            "events/approve-http.json", 200);

    /**
     * The floor sending the decision functions' own statement (given as {@code FLOOR_SQL} by the warm harness): what
     * that statement costs in place, apart from the function's other work (never deployed).
     */
    public static final BenchFunction FLOOR_STATEMENT = new BenchFunction("floor-statement", "bench/baselines/floor",
            "dev.approvals.bench.floor.FloorStatementHandler::handleRequest", DatabaseRoles.APPROVER,
            "events/approve-http.json", 200);

    /** The decision functions and the two baselines that decide like them. */
    public static final List<BenchFunction> DECIDERS = List.of(FLOOR, NAIVE, APPROVE, REJECT);
    /** In the order the reports list them: the two baselines, then the functions measured against them. */
    public static final List<BenchFunction> ALL = List.of(FLOOR, NAIVE, APPROVE, REJECT, READ, PROPOSE, WORKFLOW);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The handler's class, without {@code ::method}. */
    public String handlerClass() {
        return handler.substring(0, handler.indexOf("::"));
    }

    public Path zip(Path root) {
        return root.resolve(module).resolve("target/function.zip");
    }

    /**
     * The event of one invocation: the sample event, except that a proposal gets a fresh {@code Idempotency-Key}
     * (so it creates an approval: 201, not a replay) and the workflow's input is wrapped in the payload its
     * {@code propose} step gets from the state machine, under a fresh approval id.
     */
    public byte[] event(Path root) {
        try {
            Path file = root.resolve(event);
            if (this.equals(PROPOSE)) {
                ObjectNode sample = (ObjectNode) JSON.readTree(file.toFile());
                ((ObjectNode) sample.get("headers")).put("idempotency-key", "\"bench-" + UUID.randomUUID() + "\"");
                return JSON.writeValueAsBytes(sample);
            }
            if (this.equals(WORKFLOW)) {
                ObjectNode payload = JSON.createObjectNode().put("step", "propose")
                        .put("approvalId", UUID.randomUUID().toString())
                        .put("requestedBy", "arn:aws:states:us-east-1:123456789012:execution:ApprovalFlow:bench-"
                                + UUID.randomUUID());
                payload.set("input", JSON.readTree(file.toFile()));
                return JSON.writeValueAsBytes(payload);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the nearest directory upwards with a built approve function. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(APPROVE.zip(dir))) {
                return dir;
            }
        }
        throw new IllegalStateException("Run from the repository after building: functions/approve/target/function.zip"
                + " not found (./mvnw -pl bench -am package)");
    }

    /** By name, as given on the command line: one of {@link #ALL}, {@link #LIST}, {@link #TYPED}, {@link #DATABIND}. */
    public static BenchFunction named(String name) {
        List<BenchFunction> known = new ArrayList<>(ALL);
        known.addAll(List.of(LIST, TYPED, DATABIND));
        return known.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("No function " + name + "; one of " + known.stream()
                        .map(BenchFunction::name).toList()));
    }
}
