package dev.approvals.bench.jmh;

import dev.approvals.bench.floor.FloorHandler;
import dev.approvals.testing.TestContext;
import dev.approvals.wiring.CannedHttpClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * The floor baseline's handler ({@code bench/baselines/floor}) on the same event as {@link DecisionBenchmark}, its
 * client built as the floor builds it (the SDK's defaults, an explicit region, static credentials) over the same
 * canned HTTP client: the floor's {@code UPDATE ... RETURNING version} answering one row (won) or none (conflict).
 */
final class FloorDecision {

    private final FloorHandler handler;
    private final byte[] event;

    FloorDecision(boolean won) throws IOException {
        String answer = won ? "{\"records\":[[{\"longValue\":2}]],\"numberOfRecordsUpdated\":1}"
                : "{\"records\":[],\"numberOfRecordsUpdated\":0}";
        RdsDataClient client = RdsDataClient.builder()
                .httpClient(new CannedHttpClient(List.of(answer.getBytes(StandardCharsets.UTF_8))))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build();
        handler = new FloorHandler(client, "arn:aws:rds:us-east-1:123456789012:cluster:approvals",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:approvals", "approvals");
        event = Files.readAllBytes(DecisionBenchmark.eventFile("approve-http.json"));
        byte[] first = decide();
        String expected = won ? "\"statusCode\":200" : "\"statusCode\":409";
        if (!new String(first, StandardCharsets.UTF_8).contains(expected)) {
            throw new IllegalStateException("The floor answered " + new String(first, StandardCharsets.UTF_8));
        }
    }

    byte[] decide() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        handler.handleRequest(new ByteArrayInputStream(event), out, TestContext.through("http"));
        return out.toByteArray();
    }
}
