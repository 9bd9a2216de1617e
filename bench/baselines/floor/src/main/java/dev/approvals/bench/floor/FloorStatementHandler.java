package dev.approvals.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The floor, but sending the decision functions' own statement ({@code FLOOR_SQL}, as their store sends it, with
 * the same six parameters and no result metadata): the floor's Duration against this one's is what that statement
 * costs in place (the SDK in C1 and the Data API), and this one's against approve's is what the function's own
 * features cost (validation, the event and answer as JSON, the log line). A measuring stick, never deployed.
 */
public final class FloorStatementHandler implements RequestStreamHandler {

    private final RdsDataClient rdsData = FloorHandler.client();
    private final String sql = System.getenv("FLOOR_SQL");
    private final String clusterArn = System.getenv("DB_CLUSTER_ARN");
    private final String secretArn = System.getenv("DB_SECRET_ARN");
    private final String database = System.getenv("DB_NAME");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String id = FloorHandler.first(FloorHandler.ID, event);
        long started = System.nanoTime();
        ExecuteStatementResponse response = rdsData.executeStatement(r -> r
                .resourceArn(clusterArn).secretArn(secretArn).database(database).sql(sql)
                .includeResultMetadata(false)
                .parameters(
                        SqlParameter.builder().name("id").typeHint(TypeHint.UUID)
                                .value(Field.builder().stringValue(id).build()).build(),
                        SqlParameter.builder().name("expectedVersion")
                                .value(Field.builder().longValue(Long.parseLong(FloorHandler.first(FloorHandler.VERSION, event))).build()).build(),
                        text("targetStatus", "approved"),
                        text("actor", FloorHandler.first(FloorHandler.SUBJECT, event)),
                        text("reason", "Refund amount matches the order"),
                        text("decisionKey", context.getAwsRequestId())));
        // the call's own time, told the harness in a header of the answer rather than a log line (which is what
        // approve's Duration is compared against)
        String sdk = "\"x-sdk-ms\":\"" + (System.nanoTime() - started) / 1_000 / 1000.0 + "\"";
        boolean won = !response.records().isEmpty() && response.records().getFirst().getFirst().booleanValue();
        String answer = !won
                ? "{\"statusCode\":409,\"headers\":{\"content-type\":\"application/problem+json\"," + sdk + "},"
                        + "\"body\":\"{\\\"status\\\":409}\"}"
                : "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{\\\"id\\\":\\\""
                        + id + "\\\",\\\"status\\\":\\\"approved\\\",\\\"version\\\":"
                        + response.records().getFirst().get(4).longValue() + "}\"}";
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }

    private static SqlParameter text(String name, String value) {
        Field field = value == null
                ? Field.builder().isNull(true).build()
                : Field.builder().stringValue(value).build();
        return SqlParameter.builder().name(name).value(field).build();
    }
}
