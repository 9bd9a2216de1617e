package dev.approvals.wiring;

import com.sun.net.httpserver.HttpServer;
import dev.approvals.store.DatabaseTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Data API client as the functions build it ({@link AwsClients}): the settings given to the SDK instead of
 * resolved keep its behaviour (retries, endpoint variables), over the production HTTP client and a local server.
 */
class AwsClientsTest {

    private static final DatabaseTarget TARGET = new DatabaseTarget(
            "arn:aws:rds:eu-west-1:123456789012:cluster:approvals",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:approvals", "approvals");

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int status = 200;
    private volatile long delayMillis;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            pause(delayMillis);
            byte[] body = (status == 200 ? "{\"records\":[],\"numberOfRecordsUpdated\":0}" : "{\"message\":\"boom\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private RdsDataClient client(Optional<URI> endpointOverride) {
        return AwsClients.rdsData(new FunctionConfig(TARGET, Region.EU_WEST_1, endpointOverride),
                AwsClients.httpClient(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    }

    private void execute(RdsDataClient client) {
        client.executeStatement(r -> r.resourceArn(TARGET.clusterArn()).secretArn(TARGET.secretArn())
                .database(TARGET.database()).sql("SELECT 1"));
    }

    @Test
    void aStatement_goesToTheEndpointOverride() {
        try (RdsDataClient client = client(Optional.of(endpoint()))) {
            execute(client);
        }

        assertThat(requests).containsExactly("POST /Execute");
    }

    @Test
    void aCallsTimeout_stillEndsTheCall_onTheFunctionsOwnTimerExecutor() {
        // The time budget (docs/security.md): the store sets each call's apiCallTimeout; the SDK runs it on CallTimers.
        delayMillis = 3_000;
        long started = System.nanoTime();
        try (RdsDataClient client = client(Optional.of(endpoint()))) {
            assertThatThrownBy(() -> client.executeStatement(r -> r.resourceArn(TARGET.clusterArn())
                    .secretArn(TARGET.secretArn()).database(TARGET.database()).sql("SELECT 1")
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(300)))))
                    .isInstanceOf(ApiCallTimeoutException.class);
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(tookMillis).as("ended before the server's answer").isLessThan(delayMillis);
    }

    @Test
    void aServerError_isRetriedAsTheSdkDefault_threeTimes() {
        // The legacy retry mode, which the SDK resolves to when AWS_RETRY_MODE is not set: 1 attempt + 3 retries.
        status = 500;
        try (RdsDataClient client = client(Optional.of(endpoint()))) {
            assertThatThrownBy(() -> execute(client)).isInstanceOf(SdkException.class);
        }

        assertThat(requests).hasSize(4);
    }

    @Test
    void theSdkEndpointVariable_stillApplies_withoutAProfileFile() {
        // AWS_ENDPOINT_URL, read by the SDK itself; this system property is its in-process equivalent.
        System.setProperty("aws.endpointUrl", endpoint().toString());
        try (RdsDataClient client = client(Optional.empty())) {
            execute(client);
        } finally {
            System.clearProperty("aws.endpointUrl");
        }

        assertThat(requests).containsExactly("POST /Execute");
    }

    @Test
    void connections_carryTheConnectAndReadTimeouts_andTheTlsSocketFactory() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        SSLSocketFactory factory = tls.getSocketFactory();

        HttpURLConnection plain = AwsClients.connection(endpoint(), factory);
        HttpURLConnection secure = AwsClients.connection(URI.create("https://rds-data.eu-west-1.amazonaws.com"),
                factory);

        assertThat(plain.getConnectTimeout()).isEqualTo(AwsClients.CONNECT_TIMEOUT_MS).isEqualTo(2_000);
        assertThat(plain.getReadTimeout()).isEqualTo(AwsClients.READ_TIMEOUT_MS).isEqualTo(10_000);
        assertThat(secure).isInstanceOf(HttpsURLConnection.class);
        assertThat(((HttpsURLConnection) secure).getSSLSocketFactory()).isSameAs(factory);
        assertThat(secure.getReadTimeout()).isEqualTo(10_000);
    }
}
