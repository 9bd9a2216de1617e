package dev.approvals.wiring;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaCredentialsTest {

    @Test
    void onDemand_theKeyVariablesAreUsed_withTheSessionToken() {
        var credentials = new LambdaCredentials(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "session")::get).resolveCredentials();

        assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
        assertThat(credentials.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(credentials.secretAccessKey()).isEqualTo("secret");
        assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("session");
    }

    @Test
    void afterASnapStartRestore_withoutKeyVariables_theContainerEndpointIsAsked_withItsToken() throws Exception {
        // Lambda's SnapStart environments give AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN;
        // the SDK reads the same settings from these system properties first.
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/credentials", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"container-secret\","
                    + "\"Token\":\"container-token\",\"Expiration\":\""
                    + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        endpoint.start();
        System.setProperty("aws.containerCredentialsFullUri",
                "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/credentials");
        System.setProperty("aws.containerAuthorizationToken", "the-token");
        try {
            AwsCredentials credentials = new LambdaCredentials(Map.<String, String>of()::get).resolveCredentials();

            assertThat(credentials.accessKeyId()).isEqualTo("ASIACONTAINER");
            assertThat(((AwsSessionCredentials) credentials).sessionToken()).isEqualTo("container-token");
            // Every request carries the token. How many there were is the SDK's business: its container provider
            // retries a request that outlives its short timeout, as it can on a busy machine.
            assertThat(authorizations).isNotEmpty().containsOnly("the-token");
        } finally {
            System.clearProperty("aws.containerCredentialsFullUri");
            System.clearProperty("aws.containerAuthorizationToken");
            endpoint.stop(0);
        }
    }

    @Test
    void withNeither_resolvingFails_clearly() {
        assertThatThrownBy(() -> new LambdaCredentials(Map.of("AWS_ACCESS_KEY_ID", "only-half")::get)
                .resolveCredentials())
                .isInstanceOf(SdkClientException.class);
    }
}
