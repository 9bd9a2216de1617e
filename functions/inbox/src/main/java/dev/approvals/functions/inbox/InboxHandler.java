package dev.approvals.functions.inbox;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /} and {@code GET /inbox/{file}} of the HTTP API (payload format 2.0): the approver inbox page from
 * the API's own origin, so the page calls the API without CORS. Every answer carries the page's security headers
 * ({@link SecurityHeaders}); files are revalidated with their ETag ({@code If-None-Match} gives 304).
 * See docs/design.md §11 for why the API serves the page.
 */
public final class InboxHandler implements RequestStreamHandler {

    private final PageFiles files;
    private final Map<String, String> securityHeaders;

    public InboxHandler() {
        this(SignInSettings.from(System.getenv()));
    }

    InboxHandler(SignInSettings signIn) {
        this.files = PageFiles.load(signIn);
        this.securityHeaders = SecurityHeaders.of(signIn);
        // Read and answer one request during init: the JSON reader's and writer's classes load now, inside the
        // SnapStart snapshot, instead of during the first person's page load (locally that took about 0.6 s).
        try {
            JSON.std.asBytes(answer(JSON.std.mapFrom("{\"routeKey\": \"GET /\", \"rawPath\": \"/\"}")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = JSON.std.mapFrom(input);
        JSON.std.write(answer(event), output);
    }

    Map<String, Object> answer(Map<String, Object> event) {
        Route route = Route.of(text(event.get("routeKey")));
        if (route == Route.PAGE) {
            String rawPath = text(event.get("rawPath"));
            if (!rawPath.endsWith("/")) {
                // e.g. https://<api>/prod: the page's relative URLs need the trailing slash
                Map<String, String> headers = headers("text/plain; charset=utf-8");
                headers.put("Location", rawPath + "/");
                return response(308, headers, "");
            }
            return file(files.get(PageFiles.INDEX), event);
        }
        if (route == Route.FILE) {
            String name = text(map(event.get("pathParameters")).get("file"));
            PageFiles.PageFile file = PageFiles.INDEX.equals(name) ? null : files.get(name);
            if (file != null) {
                return file(file, event);
            }
        }
        return response(404, headers("text/plain; charset=utf-8"), "Not found");
    }

    private Map<String, Object> file(PageFiles.PageFile file, Map<String, Object> event) {
        Map<String, String> headers = headers(file.contentType());
        headers.put("ETag", file.etag());
        String ifNoneMatch = text(map(event.get("headers")).get("if-none-match"));
        if (ifNoneMatch.contains(file.etag())) {
            return response(304, headers, "");
        }
        return response(200, headers, file.body());
    }

    private Map<String, String> headers(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        // small files, revalidated on every load: a new deployment shows at once, an unchanged file costs a 304
        headers.put("Cache-Control", "no-cache");
        headers.putAll(securityHeaders);
        return headers;
    }

    private static Map<String, Object> response(int status, Map<String, String> headers, String body) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", status);
        response.put("headers", headers);
        response.put("body", body);
        response.put("isBase64Encoded", false);
        return response;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String text(Object value) {
        return value instanceof String text ? text : "";
    }
}
