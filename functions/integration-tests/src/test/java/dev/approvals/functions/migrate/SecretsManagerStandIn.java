package dev.approvals.functions.migrate;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Secrets Manager's {@code GetSecretValue} on loopback, in its own wire protocol (awsJson1_1), so the handler's
 * real SDK client is exercised: secrets by ARN, and {@code ResourceNotFoundException} for any other.
 */
final class SecretsManagerStandIn implements AutoCloseable {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    SecretsManagerStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, Object> request = JSON.std.mapFrom(exchange.getRequestBody());
            String id = String.valueOf(request.get("SecretId"));
            requested.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " " + id);
            String secret = secrets.get(id);
            byte[] body = JSON.std.asBytes(secret == null
                    ? Map.of("__type", "ResourceNotFoundException", "message", "Secrets Manager can't find the specified secret.")
                    : Map.of("ARN", id, "Name", id.substring(id.lastIndexOf(':') + 1), "SecretString", secret,
                    "VersionId", "v1"));
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(secret == null ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Holds {@code {"username": user, "password": password}} under {@code arn}. */
    void put(String arn, String user, String password) {
        try {
            secrets.put(arn, JSON.std.asString(Map.of("username", user, "password", password)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each request as {@code <X-Amz-Target> <SecretId>}. */
    List<String> requested() {
        return List.copyOf(requested);
    }

    SecretsManagerClient newClient() {
        return SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
    }

}
