package dev.approvals.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second, independent client: {@code aws events put-events --endpoint-url} (botocore, not the Java SDK).
 * Skipped, saying so, where {@code aws} is not installed.
 */
class AwsCliPutEventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingInvoker INVOKER = new RecordingInvoker();
    private static Path aws;
    private static LocalEventBridge events;

    record Result(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void start() {
        aws = findAws();
        if (aws == null) {
            System.out.println("[AwsCliPutEventsIT] skipped: no 'aws' command on PATH");
        }
        assumeTrue(aws != null, "the AWS CLI ('aws') is not on PATH");
        EventRule rule = new EventRule("AllApprovals", "approvals-events",
                EventPattern.parse("{\"source\": [{\"prefix\": \"dev.approvals\"}]}"),
                List.of(Target.of("fn", "arn:aws:lambda:us-east-1:123456789012:function:ExecuteActionFunction")),
                true);
        events = LocalEventBridge.builder().port(0).rules(List.of(rule)).invoker(INVOKER).start();
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void putEvents_fromTheCli_isAcceptedAndDelivered() throws Exception {
        Result result = aws("put-events", "--entries", JSON.writeValueAsString(List.of(Map.of(
                "Source", "dev.approvals", "DetailType", "ApprovalDecided", "EventBusName", "approvals-events",
                "Detail", "{\"status\":\"approved\"}", "Time", "2026-01-02T03:04:05Z"))));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode answer = JSON.readTree(result.stdout());
        assertThat(answer.get("FailedEntryCount").asInt()).isZero();
        String id = answer.get("Entries").get(0).get("EventId").asText();
        Eventually.until(Duration.ofSeconds(10), () -> INVOKER.calls.stream().anyMatch(c -> c.payload().contains(id)));
        JsonNode delivered = JSON.readTree(INVOKER.calls.getLast().payload());
        assertThat(delivered.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(delivered.get("detail").get("status").asText()).isEqualTo("approved");
    }

    @Test
    void aMalformedDetail_failsThatEntry_asTheServiceDoes() throws Exception {
        Result result = aws("put-events", "--entries", JSON.writeValueAsString(List.of(Map.of(
                "Source", "dev.approvals", "DetailType", "ApprovalDecided", "Detail", "{oops"))));

        assertThat(result.exitCode()).as(result.stderr()).isZero(); // a failed entry is not a failed call
        JsonNode entry = JSON.readTree(result.stdout()).get("Entries").get(0);
        assertThat(entry.get("ErrorCode").asText()).isEqualTo("MalformedDetail");
        assertThat(entry.has("EventId")).isFalse();
    }

    @Test
    void elevenEntries_areAValidationException() throws Exception {
        List<Map<String, String>> entries = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            entries.add(Map.of("Source", "dev.approvals", "DetailType", "x", "Detail", "{}"));
        }

        Result result = aws("put-events", "--entries", JSON.writeValueAsString(entries));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ValidationException").doesNotContain("at dev.approvals");
    }

    private static Result aws(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aws.toString(), "events"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", events.endpoint().toString(), "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.remove("AWS_PROFILE");
        Path out = Files.createTempFile("aws-out", ".json");
        Path err = Files.createTempFile("aws-err", ".txt");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("aws did not finish: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path findAws() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "aws");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
