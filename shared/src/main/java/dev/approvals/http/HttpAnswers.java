package dev.approvals.http;

import dev.approvals.core.ApprovalSnapshot;
import dev.approvals.core.DecisionResult;
import dev.approvals.core.ProposalResult;
import dev.approvals.json.ApprovalJson;
import dev.approvals.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where outcomes and errors become HTTP answers: API Gateway proxy responses (the same shape
 * serves HTTP API 2.0 and REST API 1.0) with RFC 9457 {@code application/problem+json} bodies for every error.
 * Problem bodies carry facts (versions, statuses, ids), never exception text from below the domain.
 */
public final class HttpAnswers {

    /** Problem type URIs are identifiers, listed in docs/api.md. */
    static final String PROBLEM_TYPE_PREFIX = "urn:problem-type:approvals:";

    private HttpAnswers() {
    }

    public static Map<String, Object> decided(DecisionResult result) {
        Map<String, String> headers = baseHeaders("application/json");
        headers.put("ETag", etag(result.approval().version()));
        if (result.replayed()) {
            headers.put("Idempotent-Replayed", "true");
        }
        return response(200, headers, Json.write(ApprovalJson.of(result.approval())));
    }

    /**
     * {@code GET /approvals/{id}}: the approval with its version as a strong ETag. A client may keep it and ask
     * again with {@code If-None-Match} ({@code no-cache}: always revalidate); {@code private}: no shared cache.
     */
    public static Map<String, Object> approval(ApprovalSnapshot snapshot) {
        Map<String, String> headers = readHeaders("application/json", snapshot.approval().version());
        return response(200, headers, Json.write(ApprovalJson.of(snapshot)));
    }

    /** {@code GET /approvals/{id}} with {@code If-None-Match} naming the current version: nothing changed. */
    public static Map<String, Object> notModified(int version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag(version));
        headers.put("Cache-Control", "private, no-cache");
        return response(304, headers, "");
    }

    /** {@code GET /approvals}: one page, and where the next one starts (left out on the last page). */
    public static Map<String, Object> page(List<ApprovalSnapshot> items, String nextCursor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(ApprovalJson::of).toList());
        body.put("nextCursor", nextCursor);
        return response(200, baseHeaders("application/json"), Json.write(body));
    }

    /**
     * {@code POST /approvals}: 201 with {@code Location} when this request created the approval; 200 with
     * {@code Idempotent-Replayed: true} when an earlier request with the same key and body did.
     *
     * @param location where the approval is read, e.g. {@code /approvals/<id>}
     */
    public static Map<String, Object> proposed(ProposalResult result, String location) {
        Map<String, String> headers = baseHeaders("application/json");
        headers.put("Location", location);
        headers.put("ETag", etag(result.approval().approval().version()));
        if (result.replayed()) {
            headers.put("Idempotent-Replayed", "true");
        }
        return response(result.replayed() ? 200 : 201, headers, Json.write(ApprovalJson.of(result.approval())));
    }

    /** Maps a refusal to its answer; anything not recognised is an internal error with a generic body. */
    public static Map<String, Object> refused(RuntimeException error, String requestId) {
        return HttpProblems.answer(error, requestId);
    }

    private static String etag(int version) {
        return "\"" + version + "\"";
    }

    private static Map<String, String> readHeaders(String contentType, int version) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "private, no-cache");
        headers.put("ETag", etag(version));
        return headers;
    }

    static Map<String, String> baseHeaders(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        return headers;
    }

    static Map<String, Object> response(int status, Map<String, String> headers, String body) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", status);
        response.put("headers", headers);
        response.put("body", body);
        response.put("isBase64Encoded", false);
        return response;
    }
}
