package dev.approvals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.approvals.local.dataapi.ApprovalSeeds;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * Fresh-JVM time to the first answer of the approve, read and propose functions (their deployable zips, each as
 * its own database role) against the local Data API, run after run in turns so that all three see the same
 * machine, with medians. Run from the repository root after building:
 * <pre>bench/cold-start.sh [runs]</pre>
 */
public final class ColdStartBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the template's CursorSigningKey secret holds, locally. */
    static final String CURSOR_SIGNING_KEY = "bench-cursor-signing-key-".repeat(3).substring(0, 64);

    /** A function measured: its module, handler, database role, sample event and the status it must answer. */
    record Function(String name, String module, String handler, String role, String event, int status) {
    }

    static final List<Function> FUNCTIONS = List.of(
            new Function("approve", "functions/approve", "dev.approvals.functions.approve.ApproveHandler",
                    DatabaseRoles.APPROVER, "approve-http.json", 200),
            new Function("read", "functions/read", "dev.approvals.functions.read.ReadHandler",
                    DatabaseRoles.READER, "read-http.json", 200),
            new Function("propose", "functions/propose", "dev.approvals.functions.propose.ProposeHandler",
                    DatabaseRoles.PROPOSER, "propose-http.json", 201));

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = repositoryRoot();
        UUID approvalId = UUID.fromString(JSON.readTree(root.resolve("events/approve-http.json").toFile())
                .at("/pathParameters/id").asText());
        System.out.printf("JVM: %s %s, flags %s, %d CPUs%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ColdStart.LAMBDA_LIKE_JVM_FLAGS, Runtime.getRuntime().availableProcessors());

        LocalDataApi dataApi = LocalDataApi.shared();
        DataSource jdbc = dataApi.dataSource(dataApi.databaseName());
        Map<String, ColdStart> zips = new LinkedHashMap<>();
        Map<String, List<ColdStart.Run>> results = new LinkedHashMap<>();
        for (Function function : FUNCTIONS) {
            Path zip = root.resolve(function.module()).resolve("target/function.zip");
            System.out.printf(Locale.ROOT, "Artifact %-8s %s%n", function.name(), size(zip));
            zips.put(function.name(), ColdStart.of(zip));
            results.put(function.name(), new ArrayList<>());
        }

        for (int i = 1; i <= runs; i++) {
            for (Function function : FUNCTIONS) {
                ApprovalSeeds.into(jdbc).pending(approvalId);
                Path event = event(root, function);
                Path classLog = Files.createTempFile("classes-", ".log");
                ColdStart.Run run = zips.get(function.name()).run(function.handler(), event,
                        functionEnvironment(dataApi, function.role()), classLog);
                JsonNode answer = JSON.readTree(run.answer());
                if (answer.path("statusCode").asInt() != function.status()) {
                    throw new IllegalStateException(function.name() + " run " + i + " answered " + run.answer());
                }
                results.get(function.name()).add(run);
                System.out.printf(Locale.ROOT, "run %d %-8s first answer %.0f ms after JVM start (init %.0f ms, first invoke %.0f ms), %d classes loaded%n",
                        i, function.name(), run.wallMs(), run.initMs(), run.invokeMs(), run.loadedClasses().size());
            }
        }
        for (Function function : FUNCTIONS) {
            List<ColdStart.Run> measured = results.get(function.name());
            System.out.printf(Locale.ROOT, "median of %d, %-8s first answer %.0f ms (min %.0f, max %.0f); init %.0f ms; first invoke %.0f ms; %.0f classes%n",
                    runs, function.name(), median(measured, ColdStart.Run::wallMs), min(measured, ColdStart.Run::wallMs),
                    max(measured, ColdStart.Run::wallMs), median(measured, ColdStart.Run::initMs),
                    median(measured, ColdStart.Run::invokeMs), median(measured, r -> r.loadedClasses().size()));
        }
        dataApi.close();
    }

    /** The function's sample event; a proposal gets a fresh Idempotency-Key, so every run creates one (201). */
    static Path event(Path root, Function function) throws IOException {
        Path file = root.resolve("events").resolve(function.event());
        if (function.status() != 201) {
            return file;
        }
        ObjectNode event = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) event.get("headers")).put("idempotency-key", "bench-" + UUID.randomUUID());
        Path copy = Files.createTempFile("event-", ".json");
        JSON.writeValue(copy.toFile(), event);
        return copy;
    }

    /** What template.yaml gives a function, pointed at the local Data API, with its own role's secret. */
    static Map<String, String> functionEnvironment(LocalDataApi dataApi, String role) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_CLUSTER_ARN", dataApi.clusterArn(),
                "DB_SECRET_ARN", DatabaseRoles.registerAll(dataApi, dataApi.databaseName()).get(role),
                "DB_NAME", dataApi.databaseName(),
                "DATA_API_ENDPOINT", dataApi.endpoint().toString(),
                "APPROVER_GROUP", "",
                "PROPOSER_GROUP", "",
                "STEP_FUNCTIONS_ENDPOINT", "",
                "CURSOR_SIGNING_KEY", CURSOR_SIGNING_KEY,
                "AWS_REGION", dataApi.region(),
                "AWS_ACCESS_KEY_ID", "local"));
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        // No ~/.aws of the developer's: Lambda has none either.
        env.put("HOME", Files.createTempDirectory("home-").toString());
        return env;
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("functions/approve/target/function.zip"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Run from the repository after building: functions/approve/target/function.zip not found");
    }

    private static String size(Path file) throws IOException {
        return String.format(Locale.ROOT, "%.2f MiB (%d bytes)", Files.size(file) / 1048576.0, Files.size(file));
    }

    private static double median(List<ColdStart.Run> runs, ToDoubleFunction<ColdStart.Run> metric) {
        List<Double> values = runs.stream().map(metric::applyAsDouble).sorted().toList();
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static double min(List<ColdStart.Run> runs, ToDoubleFunction<ColdStart.Run> metric) {
        return runs.stream().mapToDouble(metric).min().orElseThrow();
    }

    private static double max(List<ColdStart.Run> runs, ToDoubleFunction<ColdStart.Run> metric) {
        return runs.stream().map(metric::applyAsDouble).max(Comparator.naturalOrder()).orElseThrow();
    }
}
