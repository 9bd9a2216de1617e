package dev.approvals.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The least an approval can cost through the SDK: the URLConnection client with an explicit region and static
 * credentials (nothing resolved from chains), one {@code UPDATE ... RETURNING}, the event read with three regular
 * expressions and the answer written by hand. No validation, no audit row, no replay detection, no log line: a
 * measuring stick, never deployed.
 */
public final class FloorHandler implements RequestStreamHandler {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    static final Pattern VERSION = Pattern.compile("expectedVersion\\\\\"\\s*:\\s*(\\d+)");
    static final Pattern SUBJECT = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"");
    private static final String SQL = "UPDATE ai_approvals SET status = 'approved', version = version + 1,"
            + " decided_by = :actor, decided_at = now(), updated_at = now()"
            + " WHERE id = :id AND version = :expectedVersion AND status = 'pending' RETURNING version";

    private final RdsDataClient rdsData;
    private final String clusterArn;
    private final String secretArn;
    private final String database;

    public FloorHandler() {
        this(client(), System.getenv("DB_CLUSTER_ARN"), System.getenv("DB_SECRET_ARN"), System.getenv("DB_NAME"));
    }

    /** Over a given client: {@code bench/run.sh cpu} measures the floor in the same loop as the functions. */
    public FloorHandler(RdsDataClient rdsData, String clusterArn, String secretArn, String database) {
        this.rdsData = rdsData;
        this.clusterArn = clusterArn;
        this.secretArn = secretArn;
        this.database = database;
    }

    static RdsDataClient client() {
        var builder = RdsDataClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"))));
        String endpoint = System.getenv("DATA_API_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String id = first(ID, event);
        ExecuteStatementResponse response = rdsData.executeStatement(r -> r
                .resourceArn(clusterArn).secretArn(secretArn).database(database).sql(SQL)
                .parameters(
                        SqlParameter.builder().name("id").typeHint(TypeHint.UUID)
                                .value(Field.builder().stringValue(id).build()).build(),
                        SqlParameter.builder().name("expectedVersion")
                                .value(Field.builder().longValue(Long.parseLong(first(VERSION, event))).build()).build(),
                        SqlParameter.builder().name("actor")
                                .value(Field.builder().stringValue(first(SUBJECT, event)).build()).build()));
        String answer = response.records().isEmpty()
                ? "{\"statusCode\":409,\"headers\":{\"content-type\":\"application/problem+json\"},"
                        + "\"body\":\"{\\\"status\\\":409}\"}"
                : "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{\\\"id\\\":\\\""
                        + id + "\\\",\\\"status\\\":\\\"approved\\\",\\\"version\\\":"
                        + response.records().getFirst().getFirst().longValue() + "}\"}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    static String first(Pattern pattern, String event) {
        Matcher matcher = pattern.matcher(event);
        if (!matcher.find()) {
            throw new IllegalArgumentException("The event has no " + pattern);
        }
        return matcher.group(1);
    }
}
