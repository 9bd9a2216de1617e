package dev.approvals.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One function the harnesses measure: its deployable zip, its handler, and the sample event it decides.
 *
 * @param module the Maven module whose {@code target/function.zip} it is
 * @param event  the {@code events/} file it is invoked with (floor and naive decide the approve event)
 */
public record BenchFunction(String name, String module, String handler, String event) {

    public static final BenchFunction FLOOR = new BenchFunction("floor", "bench/baselines/floor",
            "dev.approvals.bench.floor.FloorHandler::handleRequest", "events/approve-http.json");
    public static final BenchFunction NAIVE = new BenchFunction("naive", "bench/baselines/naive",
            "dev.approvals.bench.naive.NaiveHandler::handleRequest", "events/approve-http.json");
    public static final BenchFunction APPROVE = new BenchFunction("approve", "functions/approve",
            "dev.approvals.functions.approve.ApproveHandler::handleRequest", "events/approve-http.json");
    public static final BenchFunction REJECT = new BenchFunction("reject", "functions/reject",
            "dev.approvals.functions.reject.RejectHandler::handleRequest", "events/reject-http.json");

    /** In the order the reports list them: the two baselines, then the functions measured against them. */
    public static final List<BenchFunction> ALL = List.of(FLOOR, NAIVE, APPROVE, REJECT);

    public Path zip(Path root) {
        return root.resolve(module).resolve("target/function.zip");
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
}
