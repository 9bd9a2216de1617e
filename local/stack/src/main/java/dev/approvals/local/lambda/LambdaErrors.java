package dev.approvals.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;

/** Error payloads in the shape Lambda uses: {@code {"errorType": ..., "errorMessage": ...}}. */
final class LambdaErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaErrors() {
    }

    static byte[] payload(String errorType, String errorMessage) {
        ObjectNode node = JSON.createObjectNode().put("errorType", errorType).put("errorMessage", errorMessage);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code errorType} of a runtime's error payload, if it has one. */
    static Optional<String> errorType(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            JsonNode type = node == null ? null : node.get("errorType");
            return type != null && type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
