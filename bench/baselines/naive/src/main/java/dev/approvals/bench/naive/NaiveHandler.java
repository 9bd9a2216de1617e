package dev.approvals.bench.naive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import software.amazon.awssdk.services.rdsdata.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.rdsdata.model.Field;
import software.amazon.awssdk.services.rdsdata.model.SqlParameter;
import software.amazon.awssdk.services.rdsdata.model.TypeHint;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An approval the way AWS samples write a Lambda function: the runtime deserialises the event into
 * aws-lambda-java-events POJOs, jackson-databind reads the body and writes the answer, the SDK client is built with
 * its defaults (HTTP client, region and credentials chains), and the handler reads the row, checks it, then
 * updates it. A measuring stick, never deployed.
 */
public final class NaiveHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RdsDataClient rdsData;
    private final String clusterArn = System.getenv("DB_CLUSTER_ARN");
    private final String secretArn = System.getenv("DB_SECRET_ARN");
    private final String database = System.getenv("DB_NAME");

    /** The body a caller sends. */
    public static final class DecisionBody {
        public int expectedVersion;
        public String reason;
    }

    public NaiveHandler() {
        var builder = RdsDataClient.builder();
        String endpoint = System.getenv("DATA_API_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        rdsData = builder.build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            String id = event.getPathParameters().get("id");
            DecisionBody body = MAPPER.readValue(event.getBody(), DecisionBody.class);
            String actor = event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub");
            ExecuteStatementResponse found = execute("SELECT status, version FROM ai_approvals WHERE id = :id",
                    uuid(id));
            if (found.records().isEmpty()) {
                return answer(404, Map.of("error", "not found"));
            }
            List<Field> row = found.records().getFirst();
            if (!"pending".equals(row.get(0).stringValue()) || row.get(1).longValue() != body.expectedVersion) {
                return answer(409, Map.of("error", "conflict", "status", row.get(0).stringValue(),
                        "version", row.get(1).longValue()));
            }
            ExecuteStatementResponse updated = execute("UPDATE ai_approvals SET status = 'approved',"
                    + " version = version + 1, decided_by = :actor, decided_at = now(), decision_reason = :reason,"
                    + " updated_at = now() WHERE id = :id AND version = :expectedVersion AND status = 'pending'"
                    + " RETURNING status, version", uuid(id),
                    SqlParameter.builder().name("expectedVersion")
                            .value(Field.builder().longValue((long) body.expectedVersion).build()).build(),
                    text("actor", actor), text("reason", body.reason));
            if (updated.records().isEmpty()) {
                return answer(409, Map.of("error", "conflict"));
            }
            context.getLogger().log("Approved " + id + "\n");
            Map<String, Object> approval = new LinkedHashMap<>();
            approval.put("id", id);
            approval.put("status", updated.records().getFirst().get(0).stringValue());
            approval.put("version", updated.records().getFirst().get(1).longValue());
            return answer(200, approval);
        } catch (JsonProcessingException e) {
            return answer(400, Map.of("error", "malformed body"));
        }
    }

    private ExecuteStatementResponse execute(String sql, SqlParameter... parameters) {
        return rdsData.executeStatement(r -> r.resourceArn(clusterArn).secretArn(secretArn).database(database)
                .sql(sql).parameters(parameters));
    }

    private static SqlParameter uuid(String id) {
        return SqlParameter.builder().name("id").typeHint(TypeHint.UUID)
                .value(Field.builder().stringValue(id).build()).build();
    }

    private static SqlParameter text(String name, String value) {
        return SqlParameter.builder().name(name).value(value == null ? Field.builder().isNull(true).build()
                : Field.builder().stringValue(value).build()).build();
    }

    private static APIGatewayV2HTTPResponse answer(int status, Map<String, Object> body) {
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody(MAPPER.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
