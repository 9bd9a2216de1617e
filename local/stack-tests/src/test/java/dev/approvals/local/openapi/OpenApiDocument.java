package dev.approvals.local.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An OpenAPI 3.1 document (docs/openapi.yaml), for checking real answers against it: the operation must document
 * the status; each documented header must be there when required and match its schema; the body must have a
 * documented media type and match its schema. Schemas are validated by networknt's JSON Schema validator with the
 * OpenAPI 3.1 dialect (JSON Schema 2020-12), {@code $ref}s and all.
 */
final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final String uri;
    private final Map<String, Object> document;
    private final SchemaRegistry schemas;

    private OpenApiDocument(String uri, String text) {
        this.uri = uri;
        this.document = new Yaml().load(text);
        // The validator loads no file by itself (remote fetching is off): it is handed this one, by its IRI.
        this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), registry -> registry.schemas(Map.of(uri, text)));
    }

    static OpenApiDocument read(Path file) {
        try {
            return new OpenApiDocument(file.toUri().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its version field, e.g. 3.1.0. */
    String openapi() {
        return String.valueOf(document.get("openapi"));
    }

    /** Every operation as a route key, e.g. {@code GET /approvals/{id}}. */
    Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        map(document.get("paths")).forEach((path, item) -> map(item).keySet().stream().filter(METHODS::contains)
                .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    /**
     * Why this answer does not match the document (empty when it does).
     *
     * @param headers the answer's headers, any case
     */
    List<String> problems(String method, String pathTemplate, int status, Map<String, String> headers, String body) {
        List<String> problems = new ArrayList<>();
        String operationPointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
        Map<String, Object> operation = map(at(operationPointer));
        if (operation.isEmpty()) {
            return List.of(method + " " + pathTemplate + " is not an operation of the document");
        }
        String responsePointer = operationPointer + "/responses/" + status;
        if (at(responsePointer) == null) {
            return List.of(method + " " + pathTemplate + " does not document status " + status);
        }
        responsePointer = resolved(responsePointer);
        Map<String, Object> response = map(at(responsePointer));
        Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        received.putAll(headers);
        for (String name : map(response.get("headers")).keySet()) {
            String headerPointer = resolved(responsePointer + "/headers/" + escape(name));
            Map<String, Object> header = map(at(headerPointer));
            String value = received.get(name);
            if (value == null) {
                if (Boolean.TRUE.equals(header.get("required"))) {
                    problems.add(status + ": header " + name + " is required but missing");
                }
                continue;
            }
            validate(headerPointer + "/schema", jsonString(value))
                    .forEach(error -> problems.add(status + ": header " + name + " " + error));
        }
        Map<String, Object> content = map(response.get("content"));
        if (content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add(status + ": the document defines no body, but there is one");
            }
            return problems;
        }
        String mediaType = String.valueOf(received.get("Content-Type")).split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!content.containsKey(mediaType)) {
            problems.add(status + ": content type " + mediaType + " is not one of " + content.keySet());
            return problems;
        }
        validate(responsePointer + "/content/" + escape(mediaType) + "/schema", body)
                .forEach(error -> problems.add(status + ": body " + error));
        return problems;
    }

    private List<String> validate(String schemaPointer, String json) {
        Schema schema = schemas.getSchema(SchemaLocation.of(uri + "#" + fragment(schemaPointer)));
        List<String> messages = new ArrayList<>();
        for (Error error : schema.validate(json, InputFormat.JSON)) {
            messages.add(error.toString());
        }
        return messages;
    }

    /** Follows a {@code $ref} (local ones only, as this document has) to the pointer of what it names. */
    private String resolved(String pointer) {
        String current = pointer;
        for (int hops = 0; hops < 10; hops++) {
            Object ref = map(at(current)).get("$ref");
            if (!(ref instanceof String text) || !text.startsWith("#")) {
                return current;
            }
            current = text.substring(1);
        }
        throw new IllegalStateException("$ref loop at " + pointer);
    }

    private Object at(String pointer) {
        Object current = document;
        for (String token : pointer.substring(1).split("/")) {
            current = map(current).get(token.replace("~1", "/").replace("~0", "~"));
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment. */
    private static String fragment(String pointer) {
        return pointer.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20");
    }

    private static String jsonString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
