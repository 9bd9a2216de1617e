package dev.approvals.local.stepfunctions;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The callback API as the unmodified SDK and the AWS CLI see it. */
class LocalStepFunctionsTest {

    private static LocalStepFunctions local;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        local = LocalStepFunctions.start(0);
        sfn = SfnClient.builder().endpointOverride(local.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        local.close();
    }

    @BeforeEach
    void reset() {
        local.reset();
    }

    @Test
    void success_closesTheTask_andASecondUseIsTaskTimedOut() {
        sfn.sendTaskSuccess(b -> b.taskToken("token-1").output("{\"status\":\"approved\"}"));

        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("token-1").output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
        assertThatThrownBy(() -> sfn.sendTaskFailure(b -> b.taskToken("token-1").error("x")))
                .isInstanceOf(TaskTimedOutException.class);
        assertThat(local.accepted()).singleElement().satisfies(c -> {
            assertThat(c.operation()).isEqualTo("SendTaskSuccess");
            assertThat(c.output()).isEqualTo("{\"status\":\"approved\"}");
        });
        assertThat(local.callbacks()).hasSize(3);
    }

    @Test
    void failure_recordsErrorAndCause() {
        sfn.sendTaskFailure(b -> b.taskToken("token-2").error("dev.approvals.errors.ApprovalRejectedException").cause("no"));

        assertThat(local.accepted()).singleElement().satisfies(c -> {
            assertThat(c.error()).isEqualTo("dev.approvals.errors.ApprovalRejectedException");
            assertThat(c.cause()).isEqualTo("no");
        });
    }

    @Test
    void heartbeat_keepsTheTaskOpen() {
        sfn.sendTaskHeartbeat(b -> b.taskToken("token-3"));
        sfn.sendTaskSuccess(b -> b.taskToken("token-3").output("{}"));

        assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken("token-3"))).isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void malformedTokenOrOutput_isRefusedAsAwsDoes() {
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("t".repeat(2049)).output("{}")))
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("token-4").output("not json")))
                .isInstanceOf(InvalidOutputException.class);
        assertThat(local.accepted()).isEmpty();
    }

    @Test
    void injectedFailure_isA5xxThatTheSdkRetries() {
        local.failNextCalls(1);

        sfn.sendTaskSuccess(b -> b.taskToken("token-5").output("{}"));

        assertThat(local.callbacks()).extracting(LocalStepFunctions.Callback::outcome)
                .containsExactly(LocalStepFunctions.Outcome.FAILED_BY_FAULT, LocalStepFunctions.Outcome.ACCEPTED);
    }

    @Test
    void injectedFailuresBeyondTheSdkRetries_surfaceAsA5xx() {
        local.failNextCalls(10);

        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("token-6").output("{}")))
                .isInstanceOfSatisfying(SfnException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(local.accepted()).isEmpty();
    }

    @Test
    void unknownTargetOrMethod_isAClientError() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(local.endpoint())
                .header("X-Amz-Target", "AWSStepFunctions.StartExecution")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(local.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).contains("UnknownOperationException");
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void awsCli_canSendACallback() throws IOException, InterruptedException {
        assumeTrue(onPath("aws"), "the AWS CLI (aws) is not installed: skipping the second-client check");
        ProcessBuilder builder = new ProcessBuilder("aws", "stepfunctions", "send-task-success",
                "--endpoint-url", local.endpoint().toString(), "--task-token", "cli-token", "--task-output", "{\"ok\":true}")
                .redirectErrorStream(true);
        builder.environment().putAll(java.util.Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_PAGER", ""));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(local.accepted()).singleElement().satisfies(c -> assertThat(c.taskToken()).isEqualTo("cli-token"));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (new java.io.File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

}
