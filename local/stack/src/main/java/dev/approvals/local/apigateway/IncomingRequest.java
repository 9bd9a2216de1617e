package dev.approvals.local.apigateway;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as the front door received it.
 *
 * @param rawPath  as sent, still percent-encoded
 * @param rawQuery as sent, without the {@code ?}; empty when there is none
 * @param headers  names in any case; a name may repeat
 */
public record IncomingRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                              byte[] body, String sourceIp, String protocol, int serverPort) {

    public IncomingRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(protocol, "protocol");
    }

    /** The values of a header, whatever the case of its name; comma-joined as API Gateway joins repeats. */
    public String header(String name) {
        List<String> values = null;
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                values = values == null ? new java.util.ArrayList<>() : values;
                values.addAll(entry.getValue());
            }
        }
        return values == null ? null : String.join(",", values);
    }
}
