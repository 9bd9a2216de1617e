package dev.approvals.local.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The variable the local stack sets for every function, {@code AWS_ENDPOINT_URL_EVENTBRIDGE}, is the one the
 * unmodified SDK reads: a client built without an endpoint in code reaches the stand-in.
 */
class SdkEndpointVariableIT {

    @Test
    void aClientWithoutAnEndpointInCode_reachesTheStandIn_throughAwsEndpointUrlEventbridge() throws Exception {
        try (LocalEventBridge events = LocalEventBridge.builder().port(0).start()) {
            ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PutOneEvent.class.getName())
                    .redirectErrorStream(true);
            Map<String, String> env = child.environment();
            env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", events.endpoint().toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
            env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
            env.remove("AWS_PROFILE");
            env.remove("AWS_ENDPOINT_URL");

            Process process = child.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(events.received()).singleElement().satisfies(e ->
                    assertThat(output.strip()).endsWith(e.envelope().get("id").asText()));
        }
    }
}
