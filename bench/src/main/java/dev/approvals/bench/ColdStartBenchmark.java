package dev.approvals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.dataapi.ApprovalSeeds;
import dev.approvals.local.dataapi.LocalDataApi;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * Fresh-JVM time to the first answer of ApproveHandler on events/approve-http.json against the local Data API,
 * several runs, with the median. Run from the repository root after building:
 * <pre>bench/cold-start.sh [runs]</pre>
 */
public final class ColdStartBenchmark {

    private static final String HANDLER = "dev.approvals.functions.approve.ApproveHandler";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = repositoryRoot();
        Path event = root.resolve("events/approve-http.json");
        UUID approvalId = UUID.fromString(JSON.readTree(event.toFile()).at("/pathParameters/id").asText());

        System.out.printf("Artifacts: approve %s, reject %s%n",
                size(root.resolve("functions/approve/target/function.zip")),
                size(root.resolve("functions/reject/target/function.zip")));
        System.out.printf("JVM: %s %s, flags %s, %d CPUs%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ColdStart.LAMBDA_LIKE_JVM_FLAGS, Runtime.getRuntime().availableProcessors());

        LocalDataApi dataApi = LocalDataApi.shared();
        DataSource jdbc = dataApi.dataSource(dataApi.databaseName());
        ColdStart function = ColdStart.of(root.resolve("functions/approve/target/function.zip"));
        Map<String, String> env = functionEnvironment(dataApi);

        List<ColdStart.Run> results = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            ApprovalSeeds.into(jdbc).pending(approvalId);
            Path classLog = Files.createTempFile("classes-", ".log");
            ColdStart.Run run = function.run(HANDLER, event, env, classLog);
            JsonNode answer = JSON.readTree(run.answer());
            if (answer.path("statusCode").asInt() != 200) {
                throw new IllegalStateException("Run " + i + " did not decide: " + run.answer());
            }
            results.add(run);
            System.out.printf(Locale.ROOT, "run %d: first answer %.0f ms after JVM start (init %.0f ms, first invoke %.0f ms), %d classes loaded%n",
                    i, run.wallMs(), run.initMs(), run.invokeMs(), run.loadedClasses().size());
        }
        System.out.printf(Locale.ROOT, "median of %d: first answer %.0f ms (min %.0f, max %.0f); init %.0f ms; first invoke %.0f ms; %.0f classes%n",
                runs, median(results, ColdStart.Run::wallMs), min(results, ColdStart.Run::wallMs),
                max(results, ColdStart.Run::wallMs), median(results, ColdStart.Run::initMs),
                median(results, ColdStart.Run::invokeMs), median(results, r -> r.loadedClasses().size()));
        dataApi.close();
    }

    /** What template.yaml gives the function, pointed at the local Data API. */
    static Map<String, String> functionEnvironment(LocalDataApi dataApi) throws IOException {
        return Map.of(
                "DB_CLUSTER_ARN", dataApi.clusterArn(),
                "DB_SECRET_ARN", dataApi.secretArn(),
                "DB_NAME", dataApi.databaseName(),
                "DATA_API_ENDPOINT", dataApi.endpoint().toString(),
                "APPROVER_GROUP", "",
                "STEP_FUNCTIONS_ENDPOINT", "",
                "AWS_REGION", dataApi.region(),
                "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local",
                // No ~/.aws of the developer's: Lambda has none either.
                "HOME", Files.createTempDirectory("home-").toString());
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
