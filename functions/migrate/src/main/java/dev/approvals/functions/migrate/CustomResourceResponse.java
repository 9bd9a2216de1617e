package dev.approvals.functions.migrate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer CloudFormation waits for on the response URL.
 *
 * @param reason required when FAILED; shown in the stack events, so short and free of secrets
 * @param data   readable with {@code Fn::GetAtt SchemaMigration.<key>}
 */
record CustomResourceResponse(boolean success, String reason, String physicalResourceId, Map<String, String> data) {

    /** CloudFormation refuses responses over 4096 bytes; the reason is the only part that can grow. */
    static final int MAX_REASON_CHARS = 1000;

    static CustomResourceResponse success(String physicalResourceId, Map<String, String> data) {
        return new CustomResourceResponse(true, null, physicalResourceId, data);
    }

    static CustomResourceResponse failed(String physicalResourceId, String reason) {
        return new CustomResourceResponse(false, reason, physicalResourceId, Map.of());
    }

    /** The JSON body for {@code event}'s response URL; {@code logStream} helps find the details. */
    Map<String, Object> body(CustomResourceEvent event, String logStream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Status", success ? "SUCCESS" : "FAILED");
        String text = reason == null ? "See CloudWatch log stream " + logStream
                : abbreviate(reason) + " (CloudWatch log stream " + logStream + ")";
        body.put("Reason", text);
        body.put("PhysicalResourceId", physicalResourceId);
        body.put("StackId", event.stackId());
        body.put("RequestId", event.requestId());
        body.put("LogicalResourceId", event.logicalResourceId());
        body.put("NoEcho", false);
        body.put("Data", data);
        return body;
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
}
