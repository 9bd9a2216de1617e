package dev.approvals.actions;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovedAction;
import dev.approvals.errors.ActionFailedException;
import dev.approvals.json.Json;
import dev.approvals.json.ApprovalJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The example action: POSTs {@code {"approval": <the approval as the HTTP answers show it>}} to a configured URL with
 * the approval id as {@code Idempotency-Key}, so the receiver can tell a person's retry from a new request. Any 2xx
 * is success; anything else, or no answer in time, is {@link ActionFailedException}.
 */
public final class WebhookAction implements ApprovedAction {

    private final URI url;
    private final Duration timeout;

    /** @param url https (plain http only to a loopback address, for local runs: checked by the configuration) */
    public WebhookAction(URI url, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String perform(Approval approval) {
        byte[] body = Json.writeBytes(Map.of("approval", ApprovalJson.of(approval)));
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Idempotency-Key", approval.id().toString());
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            drain(connection, status);
            if (status / 100 != 2) {
                throw new ActionFailedException("The webhook answered HTTP " + status);
            }
            return "HTTP " + status;
        } catch (IOException unreachable) {
            throw new ActionFailedException("The webhook could not be reached: " + unreachable.getClass().getSimpleName());
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Reads the answer away so the connection can be reused; its content is not ours to log. */
    private static void drain(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }
}
